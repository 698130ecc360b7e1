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

The module also holds the matcher the rules and `model.medical` share (`PhraseMatcher`:
patterns, idioms, exclusions, negation) and what keeps it fast on 100k rows (`Scanner`:
each regex alternative is tried only where its first word starts, in texts that hold a
word it needs; `compact_alternation`: word lists as tries). Both are exact: tests hold
them equal to a plain regex search.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from re import _compiler as sre_compiler  # type: ignore[attr-defined]
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

from model.regex_trie import literal_trie

#: How many words a negation or doubt cue reaches forward.
SCOPE_WORDS = 6
#: How many words either side of a phrase `unless_clause` looks at (at most).
SEGMENT_WORDS = 8
#: How far (characters) from a phrase an idiom that swallows it is looked for.
IDIOM_REACH = 60
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


def _clause_start(text: str, start: int) -> int:
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
    begin = _clause_start(text, start)
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


def word_regex(alternatives: Sequence[str]) -> str:
    """One regex for several alternatives, matched on whole words only."""
    return _WORD_START + _alternation(alternatives) + r"(?![a-z0-9])"


def _alternation(alternatives: Sequence[str]) -> str:
    return "(?:" + "|".join(f"(?:{alternative})" for alternative in alternatives) + ")"


#: A match starts at a word start, or at an apostrophe ("'ll kill").
_WORD_START = r"(?:(?<![a-z0-9])|(?='))"


class PhraseMatcher:
    """Compiled narrative evidence: phrases, idioms to ignore, exclusions, negation.

    `ignore`: spans that only look like evidence ("flu shot", "my back is killing me").
    `unless_clause`: the phrase does not count when its clause or list item also says
    this (past, hearsay of a delusion). `unless_before`: the phrase does not count when
    these words come right before it in its clause (a future or a fear: "he will hit
    her" is a threat, not violence).
    """

    def __init__(self, patterns: Sequence[str], *, ignore: Sequence[str] = (),
                 unless_clause: Sequence[str] = (), unless_before: Sequence[str] = (),
                 negation: bool = True) -> None:
        """Compile regex alternatives (raises `PatternError` naming a bad one)."""
        self._args = (tuple(patterns), tuple(ignore), tuple(unless_clause),
                      tuple(unless_before), negation)
        self.patterns = tuple(patterns)
        self.negation = negation
        # Each alternative is parsed once: compiled anchored (tried only where one of its
        # first words starts) and analysed for the words it requires (see `Scanner`).
        trees = [_parse("patterns", i, f"(?:{p})(?![a-z0-9])") for i, p in enumerate(patterns)]
        self.alternatives = tuple(sre_compiler.compile(tree) for tree in trees)
        self.first_words = tuple(_first_words_of(tree) for tree in trees)
        self.covers = tuple(_cover(list(tree), True, True) for tree in trees)
        #: Whether every alternative has known first words (else plain search is used).
        self.anchored = all(words is not None for words in self.first_words)
        self.ignore = _compile_list("ignore", ignore, word_regex)
        self.unless_clause = _compile_list("unless_clause", unless_clause, word_regex)
        self.unless_before = _compile_list(
            "unless_before", unless_before,
            lambda items: _WORD_START + _alternation(items) + r"\s*$")
        #: Words one of which any idiom needs: no idiom search in a text without them.
        self.idiom_cover = pattern_cover(ignore) if ignore else frozenset()
        self._pattern: re.Pattern[str] | None = None
        self._scanner: Scanner | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        """All alternatives as one whole-word regex (the plain-search reference)."""
        if self._pattern is None:
            self._pattern = re.compile(word_regex(self.patterns))
        return self._pattern

    @classmethod
    def build(cls, patterns: Sequence[str], **options: Any) -> PhraseMatcher:
        return cls(patterns, **options)

    def __getstate__(self) -> tuple[Any, ...]:
        return self._args

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        patterns, ignore, unless_clause, unless_before, negation = state
        self.__init__(patterns, ignore=ignore, unless_clause=unless_clause,  # type: ignore[misc]
                      unless_before=unless_before, negation=negation)

    def counts(self, text: str, start: int, end: int, idioms: bool = True) -> bool:
        """Whether the match `text[start:end]` is evidence (not an idiom, excluded, denied).

        An idiom is looked for within `IDIOM_REACH` characters of the match (unless
        `idioms` is False: the text holds none of the words an idiom needs).
        """
        if self.ignore is not None and idioms:
            lo, hi = max(0, start - IDIOM_REACH), min(len(text), end + IDIOM_REACH)
            if any(m.start() < end and start < m.end()
                   for m in self.ignore.finditer(text, lo, hi)):
                return False
        if self.negation and is_negated(text, start, end):
            return False
        if self.unless_clause is not None or self.unless_before is not None:
            lo, hi = segment(text, start, end)
            if self.unless_clause is not None and self.unless_clause.search(text[lo:hi]):
                return False
            if self.unless_before is not None and self.unless_before.search(
                    text[_clause_start(text, start):start]):
                return False
        return True

    def evidence(self, text: str) -> str | None:
        """The first phrase in `text` that counts as evidence, or None."""
        if self._scanner is None:
            self._scanner = Scanner([self])
        return self.evidence_at(text, *self._scanner.scan(text).of(0))

    def evidence_at(self, text: str, candidates: Sequence[tuple[int, Sequence[int]]],
                    idioms: bool = True) -> str | None:
        """`evidence`, trying only `candidates`: (position, alternatives) in text order.

        The same matches as `self.pattern.finditer(text)`, found faster. `idioms`: whether
        the text may hold an idiom (see `Scanner`).
        """
        if not self.anchored:
            return self.reference_evidence(text)
        resume = 0
        for position, alternatives in candidates:
            if position < resume:
                continue
            for index in alternatives:
                found = self.alternatives[index].match(text, position)
                if found is not None:
                    break
            else:
                continue
            start, end = found.span()
            if self.counts(text, start, end, idioms):
                return found.group(0)
            resume = end
        return None

    def reference_evidence(self, text: str) -> str | None:
        """`evidence` by plain search of the whole pattern (slow; the reference)."""
        for found in self.pattern.finditer(text):
            if self.counts(text, *found.span()):
                return found.group(0)
        return None


