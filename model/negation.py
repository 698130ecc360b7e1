"""Negation scope for narrative evidence, and the matcher the rules and `medical` share.

A phrase found in a normalised narrative (`model.text.normalise_narrative`) is evidence
only when nothing in its scope takes it back. Call-takers write denials ("no weapons
seen", "denies having a gun", "NEG WPNS"), doubts ("unknown if he has a gun") and then,
often in the same note, the opposite ("denies SI but has a knife", "UPDATE: now has a
knife"). A miss sends the wrong responder, so the scope is deliberately narrow:

- A cue reaches forward at most `SCOPE_WORDS` words, never past clause punctuation
  (`. ; : ? ! "`), a turn word (`but`, `however`, `update`, `now`, `then`...), or a new
  clause with its own subject ("no weapons he has a knife": `he` starts a new clause;
  "does not think he has a gun": `he` follows a verb of thinking, so the scope goes on).
- A comma, a slash, `&` or `and` ends the scope unless what follows only continues a list
  of nouns: "no guns, knives or weapons" and "denies SI/HI" stay negated, "denies SI,
  has a knife" and "not violent and threatening to kill her" do not.
- Doubt is not evidence ("unknown if weapons", "not sure whether he has a gun"), but
  "possible weapon" is, and "not sure but he has a gun" is ("but" ends the doubt).
- Pseudo-negations negate nothing: "no further information", "no one knows where he got
  the knife", "won't put down the knife", "will not stop hitting her".
- A short answer after the phrase negates it: "guns: none", "firearms? unknown".
- Call-takers type fast: a negation cue with a slip of the keyboard ("nver", "nothnig",
  "deines") still counts (`typo_variants`).

The matcher the rules and `model.medical` share is `model.phrases.PhraseMatcher`
(patterns, idioms, exclusions, and this module's negation); `model.scanner` keeps it fast
on 100k rows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from model.regex_trie import literal_trie

#: How many words a negation or doubt cue reaches forward.
SCOPE_WORDS = 6
#: How many words either side of a phrase `unless_clause` looks at (at most).
SEGMENT_WORDS = 8
#: How far back (characters) a cue is looked for; beyond SCOPE_WORDS anyway.
_LOOKBACK = 160

_B = r"(?<![a-z0-9'])"  # word start
_E = r"(?![a-z0-9'])"  # word end
_NT = r"(?:[a-z]{2,6}n't|doesnt|dont|didnt|isnt|wasnt|arent|werent|hasnt|havent|hadnt|" \
      r"wont|wouldnt|couldnt|shouldnt|cant|aint)"

#: Real words and names one typo away from a cue: never read as a cue.
_NOT_TYPOS = frozenset({"ever", "noting", "denis", "denise", "want", "haven", "ill", "doest",
                        "nothin'", "den", "deni"})


def typo_variants(word: str, drop_from: int = 4) -> frozenset[str]:
    """`word` and its one-keystroke slips: a letter dropped, doubled, swapped with the
    next one, or typed again instead of the next ("goong" for "going").

    Call-takers type fast: "nothnig stolen", "nver been violent", "goig to beat her".
    Other substitutions are left out: they mostly make other real words; so are dropped
    letters in words shorter than `drop_from` ("beat" -> "bat").
    """
    found = {word}
    for i in range(len(word)):
        if len(word) >= drop_from:
            found.add(word[:i] + word[i + 1:])
        found.add(word[:i] + word[i] + word[i:])
        if i + 1 < len(word):
            found.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
        if i > 0 and word[i].isalpha():
            found.add(word[:i] + word[i - 1] + word[i + 1:])
    return frozenset(v for v in found if v == word or (
        len(v) >= 3 and v not in _NOT_TYPOS and v == v.strip() and "  " not in v))


#: Long cue words whose slips still read as cues.
_TYPO_CUES = frozenset(
    v for cue in ("never", "nothing", "nobody", "denies", "denied", "denying", "without",
                  "negative", "hasn't", "hasnt", "doesn't", "doesnt", "didn't", "didnt",
                  "isn't", "wasn't", "haven't", "wouldn't", "couldn't", "cannot", "won't")
    for v in typo_variants(cue))
_NEG_WORDS = ("no one", "no-one", "noone", "nobody", "nothing", "none", "neither", "nor", "never",
              "no longer", "no", "not", "without", "denies", "denied", "deny", "denying",
              "negative for", "negative", "absent", "free of", "lacks", "lacking", "ruled out",
              "rules out", "cannot", "doesnt", "dont", "didnt", "isnt", "wasnt", "arent",
              "werent", "hasnt", "havent", "hadnt", "wont", "wouldnt", "couldnt", "shouldnt",
              "cant", "aint")

_NT_WORDS = ("don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "hasn't",
             "haven't", "hadn't", "won't", "wouldn't", "couldn't", "shouldn't", "can't",
             "ain't", "mustn't", "needn't", "doesnt", "dont", "didnt", "isnt", "wasnt", "arent",
             "werent", "hasnt", "havent", "hadnt", "wont", "wouldnt", "couldnt", "shouldnt",
             "cant", "aint")


def _phrases(*parts: Sequence[str]) -> list[str]:
    """Every phrase made of one choice per part ("" leaves a part out)."""
    return [" ".join(word for word in combo if word) for combo in itertools.product(*parts)]


#: Cue phrases and their kind: `neg` (a denial), `doubt` (not known either way), `bare`
#: ("unknown" right before the phrase, as in "unknown weapons": reaches zero words, so
#: "unknown male has a knife" stays evidence), `name` ("denise" is a name, except typed
#: for "denies" right before what is denied: "denise SI/HI").
_CUE_KINDS: dict[str, str] = {
    **{word: "neg" for word in (*_NEG_WORDS, *_TYPO_CUES, *_NT_WORDS)},
    **{phrase: "doubt" for phrase in (
        _phrases(("unknown", "unk"), ("if", "whether", "as to whether", "about", "of any"))
        + _phrases(("not", "never", *_NT_WORDS),
                   ("sure", "certain", "clear", "know", "known", "aware", "say", "tell",
                    "confirm", "see", "determine"), ("", "of"), ("if", "whether"))
        + _phrases(("unsure", "unclear", "uncertain", "no idea"), ("if", "whether", "of", "about"))
        + _phrases(("unable to",), ("confirm", "say", "tell", "determine", "see"),
                   ("if", "whether"))
        + _phrases(("if",), ("he", "she", "they", "there", "subject", "the subject"),
                   ("has", "have", "had", "is", "are", "was", "were", "gets", "got", "brings",
                    "keeps"))
        + _phrases(("in case",), ("he", "she", "they"), ("has", "have", "gets")))},
    "unknown": "bare",
    **{name: "name" for name in ("denis", "denise", "deniis", "dennis")},
}
_NAME_CUE_NEXT = ("suicidal", "homicidal", "any", "all", "having", "thoughts", "weapon", "gun",
                  "firearm", "injur", "drugs", "alcohol")
#: A trie without a leading look-behind, so the regex engine skips ahead fast; a match
#: that starts inside a word is dropped afterwards.
_CUE = re.compile("(?:" + literal_trie(_CUE_KINDS) + ")" + _E)
_EDGE = "\"'()[]"
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'")


def _word_starts_at(text: str, index: int) -> bool:
    return index == 0 or text[index - 1] not in _WORD_CHARS


def _cues(text: str, begin: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the negation and doubt cues in `text[begin:end]`."""
    found = []
    for cue in _CUE.finditer(text, begin, end):
        start = cue.start()
        if not _word_starts_at(text, start):
            continue
        kind = _CUE_KINDS[cue.group(0)]
        if kind == "name":
            if not text.startswith(_NAME_CUE_NEXT, cue.end() + 1):
                continue
            kind = "neg"
        found.append((start, cue.end(), kind))
    return found


