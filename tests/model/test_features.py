"""Word features mark negation scope, so "not threatening" is not "threatening"."""

from __future__ import annotations

import pandas as pd
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


@pytest.mark.parametrize("mark", [True, False])
@pytest.mark.parametrize("ngrams", [(1, 2), (1, 1), (1, 3), (2, 2)])
def test_word_terms_equal_scikit_learns_analyzer(training_frame: pd.DataFrame, mark: bool,
                                                 ngrams: tuple[int, int]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from model.features import TOKEN_PATTERN, negation_marked, word_terms

    reference = TfidfVectorizer(
        ngram_range=ngrams, token_pattern=TOKEN_PATTERN, lowercase=True,
        preprocessor=negation_marked if mark else None).build_analyzer()
    texts = [normalise_narrative(text) for text in training_frame["narrative"].head(300)]
    texts += ["", "no", "not threatening anyone, but has a knife", "ÉCOLE don't x_y 42",
              "no weapons. update: now has a gun"]
    for text in texts:
        assert word_terms(text, *ngrams, mark=mark) == reference(text), text


@pytest.mark.parametrize("analyzer", ["word", "char_wb"])
def test_tfidf_matrix_equals_scikit_learns_transform(training_frame: pd.DataFrame,
                                                     analyzer: str) -> None:
    """The batch narrative block is exactly `TfidfVectorizer.transform`, bit for bit."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from model.features import tfidf_matrix

    texts = [normalise_narrative(text) for text in training_frame["narrative"]]
    options = {"ngram_range": (3, 4), "max_features": 5_000} if analyzer == "char_wb" else {}
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=3,
                                 **options).fit(texts[:1_000])
    # New texts, with unknown terms, repeated terms and nothing known at all.
    unseen = [*texts[1_000:1_400], "", "zzzz qqqq", "knife knife knife knife"]
    expected = vectorizer.transform(unseen)
    found = tfidf_matrix(unseen, vectorizer.build_analyzer(), vectorizer.vocabulary_,
                         vectorizer.idf_)
    assert np.array_equal(found.indptr, expected.indptr)
    assert np.array_equal(found.indices, expected.indices)
    assert np.array_equal(found.data, expected.data)