# -- prefilter: where each alternative can possibly match ----------------------------
# Every match of a narrative pattern starts with one of a known set of words and
# contains some word from a small set the pattern requires (the rarest one: "violent"
# rather than "is"), either whole ("gun") or as the start of a word ("burglar" in
# "burglarized"). Both sets are read off the parsed regex. One pass over a text's tokens
# (cached per distinct token) tells which alternatives can match and where to try them.
# Exact: the prefilter never changes a result (tests compare it with plain search).
_SPACE = ord(" ")
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
            sre_constants.POSSESSIVE_REPEAT)
_COMMON = frozenset({
    "the", "and", "with", "has", "have", "had", "his", "her", "him", "she", "they", "them",
    "was", "were", "are", "for", "that", "this", "not", "from", "but", "you", "who",
    "will", "just", "been", "being", "into", "out", "caller", "reporting", "party",
    "subject", "says", "said", "states", "per", "then", "also", "now", "is", "at", "in",
    "on", "to", "a", "an", "of", "he", "it", "got", "get", "all",
})
#: A required word: the word, and whether it is whole (else a word starting so).
Word = tuple[str, bool]
Cover = frozenset[Word] | None


def _cost(cover: Cover) -> float:
    if cover is None:
        return float("inf")
    total = 0.0
    for word, whole in cover:
        if word in _COMMON:
            total += 1000
        elif not whole:
            total += 100 if len(word) <= 3 else 1
        else:
            total += 30 if len(word) <= 2 else (3 if len(word) == 3 else 1)
    return total


def _better(a: Cover, b: Cover) -> Cover:
    return b if _cost(b) < _cost(a) else a


def _class_chars(items: list[Any]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(av))
        elif op is sre_constants.RANGE and av[1] - av[0] < 12:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars if chars and len(chars) <= 12 else None


#: How deep `_first_words` follows nested groups (a word list as a trie nests a group per
#: letter); deeper, it gives up and the alternative is searched the plain way.
_MAX_DEPTH = 64


def _first_words(items: list[Any], prefix: str = "", depth: int = 0,
                 whole_at_end: bool = True) -> set[Word] | None:
    """The first word of any match of `items` (which start at a word)."""
    for i, (op, av) in enumerate(items):
        if op is sre_constants.LITERAL:
            if av == _SPACE:
                return {(prefix, True)} if prefix else None
            prefix += chr(av)
            continue
        if op in _ZERO_WIDTH:
            continue
        found = None
        if depth < _MAX_DEPTH:
            found = _first_words_at(op, av, list(items[i + 1:]), prefix, depth, whole_at_end)
        if found is None or any(not word for word, _ in found):
            return {(prefix, False)} if prefix else None
        return found
    return {(prefix, whole_at_end)} if prefix else None


