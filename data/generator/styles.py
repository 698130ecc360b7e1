"""Three ways call-takers write the same facts: CAD shorthand, plain sentences, rambling.

`cad`: upper case, telegraphic, abbreviations used some of the time (RP, SUBJ, ADV, UNK,
ETOH, LKA, W/M, NFI, SI, HI, GSW). `plain`: sentences that quote or paraphrase the
caller. `rambling`: long run-on notes with asides and connectives. The style is chosen
per call and stored with it, so evaluation can hold out a whole style.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

STYLES: tuple[str, ...] = ("cad", "plain", "rambling")
#: Share of each style in a history: most centres write shorthand.
STYLE_SHARES: tuple[float, ...] = (0.45, 0.35, 0.20)

#: Plain phrase -> CAD spellings; each occurrence is abbreviated only some of the time,
#: as real notes mix "RP" and "CALLER" within one call.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "caller": ("RP", "RP", "R/P", "COMP"), "subject": ("SUBJ", "SUBJ", "S1"),
    "advises": ("ADV", "ADVS"), "advised": ("ADV",), "says": ("STS", "ADV", "SAYS"),
    "states": ("STS", "STATES"), "unknown": ("UNK",), "alcohol": ("ETOH",), "etoh": ("ETOH",),
    "last seen": ("LKA", "LS"), "with": ("W/", "W/"), "without": ("W/O",),
    "no further info": ("NFI",), "suicidal thoughts": ("SI",), "thoughts of suicide": ("SI",),
    "thoughts of self harm": ("SI/SH",), "vehicle": ("VEH",), "apartment": ("APT",),
    "residence": ("RES",), "about": ("APPROX", "ABT", "ABOUT"), "because": ("B/C",),
    "possible": ("POSS",), "female": ("FEM", "F"), "male": ("M", "MALE"),
    "people": ("PPL",), "black": ("BLK",), "wearing": ("WRG",), "refuses": ("REF", "REFUSING"),
    "medication": ("MEDS",), "meds": ("MEDS",), "hospital": ("HOSP",),
    "parking lot": ("PKG LOT", "PL"), "officer": ("OFC", "OFCR"), "officers": ("OFCS",),
    "boyfriend": ("BF",), "girlfriend": ("GF",), "brother": ("BRO",), "history": ("HX",),
    "intoxicated": ("INTOX", "10-56"), "manager": ("MGR",), "and": ("&", "AND", "+"),
    "mental health": ("MH",), "previous": ("PREV",), "location": ("LOC",),
    "towards": ("TWDS", "TWD"), "toward": ("TWD",), "neighbor": ("NEIGHBOR", "NEIGH", "NBR"),
    "requesting": ("REQ",), "requests": ("REQ",), "information": ("INFO",),
    "minutes": ("MINS", "MIN"), "hours": ("HRS",), "years old": ("YOA", "YO"),
    "gunshot": ("GSW",), "weapons": ("WPNS", "WEAPONS"), "weapon": ("WPN",),
    "doesn't": ("DOESNT", "DOES NOT"), "isn't": ("ISNT", "IS NOT"), "won't": ("WONT",),
    "he": ("HE", "SUBJ"), "she": ("SHE", "SUBJ"), "is": ("IS", "", ""), "are": ("", "ARE"),
    "the": ("", "", "THE"), "a": ("", "A"), "an": ("", "AN"), "his": ("HIS", ""),
    "her": ("HER",), "someone": ("SOMEONE", "SOMEBODY", "UNK PERSON"),
    "homicidal": ("HI",), "denies": ("DENIES", "DENYING", "NEG"),
}
#: Per abbreviatable phrase, its spellings in proportion: the phrase itself 30% of the
#: time, each abbreviation an equal part of the other 70% (one draw picks).
_SPELLINGS: dict[str, tuple[str, ...]] = {
    phrase: (phrase,) * (3 * len(options)) + options * 7
    for phrase, options in _ABBREVIATIONS.items()}


def _trie_pattern(words: list[str]) -> str:
    """A regex matching any of `words`, longest first, with shared prefixes factored out.

    Python's regex engine tries the alternatives of `a|b|c` one by one at each word
    start; as a trie (`c(?:aller|...)`) it rejects on the first letter instead. With
    case-sensitive matching on the lower-cased note, a CAD note is abbreviated about
    six times faster than with the case-insensitive alternation.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return pattern(trie)