#: Phrases that contain a cue but deny nothing.
_PSEUDO = re.compile(
    _B + r"(?:no further|nothing further|no changes?|no answer|no response|no contact|"
    r"not only|not just|no doubt|no matter|no wonder|no sooner|not long|no problem|"
    r"not (?:even )?(?:joking|kidding)|without (?:warning|provocation|reason|stopping|paying)|"
    r"(?:not|never|" + _NT + r"|cannot|unable to|barely|is not|will not|does not) "
    r"(?:breathing|breathe|responding|responsive|conscious|waking up|wake up|moving)|"
    r"no pulse|"
    r"(?:no one|nobody|noone) (?:knows|knew) (?:where|why|how|what|when|who|which)|"
    r"no idea (?:where|why|how|what|when|who|which)|"
    r"(?:not|never|" + _NT + r") (?:sure|know|knows|known|certain|clear) "
    r"(?:where|why|how|what|when|who|which)|"
    r"(?:not|never|" + _NT + r"|will not|would not|could not|does not|did not|is not) "
    r"(?:[a-z']+ )?(?:stop|stopping|quit|quitting|let go|letting go|let (?:him|her|them|me|us) go|"
    r"put (?:[a-z']+ ){0,2}down|putting (?:[a-z']+ ){0,2}down|drop|dropping|release|give up|"
    r"hand over|calm down|back off|back down|leave|go away|listen|cooperate|comply))" + _E
)
#: A short answer straight after the phrase: "guns: none", "weapons - neg", "gun? unk".
_POST = re.compile(
    r"\s*(?:[:?=\-]\s*)?(?:"
    r"(?:none|no|negative|denied|unknown|unk|nil|n/a)"
    r"(?=\s*(?:[.,;:!?\"/]|$|per\b|by\b|at this time|known\b|reported\b|seen\b|according))"
    r"|not (?:seen|known|mentioned|involved|reported|present|visible|observed|found|"
    r"confirmed|located|noted))" + _E
)
#: Where a clause ends for good: punctuation, quotes and turn words.
_HARD_CHARS = ".;:?!\""
_TURN_WORDS = ("but", "however", "though", "although", "yet", "except", "whereas", "while",
               "until", "unless", "update", "updated", "then", "so", "now", "also", "plus",
               "because", "cause", "later")
