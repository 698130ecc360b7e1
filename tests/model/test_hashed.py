"""The out-of-core variant: hashed words + SGD, same Recommender contract as the default."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data import parallel
from data.schema import QUESTION_KEYS, RESPONDERS
from data.table import frame_to_records
from model.explain import explain_class
from model.hashed import HashedCallFeatures, HashedNames, default_alpha
from model.recommender import Recommender
from model.text import normalise_narrative
from tests.model.rows import assert_rows_match_transform


@pytest.fixture(scope="module")
def hashed_recommender(training_frame: pd.DataFrame) -> Recommender:
    return Recommender.fit(training_frame, training_frame["responder"], random_state=0,
                           out_of_core=True)


def test_it_decides_like_any_recommender(hashed_recommender: Recommender,
                                         training_frame: pd.DataFrame) -> None:
    assert isinstance(hashed_recommender._features, HashedCallFeatures)
    assert hashed_recommender.params["model_kind"] == "hashed-sgd"
    assert hashed_recommender.params["alpha"] == pytest.approx(
        default_alpha(len(training_frame)))
    held = training_frame.sample(400, random_state=4)
    decisions = hashed_recommender.decide_frame(held)
    assert set(decisions["recommendation"]) <= set(RESPONDERS)
    accuracy = (decisions["recommendation"].to_numpy() == held["responder"].to_numpy()).mean()
    assert accuracy > 0.8  # rows it was trained on: a sanity floor, not a quality figure
    for record, (_, row) in zip(frame_to_records(held.head(60)), decisions.head(60).iterrows(),
                                strict=True):
        one = hashed_recommender.decide(record, explain=False)
        assert one.recommendation == row["recommendation"]
        for name in RESPONDERS:
            assert one.probabilities[name] == pytest.approx(row[f"p_{name}"], abs=1e-6)


def test_one_record_row_equals_the_batch_transform(hashed_recommender: Recommender,
                                                   training_frame: pd.DataFrame) -> None:
    assert_rows_match_transform(hashed_recommender._features,
                                training_frame.sample(30, random_state=5))


def test_explanations_are_exact_and_name_hashed_words(hashed_recommender: Recommender
                                                      ) -> None:
    record = frame_to_records(pd.DataFrame([{
        "call_id": "H-1", "narrative": "SUBJ THREATENING STAFF WITH A KNIFE, ETOH",
        "call_type": "EDP", "q_weapons": "yes"}]))[0]
    decision = hashed_recommender.decide(record)
    features = hashed_recommender._features
    row = features.row(normalise_narrative(record.narrative),
                       [getattr(record.questionnaire, key) for key in QUESTION_KEYS],
                       record.call_type)
    scores = hashed_recommender._scorer.score_row(row)
    for index, name in enumerate(RESPONDERS):
        assert explain_class(hashed_recommender._scorer, row, name).score == pytest.approx(
            scores[index], abs=1e-9)
    assert decision.explanation
    names = hashed_recommender._names
    assert isinstance(names, HashedNames)
    knife = features.word_.transform(["knife"]).indices[0]
    assert '"knife"' in names[knife]
    assert names[features.n_hashed] == "questionnaire: weapons = yes"
    with pytest.raises(IndexError):
        names[len(names)]


def test_the_same_model_for_any_number_of_workers(monkeypatch: pytest.MonkeyPatch,
                                                  training_frame: pd.DataFrame) -> None:
    monkeypatch.setattr(parallel, "MIN_ROWS_PER_WORKER", 200)
    frame = training_frame.head(1500)
    one = Recommender.fit(frame, frame["responder"], out_of_core=True, workers=1)
    two = Recommender.fit(frame, frame["responder"], out_of_core=True, workers=2)
    np.testing.assert_array_equal(one._scorer.weights, two._scorer.weights)
    assert one.temperature == two.temperature


def test_save_and_load_keep_its_decisions(hashed_recommender: Recommender,
                                          training_frame: pd.DataFrame,
                                          tmp_path: Path) -> None:
    hashed_recommender.save(tmp_path / "model")
    loaded = Recommender.load(tmp_path / "model")
    sample = training_frame.head(200)
    pd.testing.assert_frame_equal(hashed_recommender.decide_frame(sample),
                                  loaded.decide_frame(sample))