#: Matched against the lower-cased note (the result is upper-cased anyway): a
#: case-sensitive pattern lets the engine skip non-matching letters cheaply.
_ABBREVIATION_RE = re.compile(r"\b(" + _trie_pattern(list(_ABBREVIATIONS)) + r")\b(?!/)")
_SPACES_RE = re.compile(r"  +")

_CAD_SEPARATORS = (". ", ", ", " / ", "; ", " .. ", " - ", " ", ". ", ", ")
_CAD_UPDATE = ("UPDATE: ", "UPDATE: ", "UPD: ", "** UPDATE ** ", "UPDT ", "UPDATE- ",
               "*UPDATE* ")
_PLAIN_UPDATE = ("UPDATE: ", "Update: ", "UPDATE - ", "Update - ", "UPDATE: ",
                 "Caller called back: ", "Update, ")
_RAMBLING_UPDATE = ("update: ", "UPDATE: ", "then caller called back and said ",
                    "ok now ", "update - ", "Update: ", "caller now says ")
_RAMBLING_JOINS = (". ", ", and ", " and then ", ". also ", "... ", ", so ", " - ",
                   ". and ", ", ", " and ", ". ")
_QUOTE_VERBS = ("states", "said", "says", "stated", "quote", "is saying")


def _abbreviate(text: str, draw: Callable[[], float]) -> str:
    """Replace 70% of the abbreviatable words of lower-case `text` by an abbreviation."""
    pieces = _ABBREVIATION_RE.split(text)  # the matched words are at the odd positions
    for index in range(1, len(pieces), 2):
        spellings = _SPELLINGS[pieces[index]]
        pieces[index] = spellings[int(draw() * len(spellings))]
    return "".join(pieces)


def to_cad(sentences: list[str], updates: list[str], rng: random.Random) -> str:
    """Upper-case telegraphic shorthand with inconsistent abbreviations."""
    separator = rng.choice(_CAD_SEPARATORS)
    body = separator.join(sentences)
    update_prefix = rng.choice(_CAD_UPDATE)
    for update in updates:
        body += rng.choice((" ", ". ", " / ", "\n", " ** ")) + update_prefix + update
    body = _abbreviate(body.lower(), rng.random)
    body = _SPACES_RE.sub(" ", body).strip()
    body = body.replace(" ,", ",").replace(" .", ".")
    return body.upper()


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def to_plain(sentences: list[str], updates: list[str], rng: random.Random,
             rp: str, pronoun_swap: tuple[str, str] | None) -> str:
    """Sentences in sentence case; sometimes one quotes the caller."""
    rendered = []
    quoted = False
    for index, sentence in enumerate(sentences):
        if index > 0 and not quoted and rng.random() < 0.3:
            inner = sentence
            if pronoun_swap and inner.startswith(pronoun_swap[0] + " "):
                inner = pronoun_swap[1] + inner[len(pronoun_swap[0]):]
            rendered.append(f'{_sentence(rp)} {rng.choice(_QUOTE_VERBS)} "{inner}"')
            quoted = True
        else:
            rendered.append(_sentence(sentence))
    text = ". ".join(rendered)
    prefix = rng.choice(_PLAIN_UPDATE)
    for update in updates:
        text += rng.choice((". ", ".\n", "\n", ". ")) + prefix + update
    text = text.replace('".', '"')
    if rng.random() < 0.1:
        text = text.lower()
    return text + rng.choice((".", ".", "", "."))


def to_rambling(sentences: list[str], updates: list[str], rng: random.Random) -> str:
    """Long run-on notes: lower case, connectives, repetition."""
    pieces = [sentences[0]]
    for sentence in sentences[1:]:
        pieces.append(rng.choice(_RAMBLING_JOINS))
        pieces.append(sentence)
    if len(sentences) > 2 and rng.random() < 0.3:
        pieces.append(rng.choice((". again ", ". caller repeated that ", ", like i said ")))
        pieces.append(sentences[1])
    text = "".join(pieces)
    for update in updates:
        text += rng.choice((". ", " ", "\n", "... ")) + rng.choice(_RAMBLING_UPDATE) + update
    if rng.random() < 0.5:
        text = _sentence(text)
    return text
