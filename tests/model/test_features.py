"""Word features mark negation scope, so "not threatening" is not "threatening"."""

from __future__ import annotations

import pytest

from model.features import negation_marked
from model.recommender import Recommender
from model.text import normalise_narrative


@pytest.mark.parametrize(("raw", "expected"), [
    ("SUBJ NOT THREATENING ANYONE, HAS A KNIFE",
     "subject not neg_threatening neg_anyone, has a knife"),
    ("no wpns seen. subj yelling", "no neg_weapon neg_seen. subject yelling"),
    ("he is not violent but threatening staff",
     "he is not neg_violent but threatening staff"),
    ("man sleeping in the vestibule", "man sleeping in the vestibule"),
    ("denies SI, has a rope", "denies neg_suicidal neg_ideation, has a rope"),
])
def test_scope_is_short_and_ends_at_clause_punctuation_or_a_turn(raw: str,
                                                                  expected: str) -> None:
    assert negation_marked(normalise_narrative(raw)) == expected


def test_scope_reaches_at_most_four_words() -> None:
    marked = negation_marked("never once in his whole life hit anyone")
    assert marked == "never neg_once neg_in neg_his neg_whole life hit anyone"


def test_negated_and_plain_words_are_different_features(
        trained_recommender: Recommender) -> None:
    names = set(trained_recommender._names)
    assert 'narrative: "threatening"' in names
    assert 'narrative: "neg_threatening"' in names
