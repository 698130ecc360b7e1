"""Narrative normalisation: one canonical text for the classifier's features and the rules.

Call-takers type fast: capitals, CAD abbreviations (`RP`, `SUBJ W/ KNF`, `ETOH`, `SI/HI`),
slashes, typos. Both the classifier and the rules read `normalise_narrative(text)`, so a
rule written as `with a knife` also matches `W/ A KNF`, and the model sees one word for
one meaning. Everything is precompiled at import: about 15-30 µs for a 300-char note.

Choices (where call-takers' shorthand is ambiguous):

- 10-codes (`10-4`, `10-50`) differ between agencies: left as written.
- Race-and-sex descriptors (`W/M`, `B/F`, `H/M`) keep only the sex (`male`, `female`):
  race never becomes a model feature or rule evidence.
- `HI` is expanded to "homicidal ideation" only in clinical context (`denies HI`,
  `SI/HI`, `c/o HI`, `+HI`), because "said hi" is a greeting.
- `FA` is a firearm only in `F/A` or after a possession word (`w/ FA`, `armed w/ FA`,
  `has a FA`); bare `FA` is also "fire alarm" in CAD and is left alone.
- Line breaks separate CAD entries, so they become sentence ends (`. `): a negation in
  one entry never reaches into the next.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from model.regex_trie import literal_trie


class Expansion(NamedTuple):
    """One row of the shorthand table: the written forms, what they mean, and why."""

    forms: str  # space-separated written forms (lower case), e.g. "rp r/p"
    meaning: str
    note: str


#: Shorthand real call-takers use, and frequent typos. One table, read top to bottom.
EXPANSIONS: tuple[Expansion, ...] = (
    # --- who is who
    Expansion("rp r/p rptg", "reporting party", "the caller"),
    Expansion("compl comp cmpl", "complainant", "the person complaining"),
    Expansion("subj subjt subjs susp sub", "subject", "the person the call is about"),
    Expansion("pt pts", "patient", "medical shorthand"),
    Expansion("vic vict", "victim", ""),
    Expansion("ofc ofcr ofcs", "officer", ""),
    Expansion("bf", "boyfriend", ""),
    Expansion("gf", "girlfriend", ""),
    Expansion("ppl", "people", ""),
    # --- what was said and known
    Expansion("adv advd adv'd advsd", "advised", ""),
    Expansion("sts stts", "states", ""),
    Expansion("unk unkn unknwn", "unknown", ""),
    Expansion("nfi", "no further information", "pseudo-negation: negates nothing"),
    Expansion("neg", "negative", "a negation cue: `neg weapons`"),
    Expansion("pos poss", "possible", "`poss wpn`: a possible weapon still fires"),
    Expansion("info", "information", ""),
    Expansion("approx aprox", "approximately", ""),
    Expansion("lka", "last known address", ""),
    Expansion("lsw", "last seen wearing", ""),
    Expansion("hx h/o", "history", "`hx of violence`"),
    Expansion("c/o", "complains of", ""),
    Expansion("d/t", "due to", ""),
    Expansion("b/c bc", "because", ""),
    Expansion("w/o", "without", "before `w/`"),
    Expansion("w/", "with", "`w/knife` too"),
    Expansion("rptd", "reported", ""),
    # --- crisis, substances, medical
    Expansion("si s/i", "suicidal ideation", ""),
    Expansion("si/hi", "suicidal ideation / homicidal ideation", "`denies SI/HI`"),
    Expansion("etoh", "alcohol", "ethanol"),
    Expansion("intox", "intoxicated", ""),
    Expansion("od odd'd od'd", "overdose", "`odd` (a word) is not in this row"),
    Expansion("oding od'ing odng", "overdosing", ""),
    Expansion("ods", "overdoses", ""),
    Expansion("unresp unrespon", "unresponsive", ""),
    Expansion("ivc", "involuntary commitment", "North Carolina's commitment order"),
    Expansion("dv", "domestic violence", ""),
    Expansion("gsw", "gunshot wound", ""),
    # --- weapons
    Expansion("wpn wpns weap weaps weapn wepon wepons weopon weopons weapen", "weapon",
              "abbreviations and typos; plural folds to `weapon` only for typos"),
    Expansion("knf knive kinfe knfe", "knife", "abbreviation and typos"),
    Expansion("f/a", "firearm", "bare FA is also fire alarm: see module docstring"),
    Expansion("pistal pistle", "pistol", "typos"),
    # --- places and things
    Expansion("veh vehc", "vehicle", ""),
    Expansion("bldg bldng", "building", ""),
    Expansion("apt", "apartment", ""),
    Expansion("res", "residence", ""),
    # --- typos of words rules look for
    Expansion("theatening threatning thretening threating threatenting threatenin",
              "threatening", "typos"),
    Expansion("theatened threatend thretened", "threatened", "typos"),
    Expansion("suicidle sucidal suicidial suicical suicdal suicidel", "suicidal", "typos"),
    Expansion("assualt asault assult", "assault", "typos"),
    Expansion("assualted asaulted assulted", "assaulted", "typos"),
    Expansion("stabed", "stabbed", "typo"),
    Expansion("violant voilent", "violent", "typos"),
    Expansion("agressive aggresive agresive", "aggressive", "typos"),
    Expansion("bleading bledding", "bleeding", "typos"),
    Expansion("siezure seisure seizer", "seizure", "typos"),
    Expansion("choaking", "choking", "typo"),
    Expansion("breathng breating", "breathing", "typos"),
    Expansion("harrassing harasing", "harassing", "typos"),
)

_FORMS: dict[str, str] = {
    form: row.meaning for row in EXPANSIONS for form in row.forms.split()
}


def _form_end(form: str) -> str:
    """What must follow a written form: a form ending in a letter or digit is a whole word."""
    return r"(?![a-z0-9])" if form[-1].isalnum() else ""


#: Every written form, the longest that fits first (as a trie: one pass, not one per form).
_ABBREVIATION = re.compile(r"(?<![a-z0-9/'])(?:" + literal_trie(_FORMS, end=_form_end) + ")")

#: `W/M`, `B/F`, `H/M`...: sex only (race is dropped on purpose).
_DESCRIPTOR = re.compile(r"(?<![a-z0-9/])[wbhaoi]/([mf])(?![a-z0-9])")
#: `35 Y/O`, `35YOM`: ages.
_AGE = re.compile(r"\b(\d{1,3})\s*(?:y/o|y\.o\.|yoa|yrs? old|yo)([mf])?(?![a-z])")
#: `HI` as homicidal ideation only in clinical context.
_HI = re.compile(
    r"\b((?:denies|denied|deny|denying|endorses|endorsing|reports|admits|expressing|"
    r"expresses|voicing|positive for|negative for|positive|negative|with|has|having|any|"
    r"complains of|suicidal ideation(?: and| or| /)?)\s+)hi\b"
)
#: `FA` as a firearm only after a possession word.
_FA = re.compile(
    r"\b((?:with|has|had|have|having|armed|armed with|holding|showing|displaying|"
    r"brandishing|pointing|possible|possibly)\s+(?:an?\s+)?)fa\b"
)
_PLUS = re.compile(r"(?<![a-z0-9])\+\s?(?=[a-z])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")
_DASH_RUN = re.compile(r"\s*-{2,}\s*|\s+[-–—]\s+")
_REPEATED_STOP = re.compile(r"(?:\s*[.!]){2,}")
_OTHER = re.compile(r"[^a-z0-9\s.,;:?!'\"/\-+&%$@]")
_SLASH = re.compile(r"(?<=[a-z])/(?=[a-z])")
_SPACE = re.compile(r"\s+")
#: Only the whitespace `_SPACE` would change: runs, and single tabs or other spaces.
_SPACES = re.compile(r"\s{2,}|[^\S ]")
#: Cheap pre-checks (a literal or a character class first, so the regex engine can skip
#: ahead): whether `_AGE` (digits, then a word starting with `y`), `_HI`, `_FA` can match.
_AGE_START = re.compile(r"\d\s*y")
#: Two stops with only spaces between: where `_REPEATED_STOP` can match.
_STOP_PAIR = re.compile(r"[.!]\s*[.!]")
_HI_WORD = re.compile(r"hi(?![a-z0-9_])")
_FA_WORD = re.compile(r"fa(?![a-z0-9_])")

_UNICODE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": " - ", "\u2212": "-", "\u2026": ". ",
    "\u00a0": " ", "\u2009": " ", "\u200b": "",
})


def _expand(match: re.Match[str]) -> str:
    return _FORMS[match.group(0)]


def normalise_narrative(text: str) -> str:
    """The narrative as one lower-case, single-spaced text with shorthand spelt out.

    Punctuation that ends a clause (`.`, `;`, `,`, `?`, `!`, `:`) is kept: negation
    scope (model.negation) depends on it. Never raises for any `str`.

    Each substitution runs only when a cheap test (`in`, or a regex that starts with a
    literal or a character class) says it could match: most notes hold no slash, dash,
    `+` or line break, and a regex that starts with `\\s*` or `\\b` is tried at every
    position of the text. `_normalise_every_step` is the same
    function without the tests; a property test holds the two equal.
    """
    if not text.isascii() or "`" in text:
        text = text.translate(_UNICODE)
    if "\n" in text or "\r" in text:
        text = _LINE_BREAK.sub(". ", text)
    if not text.isprintable():
        text = _CONTROL.sub(" ", text)
    text = text.lower()
    if "-" in text or "\u2013" in text or "\u2014" in text:
        text = _DASH_RUN.sub(" ; ", text)
    if _STOP_PAIR.search(text):
        text = _REPEATED_STOP.sub(".", text)
    if "/" in text:
        text = _DESCRIPTOR.sub(_sex, text)
    if _AGE_START.search(text):
        text = _AGE.sub(_age, text)
    if "+" in text:
        text = _PLUS.sub("positive ", text)
    text = _ABBREVIATION.sub(_expand, text)
    if _HI_WORD.search(text):
        text = _HI.sub(r"\1homicidal ideation", text)
    if _FA_WORD.search(text):
        text = _FA.sub(r"\1firearm", text)
    if "/" in text:
        text = _SLASH.sub(" / ", text)
    text = _OTHER.sub(" ", text)
    if "  " in text or not text.isprintable():  # every other whitespace is unprintable
        text = _SPACES.sub(" ", text)
    return text.strip()


def _normalise_every_step(text: str) -> str:
    """`normalise_narrative` with every substitution run (the reference for tests)."""
    text = _LINE_BREAK.sub(". ", text.translate(_UNICODE))
    text = _CONTROL.sub(" ", text).lower()
    text = _DASH_RUN.sub(" ; ", text)
    text = _REPEATED_STOP.sub(".", text)
    text = _DESCRIPTOR.sub(_sex, text)
    text = _AGE.sub(_age, text)
    text = _PLUS.sub("positive ", text)
    text = _ABBREVIATION.sub(_expand, text)
    text = _HI.sub(r"\1homicidal ideation", text)
    text = _FA.sub(r"\1firearm", text)
    text = _SLASH.sub(" / ", text)
    text = _OTHER.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def _sex(match: re.Match[str]) -> str:
    return " male" if match.group(1) == "m" else " female"


def _age(match: re.Match[str]) -> str:
    sex = {"m": " male", "f": " female"}.get(match.group(2) or "", "")
    return f"{match.group(1)} year old{sex}"
