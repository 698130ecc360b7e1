"""Score a Recommender on a test frame: the model alone, the final decision, the rules.

The Recommender's own vectorised `decide_frame` produces the decisions, so the figures
describe exactly what would be served. The model's pick is scored apart from the final
decision so a run shows what the rules add on top of the classifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from data.schema import RESPONDERS
from data.table import LABEL_COLUMN
from training import metrics

PROBABILITY_COLUMNS: tuple[str, ...] = tuple(f"p_{name}" for name in RESPONDERS)


class Decides(Protocol):
    """What evaluation needs from a Recommender (a wrapper in a test can provide it too)."""

    def decide_frame(self, frame: pd.DataFrame, *, workers: int | None = 1,
                     normalised: Sequence[str] | None = None) -> pd.DataFrame: ...


@dataclass
class Evaluation:
    """Scores of one decider on one test frame; `model` is empty for the rules-only baseline."""

    decisions: pd.DataFrame
    y_true: np.ndarray
    final: dict[str, float]
    model: dict[str, float] = field(default_factory=dict)
    overrides: dict[str, float] = field(default_factory=dict)

    @property
    def has_model(self) -> bool:
        return bool(self.model)

    @property
    def final_pred(self) -> np.ndarray:
        return self.decisions["recommendation"].to_numpy(dtype=object)

    @property
    def model_pred(self) -> np.ndarray:
        return self.decisions["model_recommendation"].to_numpy(dtype=object)

    @property
    def proba(self) -> np.ndarray:
        return self.decisions[list(PROBABILITY_COLUMNS)].to_numpy(dtype=float)

    def flat(self, prefix: str = "") -> dict[str, float]:
        """Every figure as `<prefix>model_*`, `<prefix>final_*`, `<prefix>override_rate_*`."""
        out: dict[str, float] = {}
        for name, value in self.model.items():
            out[f"{prefix}model_{name}"] = value
        for name, value in self.final.items():
            out[f"{prefix}final_{name}"] = value
        for rule_id, value in self.overrides.items():
            out[f"{prefix}override_rate_{rule_id}"] = value
        return out


def evaluate(decider: Decides, test: pd.DataFrame, workers: int | None = 1,
             normalised: Sequence[str] | None = None) -> Evaluation:
    """Decide every test call and score the result against its `responder` label.

    `workers`: processes for deciding (`data.parallel`); the figures do not depend on it.
    `normalised`: the test narratives already normalised (see `Recommender.decide_frame`).
    """
    decisions = decider.decide_frame(test, workers=workers, normalised=normalised)
    if len(decisions) != len(test):
        raise RuntimeError(f"decide_frame returned {len(decisions)} rows for {len(test)} calls")
    y_true = test[LABEL_COLUMN].to_numpy(dtype=object)
    final_pred = decisions["recommendation"].to_numpy(dtype=object)
    evaluation = Evaluation(decisions=decisions.reset_index(drop=True), y_true=y_true,
                            final=metrics.decision_scores(y_true, final_pred))
    model_pred = decisions["model_recommendation"]
    if model_pred.notna().all() and decisions[list(PROBABILITY_COLUMNS)].notna().all().all():
        evaluation.model = metrics.decision_scores(y_true, model_pred.to_numpy(dtype=object))
        evaluation.model.update(metrics.calibration_scores(y_true, evaluation.proba))
        changed = (decisions["recommendation"] != model_pred).to_numpy()
        evaluation.final["changed_by_rules_rate"] = float(changed.mean()) if len(changed) else 0.0
    evaluation.overrides = metrics.override_rates(decisions["overrides"])
    return evaluation


def summary_figures(evaluation: Evaluation) -> dict[str, Any]:
    """The handful of figures the terminal table and the model card lead with."""
    keys = ("accuracy", "macro_f1", "under_triage_rate", "under_triage_police",
            "under_triage_co_response", "over_triage_rate")
    return {
        "model": {key: evaluation.model.get(key) for key in keys} if evaluation.has_model
        else None,
        "final": {key: evaluation.final[key] for key in keys},
    }
