"""Batch work in forked workers gives exactly what one process gives, in frame order."""

from __future__ import annotations

import pandas as pd
import pytest

from data import parallel
from model.recommender import Recommender, normalise_all
from model.text import normalise_narrative


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let a few hundred rows use several workers (the real threshold is thousands)."""
    monkeypatch.setattr(parallel, "MIN_ROWS_PER_WORKER", 50)


def _chunk_sum(offset: int, chunk: pd.Series) -> list[int]:
    return [offset + value for value in chunk.tolist()]


def test_map_frame_keeps_frame_order_and_inherits_state(small_chunks: None) -> None:
    values = pd.Series(range(1000))
    parts = parallel.map_frame(_chunk_sum, 7, values, workers=2)
    assert len(parts) > 2  # really cut into chunks
    assert [value for part in parts for value in part] == [value + 7 for value in range(1000)]


def test_one_worker_or_a_small_frame_runs_in_this_process() -> None:
    values = pd.Series(range(10))
    assert parallel.map_frame(_chunk_sum, 1, values, workers=4) == [list(range(1, 11))]
    assert parallel.map_frame(_chunk_sum, 1, values, workers=1) == [list(range(1, 11))]


def test_workers_must_be_positive() -> None:
    with pytest.raises(ValueError, match="workers must be a positive number"):
        parallel.resolve_workers(-1)
    assert parallel.resolve_workers(None) == parallel.cpu_workers() >= 1
    assert parallel.resolve_workers(3) == 3


def test_decide_frame_in_workers_equals_one_process(small_chunks: None,
                                                    trained_recommender: Recommender,
                                                    training_frame: pd.DataFrame) -> None:
    sample = training_frame.sample(600, random_state=3)
    one = trained_recommender.decide_frame(sample)
    many = trained_recommender.decide_frame(sample, workers=2)
    pd.testing.assert_frame_equal(one, many)
    assert many["call_id"].tolist() == sample["call_id"].astype(str).tolist()


def test_normalise_all_in_workers_equals_one_process(small_chunks: None,
                                                     training_frame: pd.DataFrame) -> None:
    narratives = training_frame["narrative"].head(500)
    assert normalise_all(narratives, workers=2) == [normalise_narrative(text)
                                                   for text in narratives]


def test_validation_in_workers_equals_one_process(small_chunks: None) -> None:
    from data.generator import generate_frame
    from data.loaders import validate_frame

    raw = generate_frame(400, seed=11)
    raw.loc[5, "narrative"] = ""  # invalid
    raw.loc[150, "q_weapons"] = "maybe"  # invalid
    raw.loc[320, "call_id"] = raw.loc[10, "call_id"]  # duplicate, in a later chunk
    raw.loc[330, "call_id"] = raw.loc[5, "call_id"]  # same id as an invalid row: valid
    raw.loc[200, "responder"] = "army"  # not a responder
    one = validate_frame(raw, "f.csv", require_label=True)
    many = validate_frame(raw, "f.csv", require_label=True, workers=2)
    pd.testing.assert_frame_equal(one.frame, many.frame)
    pd.testing.assert_frame_equal(one.rejects, many.rejects)
    assert many.rejects["source_row"].tolist() == [6, 151, 201, 321]
    assert many.rejects["reject_reason"].iloc[3] == "call_id: duplicate of data row 11"


def test_given_normalised_narratives_decide_the_same(small_chunks: None,
                                                     trained_recommender: Recommender,
                                                     training_frame: pd.DataFrame) -> None:
    sample = training_frame.sample(400, random_state=6)
    texts = [normalise_narrative(text) for text in sample["narrative"]]
    plain = trained_recommender.decide_frame(sample)
    pd.testing.assert_frame_equal(plain, trained_recommender.decide_frame(
        sample, normalised=texts))
    pd.testing.assert_frame_equal(plain, trained_recommender.decide_frame(
        sample, normalised=texts, workers=2))
    # A column in the caller's frame is never taken for the normalised text.
    planted = sample.assign(__fifthbranch_normalised__="he has a gun")
    pd.testing.assert_frame_equal(plain, trained_recommender.decide_frame(planted, workers=2))
    with pytest.raises(ValueError, match="normalised narratives"):
        trained_recommender.decide_frame(sample, normalised=texts[:-1])
