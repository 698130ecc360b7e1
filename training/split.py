"""Honest train/test splits: the past predicts the future, and one style predicts another.

A random split of calls flatters a text model (near-duplicate narratives of one night land
on both sides), so when every row has `received_at` the test set is the most recent slice
and the model is trained only on what came before it. Without times the split is
stratified by label. The generator's `style` column (how a call-taker writes) gives a
second, harder score: train on the other styles, test on the one held out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from data.errors import DataFileError
from data.schema import RESPONDERS
from data.table import LABEL_COLUMN

STYLE_COLUMN = "style"
TIME_COLUMN = "received_at"
DEFAULT_TEST_FRACTION = 0.2
#: Fewest labelled training rows per responder before a fit is worth trusting.
MIN_ROWS_PER_CLASS = 5


@dataclass(frozen=True)
class Split:
    """A training frame and a test frame, with how they were cut (for params and the card)."""

    train: pd.DataFrame
    test: pd.DataFrame
    kind: str  # "time" or "stratified"
    description: str


@dataclass(frozen=True)
class StyleFold:
    """One cross-style fold: train on every other style, test on `style`."""

    style: str
    train: pd.DataFrame
    test: pd.DataFrame


def split_calls(frame: pd.DataFrame, *, test_fraction: float = DEFAULT_TEST_FRACTION,
                seed: int = 0, source: str = "the data") -> Split:
    """Time-ordered split when every row has `received_at`, stratified otherwise.

    A frame where only some rows carry a time is split stratified: undated rows cannot be
    placed before or after the test slice, and silently dropping them would shrink the
    data without saying so. Raises `DataFileError` when either side would lack a class.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    _require_classes(frame, source, minimum=MIN_ROWS_PER_CLASS + 1)
    times = frame[TIME_COLUMN] if TIME_COLUMN in frame.columns else None
    if times is not None and times.notna().all():
        split = _time_split(frame, test_fraction)
    else:
        missing = len(frame) if times is None else int(times.isna().sum())
        split = _stratified_split(frame, test_fraction, seed, missing)
    _require_classes(split.train, f"{source} (training split)", minimum=MIN_ROWS_PER_CLASS)
    return split


def style_folds(split: Split) -> Iterator[StyleFold]:
    """Cross-style folds within the split: train rows of other styles, test rows of one.

    Staying inside the split keeps the time order honest (a fold never trains on calls
    newer than its test calls). Yields nothing without a `style` column or with fewer
    than two styles; skips a style whose complement lacks a responder class.
    """
    if STYLE_COLUMN not in split.train.columns or STYLE_COLUMN not in split.test.columns:
        return
    styles = sorted(set(split.train[STYLE_COLUMN].dropna().astype(str))
                    | set(split.test[STYLE_COLUMN].dropna().astype(str)))
    if len(styles) < 2:
        return
    train_styles = split.train[STYLE_COLUMN].astype(str)
    test_styles = split.test[STYLE_COLUMN].astype(str)
    for style in styles:
        train = split.train[train_styles != style]
        test = split.test[test_styles == style]
        if test.empty or not _has_all_classes(train, MIN_ROWS_PER_CLASS):
            continue
        yield StyleFold(style=style, train=train, test=test)


def _time_split(frame: pd.DataFrame, test_fraction: float) -> Split:
    order = np.lexsort((frame["call_id"].to_numpy(dtype=str),
                        frame[TIME_COLUMN].to_numpy(dtype="datetime64[ns]")))
    n_test = max(1, round(len(frame) * test_fraction))
    ordered = frame.iloc[order]
    train, test = ordered.iloc[:-n_test], ordered.iloc[-n_test:]
    cut = test[TIME_COLUMN].iloc[0]
    return Split(train=train.reset_index(drop=True), test=test.reset_index(drop=True),
                 kind="time",
                 description=f"time-ordered: the most recent {n_test} calls "
                             f"(from {cut:%Y-%m-%d %H:%M} UTC) are the test set")


def _stratified_split(frame: pd.DataFrame, test_fraction: float, seed: int,
                      missing_times: int) -> Split:
    train, test = train_test_split(frame, test_size=test_fraction, random_state=seed,
                                   stratify=frame[LABEL_COLUMN])
    why = ("no received_at column" if missing_times == len(frame)
           else f"{missing_times} rows lack received_at")
    return Split(train=train.reset_index(drop=True), test=test.reset_index(drop=True),
                 kind="stratified",
                 description=f"stratified by responder ({why}), seed {seed}, "
                             f"{len(test)} test calls")


def _has_all_classes(frame: pd.DataFrame, minimum: int) -> bool:
    counts = frame[LABEL_COLUMN].value_counts()
    return all(counts.get(label, 0) >= minimum for label in RESPONDERS)


def _require_classes(frame: pd.DataFrame, what: str, *, minimum: int) -> None:
    counts = frame[LABEL_COLUMN].value_counts()
    short = {label: int(counts.get(label, 0)) for label in RESPONDERS
             if counts.get(label, 0) < minimum}
    if short:
        found = ", ".join(f"{label}: {count}" for label, count in short.items())
        raise DataFileError(
            f"{what} has too few calls of some responders to train and test "
            f"(need at least {minimum} of each; {found})"
        )
