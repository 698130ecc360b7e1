"""Narrative normalisation: the pre-checked fast path equals running every step."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from model.text import _normalise_every_step, normalise_narrative

EVAL_FILE = Path(__file__).resolve().parents[2] / "data" / "eval" / "handwritten_calls.csv"

# Characters and fragments every pre-check is about: slashes, dashes, stops, digits,
# control characters, unicode punctuation, and the shorthand the patterns look for.
FRAGMENTS = [
    " ", "  ", "\t", "\n", "\r\n", "\x00", "\x85", "\u2028", "-", "--", " - ", "\u2013",
    "\u2014", "\u2026", "`", "\u2019", ".", "!", ". .", "/", "w/m", "b/f", "+", "+si",
    "35", "35yom", "22 y/o", "\u0663", "hi", "denies hi", "si/hi", "fa", "armed w/ fa",
    "with a fa", "rp", "subj", "etoh", "w/", "w/o", "knf", "gun", "HI", "FA", "RP",
    "\u00e9", "hi\u00e9", "fa_", "said hi", "unk", "nfi", "a", "b", "x", "'",
    "y", "yo", " yrs old", "y.o.", "!!", "..", "\u2002", "\x1f", "w/out", "r/p",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join))
@settings(max_examples=400, deadline=None)
def test_fast_path_equals_every_step(text: str) -> None:
    assert normalise_narrative(text) == _normalise_every_step(text)


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_fast_path_equals_every_step_on_any_text(text: str) -> None:
    assert normalise_narrative(text) == _normalise_every_step(text)


def test_fast_path_equals_every_step_on_handwritten_calls() -> None:
    notes = pd.read_csv(EVAL_FILE)["narrative"].astype(str)
    assert len(notes) > 200
    for note in notes:
        assert normalise_narrative(note) == _normalise_every_step(note), note


def test_shorthand_is_spelt_out() -> None:
    text = normalise_narrative("RP ADV SUBJ W/ KNF\nDENIES SI/HI -- 35YOM, W/M")
    assert text == ("reporting party advised subject with knife. denies suicidal ideation / "
                    "homicidal ideation ; 35 year old male, male")
