"""`literal_trie`: the same matches as a longest-first alternation of the same strings."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from model.regex_trie import literal_trie

# A small alphabet so that strings share prefixes and texts hold them often.
WORDS = st.text(alphabet="ab/ ", min_size=1, max_size=4)
TEXTS = st.text(alphabet="ab/ c", max_size=40)


def _word_end(string: str) -> str:
    return r"(?![a-z])" if string[-1].isalpha() else ""


def _alternation(strings: list[str], end) -> re.Pattern[str]:
    ordered = sorted(set(strings), key=len, reverse=True)
    return re.compile("|".join(re.escape(s) + (end(s) if end else "") for s in ordered))


@given(st.lists(WORDS, min_size=1, max_size=12), TEXTS)
@example(["a", "a/"], "a/ b")  # the longer string is tried before the shorter one's end
@example(["ab", "a"], "ab a")
@settings(max_examples=400, deadline=None)
def test_trie_with_end_conditions_finds_what_the_alternation_finds(strings, text) -> None:
    trie = re.compile("(?:" + literal_trie(strings, end=_word_end) + ")")
    reference = _alternation(strings, _word_end)
    assert [m.span() for m in trie.finditer(text)] == \
        [m.span() for m in reference.finditer(text)]


@given(st.lists(WORDS, min_size=1, max_size=12), TEXTS)
@settings(max_examples=200, deadline=None)
def test_plain_trie_finds_what_the_alternation_finds(strings, text) -> None:
    trie = re.compile("(?:" + literal_trie(strings) + ")")
    assert [m.span() for m in trie.finditer(text)] == \
        [m.span() for m in _alternation(strings, None).finditer(text)]


def test_a_longer_form_that_is_not_a_whole_word_gives_way_to_a_shorter_one() -> None:
    trie = re.compile("(?:" + literal_trie(["w/", "w/o"], end=_word_end) + ")")
    assert trie.match("w/out").group() == "w/"
    assert trie.match("w/o knife").group() == "w/o"
