"""Keyboard noise of a call-taker typing fast: typos, common misspellings, lost punctuation.

Applied after rendering, on words of four letters or more and never on the fact-bearing
short words (`no`, `not`, `gun`), so noise makes reading harder without changing what
a note says.
"""

from __future__ import annotations

import re

from data.generator.rng import Rng

MISSPELLINGS: dict[str, tuple[str, ...]] = {
    "received": ("recieved",), "neighbor": ("nieghbor", "neighbour", "nabor"),
    "their": ("thier",), "because": ("becuase", "bc", "cuz"),
    "definitely": ("definately",), "weird": ("wierd",), "until": ("untill",),
    "apparently": ("apparantly",), "saying": ("sayin",), "threatening": ("threatning",),
    "separate": ("seperate",), "believes": ("beleives",), "hospital": ("hosptial",),
    "medication": ("medicaiton", "meds"), "schizophrenia": ("schizo", "schizophrenic"),
    "intoxicated": ("intoxicted",), "apartment": ("apartmnet", "apt"),
    "bathroom": ("bathrm",), "property": ("proprety",), "daughter": ("daugther",),
    "yelling": ("yellin", "yeling"), "screaming": ("screamin",), "behind": ("behnd",),
}

#: Splitting on a captured word leaves the words at the odd positions of the result.
_WORD = re.compile(r"([A-Za-z]{4,})")


def _typo(word: str, rng: Rng) -> str:
    lowered = word.lower()
    if lowered in MISSPELLINGS and rng.random() < 0.7:
        fixed = rng.choice(MISSPELLINGS[lowered])
        return fixed.upper() if word.isupper() else fixed
    position = 1 + int(rng.random() * (len(word) - 2))
    kind = rng.random()
    if kind < 0.35:  # swap two neighbours
        return word[:position] + word[position + 1] + word[position] + word[position + 2:]
    if kind < 0.65:  # drop a letter
        return word[:position] + word[position + 1:]
    if kind < 0.85:  # double a letter
        return word[:position] + word[position] + word[position:]
    return word[:position] + word[position - 1] + word[position + 1:]  # neighbouring key-ish


def add_typos(text: str, rng: Rng, count: int) -> str:
    """Corrupt up to `count` words of four letters or more."""
    pieces = _WORD.split(text)
    words = len(pieces) // 2
    if not words:
        return text
    for word in rng.distinct(range(words), min(count, words)):
        pieces[2 * word + 1] = _typo(pieces[2 * word + 1], rng)
    return "".join(pieces)


def roughen(text: str, rng: Rng, typo_rate: float) -> str:
    """Typos with probability `typo_rate`, sometimes lost commas, periods or spacing."""
    if rng.random() < typo_rate:
        text = add_typos(text, rng, rng.choice((1, 1, 2, 2, 3)))
    roll = rng.random()
    if roll < 0.12:
        text = text.replace(",", "")
    elif roll < 0.22:
        text = text.replace(". ", " ", rng.choice((1, 2, 3)))
    elif roll < 0.27:
        text = text.replace(" ", "  ", 1)
    if text.endswith(".") and rng.random() < 0.3:
        text = text[:-1]
    return text