_TURN = re.compile("(?:" + literal_trie(_TURN_WORDS) + ")" + _E)
#: Where a segment ends for `unless_clause` checks: also list separators.
_SEGMENT_CHARS = _HARD_CHARS + ",/&"
_SEGMENT_WORD = re.compile("(?:" + literal_trie((*_TURN_WORDS, "and")) + ")" + _E)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9'\-]*|[,/&]")
_SOFT = frozenset({",", "/", "&", "and"})

#: Words that start a clause of their own when not introduced by a verb of thinking.
_SUBJECTS = frozenset({
    "he", "she", "they", "he's", "she's", "they're", "there's", "it's", "i", "we", "you",
    "subject", "caller", "reporting", "complainant", "patient", "victim", "suspect",
    "male", "female", "man", "woman",
})
#: Words after which a subject continues the negated clause ("does not think he has").
_COMPLEMENT = frozenset({
    "that", "if", "whether", "think", "thinks", "thought", "believe", "believes", "believed",
    "know", "knows", "knew", "known", "say", "says", "said", "saying", "see", "sees", "saw",
    "seen", "feel", "feels", "felt", "sure", "aware", "notice", "noticed", "claim", "claims",
    "claimed", "mention", "mentioned", "mentions", "report", "reports", "reported",
    "indicate", "indicates", "indicated", "state", "states", "stated", "hear", "heard",
    "realize", "realized", "remember", "recall", "where", "what", "when", "why", "how",
    "who", "appear", "appears", "seem", "seems", "confirm", "confirmed", "admit", "admits",
    "admitted", "told", "tell", "tells", "advise", "advises", "advised", "denies", "denied",
    "deny", "denying",
})
#: Words that cannot belong to the noun list a negation spreads over.
_NOT_NOUN = frozenset({
    "on", "in", "at", "per", "with", "by", "from", "to", "for", "he", "she", "they", "it",
    "i", "we", "is", "was", "are", "were", "has", "had", "have", "be", "been", "seen",
    "known", "mentioned", "visible", "involved", "reported", "found", "present", "noted",
    "observed", "made", "here", "there", "today", "yet", "said", "says", "states", "that",
    "this",
})
#: Words allowed between a list separator and the next listed noun.
_LIST_WORDS = frozenset({
    "or", "and", "nor", "any", "other", "no", "a", "an", "the", "of", "kind", "kinds",
    "type", "types", "sort", "either", "neither",
})
_VERBISH = frozenset({
    "has", "have", "had", "is", "was", "are", "were", "be", "been", "he", "she", "they",
    "it", "i", "we", "got", "gets", "get", "keeps", "kept", "just", "still", "now",
})