def _first_words_at(op: Any, av: Any, rest: list[Any], prefix: str, depth: int,
                    whole_at_end: bool) -> set[Word] | None:
    """`_first_words` from a group, class or repeat onwards."""
    branches: list[tuple[list[Any], str]]
    if op is sre_constants.IN:
        chars = _class_chars(av)
        if chars is None:
            return None
        branches = [(rest, prefix + char) for char in chars]
    elif op is sre_constants.SUBPATTERN:
        branches = [(list(av[-1]) + rest, prefix)]
    elif op is sre_constants.BRANCH:
        branches = [(list(branch) + rest, prefix) for branch in av[1]]
    elif op in _REPEATS:
        low, _high, body = av
        branches = [(list(body) + rest, prefix)] + ([(rest, prefix)] if low == 0 else [])
    else:
        return None
    out: set[Word] = set()
    for items, start in branches:
        found = _first_words(items, start, depth + 1, whole_at_end)
        if found is None:
            return None
        out |= found
    return out


def _ends_with_space(items: Sequence[Any]) -> bool:
    for op, av in reversed(items):
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.LITERAL:
            return av == _SPACE
        if op is sre_constants.SUBPATTERN:
            return _ends_with_space(av[-1])
        if op is sre_constants.BRANCH:
            return all(_ends_with_space(branch) for branch in av[1])
        if op in _REPEATS:
            return _ends_with_space(av[2])
        return False
    return False


def _cover(items: Sequence[Any], at_word: bool, whole_at_end: bool, depth: int = 0) -> Cover:
    """The cheapest set of words one of which every match of `items` contains.

    Looks inside groups only two levels deep: enough for the rules' patterns, and the
    analysis of big word lists stays fast.
    """
    best: Cover = None
    inside = depth < 2
    for i, (op, av) in enumerate(items):
        if at_word and not (op is sre_constants.LITERAL and av == _SPACE) \
                and op not in _ZERO_WIDTH:
            found = _first_words(list(items[i:]), whole_at_end=whole_at_end)
            best = _better(best, None if found is None else frozenset(found))
        if not inside:
            pass
        elif op is sre_constants.SUBPATTERN:
            best = _better(best, _cover(av[-1], at_word, False, depth + 1))
        elif op is sre_constants.BRANCH:
            parts = [_cover(branch, at_word, False, depth + 1) for branch in av[1]]
            if all(part is not None for part in parts):
                best = _better(best, frozenset().union(*parts))  # type: ignore[arg-type]
        elif op in _REPEATS and av[0] >= 1:
            best = _better(best, _cover(av[2], at_word, False, depth + 1))
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.LITERAL:
            at_word = av == _SPACE
        elif op in _REPEATS and av[0] == 0:
            at_word = at_word and _ends_with_space(av[2])
        else:
            at_word = _ends_with_space([(op, av)])
    return best


def pattern_cover(patterns: Sequence[str]) -> Cover:
    """Words one of which every match of any of `patterns` contains (None: no such set)."""
    words: set[Word] = set()
    for pattern in patterns:
        found = _cover(list(sre_parser.parse(pattern)), True, True)
        if found is None:
            return None
        words |= found
    return frozenset(words)


_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _first_words_of(tree: Any) -> frozenset[Word] | None:
    found = _first_words(list(tree))
    return None if found is None else frozenset(found)


class PatternError(ValueError):
    """A regex that does not compile: which list, which item, and why."""

    def __init__(self, field: str, index: int, error: re.error) -> None:
        super().__init__(f"{field}[{index}]: {error}")
        self.field = field
        self.index = index
        self.error = error


def _parse(field: str, index: int, pattern: str) -> Any:
    try:
        return sre_parser.parse(pattern)
    except re.error as error:
        raise PatternError(field, index, error) from error


def _compile_list(field: str, items: Sequence[str],
                  join: Callable[[Sequence[str]], str]) -> re.Pattern[str] | None:
    if not items:
        return None
    try:
        return re.compile(join(items))
    except re.error:
        for index, item in enumerate(items):  # name the one at fault
            _parse(field, index, item)
        raise


def _word_index(entries: Iterable[tuple[Word, int]]) -> dict[str, dict[bool, set[int]]]:
    index: dict[str, dict[bool, set[int]]] = {}
    for (word, whole), owner in entries:
        index.setdefault(word, {}).setdefault(whole, set()).add(owner)
    return index


