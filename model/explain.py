"""Exact explanations: coefficient x feature value, read from the row the model scored.

For a linear model the score of class `c` is `intercept[c] + sum_j weights[j, c] * x[j]`,
so each present feature's term is its contribution, and the terms plus the intercept
give the score exactly: nothing is sampled or approximated (unlike LIME), and an absent
word gets no credit (unlike SHAP's mean-centred linear explainer). What is explained is
the linear score (the logit); the reported probability is `softmax(scores / T)`, a fixed
monotone function of those scores (see `model.classifier`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.classifier import LinearScorer
from model.decision import Contribution
from model.features import FeatureRow

DEFAULT_TOP_K = 8


@dataclass(frozen=True)
class ClassExplanation:
    """Every present feature's contribution to one class's score, and the intercept."""

    class_name: str
    feature_indices: np.ndarray
    contributions: np.ndarray
    intercept: float

    @property
    def score(self) -> float:
        """The class's linear score rebuilt from its parts (equals the model's score)."""
        return float(self.intercept + self.contributions.sum())


def explain_class(scorer: LinearScorer, row: FeatureRow, class_name: str) -> ClassExplanation:
    """All contributions of the row's features to `class_name`'s linear score."""
    column = scorer.classes.index(class_name)
    contributions = row.values * scorer.weights[row.indices, column]
    return ClassExplanation(class_name, row.indices, contributions,
                            float(scorer.intercept[column]))


def top_contributions(explanation: ClassExplanation, names: np.ndarray,
                      k: int = DEFAULT_TOP_K) -> list[Contribution]:
    """The `k` largest contributions by size, signed, largest first, with readable names.

    Ties break on the feature's column so the same call always gets the same list.
    """
    values = explanation.contributions
    if values.size == 0:
        return []
    order = np.lexsort((explanation.feature_indices, -np.abs(values)))[:k]
    return [
        Contribution(feature=str(names[explanation.feature_indices[i]]),
                     contribution=round(float(values[i]), 6),
                     class_=explanation.class_name)
        for i in order
        if values[i] != 0.0
    ]


def explain_decision(scorer: LinearScorer, row: FeatureRow, names: np.ndarray,
                     recommendation: str, model_recommendation: str,
                     k: int = DEFAULT_TOP_K) -> list[Contribution]:
    """Top features toward the final recommendation and, if different, the model's pick.

    When a rule raised the answer, the auditor sees both what (if anything) in the call
    pointed the model toward the final class and why the model itself chose lower.
    """
    items = top_contributions(explain_class(scorer, row, recommendation), names, k)
    if model_recommendation != recommendation:
        items += top_contributions(explain_class(scorer, row, model_recommendation), names, k)
    return items