def _verbish(word: str) -> bool:
    return word in _VERBISH or (len(word) > 4 and word.endswith(("ing", "ed")))


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)


def _boundary_before(text: str, start: int, chars: str, words: re.Pattern[str]) -> int:
    lo = max(0, start - _LOOKBACK)
    cut = max(lo, max(text.rfind(char, lo, start) for char in chars) + 1)
    for word in words.finditer(text, cut, start):
        if _word_starts_at(text, word.start()):
            cut = word.end()
    return cut


def _boundary_after(text: str, end: int, chars: str, words: re.Pattern[str]) -> int:
    hi = min(len(text), end + _LOOKBACK)
    found = [i for i in (text.find(char, end, hi) for char in chars) if i >= 0]
    cut = min(found) if found else hi
    for word in words.finditer(text, end, cut):
        if _word_starts_at(text, word.start()):
            return word.start()
    return cut


def clause_start(text: str, start: int) -> int:
    """Where the clause holding `text[start]` begins (after punctuation or a turn word)."""
    return _boundary_before(text, start, _HARD_CHARS, _TURN)


def _starts_new_clause(previous: str, tokens: Sequence[str]) -> bool:
    for token in tokens:
        if token in _SUBJECTS and previous not in _COMPLEMENT:
            return True
        previous = token
    return False


def _list_continues(tokens: Sequence[str], phrase: str) -> bool:
    """After a separator, a negation holds only over a plain list of nouns."""
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in _SOFT or token in ("or", "nor"):
            parts.append([])
        else:
            parts[-1].append(token)
    for part in parts[:-1]:
        if not part or len(part) > 3 or any(word in _NOT_NOUN for word in part):
            return False
    if any(word not in _LIST_WORDS for word in parts[-1]):
        return False
    return not any(_verbish(word) for word in _TOKEN.findall(phrase))


def _in_scope(kind: str, cue: str, gap: str, phrase: str) -> bool:
    tokens = _TOKEN.findall(gap)
    words = [token for token in tokens if token not in _SOFT]
    if len(words) > (0 if kind == "bare" else SCOPE_WORDS):
        return False
    last = cue.split()[-1]
    previous = last if (kind == "doubt" or last in _COMPLEMENT) else ""
    if _starts_new_clause(previous, tokens):
        return False
    if any(token in _SOFT for token in tokens):
        return _list_continues(tokens, phrase)
    return True


def is_negated(text: str, start: int, end: int) -> bool:
    """Whether the phrase `text[start:end]` is denied or doubted by its context."""
    begin = clause_start(text, start)
    phrase = text[start:end]
    for cue_start, cue_end, kind in reversed(_cues(text, begin, end)):
        if _PSEUDO.match(text, cue_start):
            continue
        if cue_end > start:  # a denial inside the phrase itself ("was nver violent")
            if kind == "neg" and cue_start >= start:
                return True
            continue
        if _in_scope(kind, text[cue_start:cue_end], text[cue_end:start], phrase):
            return True
    return _POST.match(text, end) is not None


def segment(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the list item or clause around `text[start:end]` (for exclusions):
    at most `SEGMENT_WORDS` words either side, as CAD notes often have no punctuation."""
    lo = start
    for _ in range(SEGMENT_WORDS + 1):
        lo = text.rfind(" ", 0, lo - 1) + 1 if lo > 1 else 0
        if lo == 0:
            break
    hi = end
    for _ in range(SEGMENT_WORDS + 1):
        found = text.find(" ", hi + 1)
        hi = len(text) if found < 0 else found
        if found < 0:
            break
    return (max(lo, _boundary_before(text, start, _SEGMENT_CHARS, _SEGMENT_WORD)),
            min(hi, _boundary_after(text, end, _SEGMENT_CHARS, _SEGMENT_WORD)))
