"""The split trains on the past and tests on the most recent calls; styles fold apart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.errors import DataFileError
from data.schema import RESPONDERS
from training.split import split_calls, style_folds


def _frame(n: int = 200, *, with_times: bool = True, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "call_id": [f"c{i:04d}" for i in range(n)],
        "narrative": ["x"] * n,
        "responder": np.array(RESPONDERS)[np.arange(n) % 3],
        "style": np.array(["terse", "verbose", "typo"])[rng.integers(0, 3, n)],
    })
    if with_times:
        shuffled = rng.permutation(n)
        frame["received_at"] = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(
            shuffled, unit="h")
    return frame


def test_time_split_tests_on_the_most_recent_calls() -> None:
    frame = _frame()
    split = split_calls(frame, test_fraction=0.25)
    assert split.kind == "time"
    assert len(split.test) == 50 and len(split.train) == 150
    assert split.train["received_at"].max() <= split.test["received_at"].min()
    assert set(split.train["call_id"]).isdisjoint(split.test["call_id"])


def test_without_times_the_split_is_stratified_and_seeded() -> None:
    frame = _frame(with_times=False)
    first = split_calls(frame, test_fraction=0.3, seed=4)
    again = split_calls(frame, test_fraction=0.3, seed=4)
    other = split_calls(frame, test_fraction=0.3, seed=5)
    assert first.kind == "stratified"
    assert list(first.test["call_id"]) == list(again.test["call_id"])
    assert list(first.test["call_id"]) != list(other.test["call_id"])
    shares = first.test["responder"].value_counts(normalize=True)
    assert all(abs(shares[label] - 1 / 3) < 0.02 for label in RESPONDERS)


def test_some_missing_times_fall_back_to_stratified_and_say_so() -> None:
    frame = _frame()
    frame.loc[3, "received_at"] = pd.NaT
    split = split_calls(frame)
    assert split.kind == "stratified"
    assert "1 rows lack received_at" in split.description


def test_a_missing_class_is_refused_naming_it() -> None:
    frame = _frame()
    frame = frame[frame["responder"] != "police"]
    with pytest.raises(DataFileError, match="police: 0"):
        split_calls(frame, source="calls.csv")


def test_style_folds_hold_out_each_style_within_the_split() -> None:
    split = split_calls(_frame(600))
    folds = list(style_folds(split))
    assert [fold.style for fold in folds] == ["terse", "typo", "verbose"]
    for fold in folds:
        assert set(fold.test["style"]) == {fold.style}
        assert fold.style not in set(fold.train["style"])
        assert set(fold.test["call_id"]) <= set(split.test["call_id"])
        assert set(fold.train["call_id"]) <= set(split.train["call_id"])


def test_no_style_column_means_no_folds() -> None:
    split = split_calls(_frame().drop(columns=["style"]))
    assert list(style_folds(split)) == []
