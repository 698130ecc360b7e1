"""The one object that decides (issue #4 fills this in; the interface is fixed here).

Training evaluation, `fifthbranch predict`, the MLflow pyfunc and the HTTP API all call
`Recommender`, so what is measured is what is served.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from data.schema import CallRecord
from model.decision import Decision

#: Columns `decide_frame` returns, one row per input row, same order.
DECISION_COLUMNS: tuple[str, ...] = (
    "call_id",
    "recommendation",
    "model_recommendation",
    "p_heart",
    "p_co_response",
    "p_police",
    "overrides",  # fired rule ids joined with ";" ("" when none)
    "medical_advised",
)


class Recommender:
    """Classifier + rules override layer + explanations, saved and loaded as one unit."""

    model_name: str | None
    model_version: str | None
    run_id: str | None

    @classmethod
    def fit(cls, frame: pd.DataFrame, labels: pd.Series, *, random_state: int = 0,
            **params: Any) -> Recommender:
        """Train on a validated frame in the file layout (see `data.table`)."""
        raise NotImplementedError("issue #4")

    @classmethod
    def rules_only(cls, reason: str) -> Recommender:
        """A degraded Recommender with no model: rules decide, `heart` is the default."""
        raise NotImplementedError("issue #4")

    @property
    def rules_version(self) -> str:
        raise NotImplementedError("issue #4")

    def with_identity(self, *, model_name: str | None, model_version: str | None,
                      run_id: str | None) -> Recommender:
        """The same Recommender labelled with its registry identity (set after loading)."""
        raise NotImplementedError("issue #4")

    def decide(self, record: CallRecord, *, explain: bool = True) -> Decision:
        """One decision, with explanation unless `explain=False`."""
        raise NotImplementedError("issue #4")

    def decide_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Vectorised decisions for a validated frame; agrees with `decide` row for row."""
        raise NotImplementedError("issue #4")

    def save(self, directory: Path) -> None:
        raise NotImplementedError("issue #4")

    @classmethod
    def load(cls, directory: Path) -> Recommender:
        raise NotImplementedError("issue #4")