def _lookup(index: dict[str, dict[bool, set[int]]], rest: str) -> set[int]:
    """Owners of the words `rest` (text from a word start) begins with."""
    out: set[int] = set()
    for k in range(1, len(rest) + 1):
        entry = index.get(rest[:k])
        if entry:
            out |= entry.get(False, set())
            if k == len(rest) or rest[k] not in _ALNUM:
                out |= entry.get(True, set())
    return out


class Scanner:
    """Where in a text each alternative of several matchers may match, in one pass.

    An alternative can only match where one of its first words starts, and only in a
    text that holds one of the words it requires (its cover: "violent" rather than
    "is"). Both come from the regex itself, so nothing is missed. Per distinct token the
    answer is computed once and cached, as bit masks over all alternatives.
    """

    CACHE_LIMIT = 200_000

    def __init__(self, matchers: Sequence[PhraseMatcher]) -> None:
        self.matchers = tuple(matchers)
        self._alternative: list[int] = []  # bit -> alternative index within its matcher
        self._owner: list[tuple[int, int]] = []  # bit -> (matcher, alternative)
        self._matcher_bits: list[int] = []  # matcher -> mask of its alternatives
        self._idiom_bit: list[int] = []  # matcher -> bit set when its idioms may occur
        starts: list[tuple[Word, int]] = []
        covers: list[tuple[Word, int]] = []
        always = 0
        for matcher in self.matchers:
            bits = 0
            for a, (first, cover) in enumerate(zip(matcher.first_words, matcher.covers,
                                                   strict=True)):
                bit = len(self._alternative)
                self._alternative.append(a)
                self._owner.append((len(self._matcher_bits), a))
                bits |= 1 << bit
                starts += [(word, bit) for word in first or ()]
                if cover is None:
                    always |= 1 << bit
                covers += [(word, bit) for word in cover or ()]
            self._matcher_bits.append(bits)
            bit = len(self._alternative)
            self._alternative.append(-1)
            self._owner.append((-1, -1))
            self._idiom_bit.append(bit)
            if matcher.idiom_cover is None:
                always |= 1 << bit
            covers += [(word, bit) for word in matcher.idiom_cover or ()]
        self._starts = _word_index(starts)
        self._covers = _word_index(covers)
        self._always = always
        self._cache: dict[str, _TokenInfo] = {}
        #: Live start bits of one word -> its alternatives grouped by matcher (`Scan`).
        self._groups: dict[int, tuple[tuple[int, tuple[int, ...]], ...]] = {}

    def __getstate__(self) -> tuple[PhraseMatcher, ...]:
        return self.matchers

    def __setstate__(self, state: tuple[PhraseMatcher, ...]) -> None:
        self.__init__(state)  # type: ignore[misc]

    def _token(self, token: str) -> _TokenInfo:
        cover = start_bits = 0
        starts: list[tuple[int, int]] = []
        for j, char in enumerate(token):
            if not (char == "'" or (char in _ALNUM and (j == 0 or token[j - 1] not in _ALNUM))):
                continue
            rest = token[j:]
            for bit in _lookup(self._covers, rest):
                cover |= 1 << bit
            bits = _lookup(self._starts, rest)
            if bits:
                mask = sum(1 << bit for bit in bits)
                starts.append((j, mask))
                start_bits |= mask
        if not cover and not start_bits:
            return _EMPTY
        return cover, start_bits, tuple(starts)

    def scan(self, text: str) -> Scan:
        """One pass over `text`: the words it holds and where alternatives may start."""
        cache = self._cache
        if len(cache) > self.CACHE_LIMIT:
            cache.clear()
        covered = self._always
        started = 0
        hits: list[tuple[int, _TokenInfo]] = []
        offset = 0
        for token in text.split(" "):
            info = cache.get(token)
            if info is None:
                info = cache[token] = self._token(token)
            if info is not _EMPTY:
                covered |= info[0]
                if info[1]:
                    started |= info[1]
                    hits.append((offset, info))
            offset += len(token) + 1
        return Scan(self, covered, started, hits)

    def candidates(self, text: str) -> list[tuple[list[tuple[int, tuple[int, ...]]], bool]]:
        """Per matcher: `Scan.of` (positions with alternatives to try, idioms possible)."""
        scan = self.scan(text)
        return [scan.of(m) for m in range(len(self.matchers))]


