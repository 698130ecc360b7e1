"""A shared check: the one-record feature row equals the batch transform's row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.schema import QUESTION_KEYS
from model.features import CallFeatures
from model.recommender import _feature_frame
from model.text import normalise_narrative


def assert_rows_match_transform(features: CallFeatures, sample: pd.DataFrame) -> None:
    """`features.row(...)` of each call has the columns and values of `transform`'s row."""
    matrix = features.transform(_feature_frame(sample)).tocsr()
    for position, (_, row) in enumerate(sample.iterrows()):
        answers = [row[f"q_{key}"] for key in QUESTION_KEYS]
        one = features.row(normalise_narrative(row["narrative"]), answers, row["call_type"])
        expected = matrix[position]
        assert one.indices.tolist() == expected.indices.tolist()
        np.testing.assert_allclose(one.values, expected.data, atol=1e-12)