#: Per token: words it holds (mask), alternatives starting in it (mask), and where.
_TokenInfo = tuple[int, int, tuple[tuple[int, int], ...]]
_EMPTY: _TokenInfo = (0, 0, ())


class Scan:
    """What `Scanner.scan` learnt about one text."""

    def __init__(self, scanner: Scanner, covered: int, started: int,
                 hits: list[tuple[int, _TokenInfo]]) -> None:
        self.scanner = scanner
        self.covered = covered
        self.hits = hits
        self._live = covered & started
        self._positions: dict[int, list[tuple[int, tuple[int, ...]]]] | None = None

    def active(self, m: int) -> bool:
        """Whether matcher `m` can match at all (some alternative covered and started;
        always for a matcher searched the plain way)."""
        if not self.scanner.matchers[m].anchored:
            return True
        return bool(self._live & self.scanner._matcher_bits[m])

    def of(self, m: int) -> tuple[list[tuple[int, tuple[int, ...]]], bool]:
        """Matcher `m`: (position, alternatives) in text order, and whether an idiom of
        its may occur in the text."""
        scanner = self.scanner
        idioms = bool(self.covered >> scanner._idiom_bit[m] & 1)
        if self._positions is None:
            self._positions = self._all_positions()
        return self._positions.get(m, []), idioms

    def _all_positions(self) -> dict[int, list[tuple[int, tuple[int, ...]]]]:
        live = self._live
        scanner = self.scanner
        groups = scanner._groups
        if len(groups) > scanner.CACHE_LIMIT:
            groups.clear()
        out: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        for offset, (_, start_bits, starts) in self.hits:
            if not start_bits & live:
                continue
            for j, bits in starts:
                wanted = bits & live
                if not wanted:
                    continue
                grouped = groups.get(wanted)
                if grouped is None:
                    grouped = groups[wanted] = _group_bits(wanted, scanner._owner)
                for m, alternatives in grouped:
                    out.setdefault(m, []).append((offset + j, alternatives))
        return out


def _group_bits(wanted: int, owner: Sequence[tuple[int, int]]
                ) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """The set bits of `wanted`, lowest first (matcher order, then pattern), as
    (matcher, its alternatives) pairs: the same for every word with these bits, so cached."""
    grouped: list[tuple[int, list[int]]] = []
    while wanted:
        low = wanted & -wanted
        wanted ^= low
        m, a = owner[low.bit_length() - 1]
        if not grouped or grouped[-1][0] != m:
            grouped.append((m, []))
        grouped[-1][1].append(a)
    return tuple((m, tuple(alternatives)) for m, alternatives in grouped)


# -- compact alternations: word lists as tries ----------------------------------------
# A flat alternation of 200 words ("hit|hits|hitting|...") is tried word by word at
# every position of every text; the same words as a trie are tried letter by letter.
_PLAIN = re.compile(r"(?:[a-z0-9 '\-&]\??)+")


def _split_top(regex: str) -> list[str]:
    """`regex` split at its top-level `|`."""
    parts, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, char in enumerate(regex):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
    parts.append(regex[start:])
    return parts


def _expand_plain(alternative: str) -> list[str] | None:
    """The literal strings a plain alternative (letters and `x?`) stands for, or None."""
    if not _PLAIN.fullmatch(alternative) or alternative.count("?") > 4:
        return None
    strings = [""]
    i = 0
    while i < len(alternative):
        char = alternative[i]
        optional = i + 1 < len(alternative) and alternative[i + 1] == "?"
        strings = [s + char for s in strings] + (strings if optional else [])
        i += 2 if optional else 1
    return [s for s in strings if s]


def plain_strings(alternatives: Sequence[str]) -> list[str]:
    """The literal words among regex alternatives ("guns?" gives "gun" and "guns")."""
    out: list[str] = []
    for alternative in alternatives:
        for part in _split_top(alternative):
            out.extend(_expand_plain(part) or ())
    return out


def compact_alternation(alternatives: Sequence[str]) -> str:
    """`(?:a|b|...)` with its plain-word alternatives merged into a trie (same matches)."""
    literals: list[str] = []
    others: list[str] = []
    for alternative in alternatives:
        for part in _split_top(alternative):
            expanded = _expand_plain(part)
            if expanded is None:
                others.append(part)
            else:
                literals.extend(expanded)
    branches = ([literal_trie(literals)] if literals else []) + others
    return "(?:" + "|".join(f"(?:{branch})" for branch in branches) + ")"
