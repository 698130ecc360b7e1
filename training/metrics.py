"""Scores for one set of decisions: accuracy, per-class figures, safety and calibration.

Computed with scikit-learn directly (`mlflow.evaluate` is deprecated and logs only
aggregates for multiclass). Every function takes plain arrays of responder names, so the
same code scores the model's own pick, the final decision after rules and the rules-only
baseline. Labels are always `RESPONDERS`, so a class missing from a small test set scores
0 rather than vanishing from the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from data.schema import RESPONDER_RANK, RESPONDERS

#: Equal-width confidence bins for the expected calibration error (Guo et al., 2017).
ECE_BINS = 15


def _ranks(labels: Sequence[str] | pd.Series | np.ndarray) -> np.ndarray:
    values = pd.Series(np.asarray(labels, dtype=object))
    ranks = values.map(RESPONDER_RANK)
    if ranks.isna().any():
        bad = values[ranks.isna()].iloc[0]
        raise ValueError(f"{bad!r} is not a responder ({', '.join(RESPONDERS)})")
    return ranks.to_numpy(dtype=int)


def triage_rates(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, float]:
    """The safety figures, each over all test rows.

    `under_triage_rate` is the unsafe error: a true `police` call decided lower, plus a
    true `co_response` call decided `heart` (its two parts are reported too).
    `over_triage_rate` is any call decided higher than it needed: the cost the program
    exists to cut.
    """
    true_rank, pred_rank = _ranks(y_true), _ranks(y_pred)
    n = max(len(true_rank), 1)
    police, co_response, heart = (RESPONDER_RANK[name] for name in
                                  ("police", "co_response", "heart"))
    under_police = np.sum((true_rank == police) & (pred_rank < police)) / n
    under_co = np.sum((true_rank == co_response) & (pred_rank == heart)) / n
    return {
        "under_triage_rate": float(under_police + under_co),
        "under_triage_police": float(under_police),
        "under_triage_co_response": float(under_co),
        "over_triage_rate": float(np.sum(pred_rank > true_rank) / n),
    }


def classification_scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, float]:
    """Accuracy, macro-F1 and per-class precision, recall, F1 and support."""
    labels = list(RESPONDERS)
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0)
    scores = {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=labels, average="macro",
                                   zero_division=0)),
    }
    for index, label in enumerate(labels):
        scores[f"precision_{label}"] = float(precision[index])
        scores[f"recall_{label}"] = float(recall[index])
        scores[f"f1_{label}"] = float(f1[index])
        scores[f"support_{label}"] = float(support[index])
    return scores


def confusion(y_true: Sequence[str], y_pred: Sequence[str]) -> np.ndarray:
    """Counts, rows = true responder, columns = decided responder, in escalation order."""
    return confusion_matrix(y_true, y_pred, labels=list(RESPONDERS))


def brier_score(y_true: Sequence[str], proba: np.ndarray) -> float:
    """Multiclass Brier score (sum over classes, range 0-2); `proba` columns in RESPONDERS order."""
    order = sorted(range(len(RESPONDERS)), key=lambda index: RESPONDERS[index])
    return float(brier_score_loss(np.asarray(y_true, dtype=object), proba[:, order],
                                  labels=sorted(RESPONDERS)))


def expected_calibration_error(y_true: Sequence[str], proba: np.ndarray,
                               n_bins: int = ECE_BINS) -> float:
    """Top-label ECE: how far the confidence in the chosen class is from its hit rate."""
    confidence, hits = top_label(y_true, proba)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, n_bins - 1)
    total = 0.0
    for bin_index in range(n_bins):
        mask = which == bin_index
        if mask.any():
            total += mask.sum() * abs(hits[mask].mean() - confidence[mask].mean())
    return float(total / max(len(confidence), 1))


def top_label(y_true: Sequence[str], proba: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Confidence of the most probable class and whether that class was right."""
    best = proba.argmax(axis=1)
    hits = best == _ranks(y_true)
    return proba.max(axis=1), hits.astype(float)


def calibration_scores(y_true: Sequence[str], proba: np.ndarray) -> dict[str, float]:
    """Brier score and expected calibration error of the model's probabilities."""
    return {"brier_score": brier_score(y_true, proba),
            "ece": expected_calibration_error(y_true, proba)}


def override_rates(overrides: pd.Series) -> dict[str, float]:
    """Share of calls on which each rule fired (`;`-joined ids), and on which any fired."""
    fired = overrides.fillna("").astype(str)
    n = max(len(fired), 1)
    rates: dict[str, float] = {"any": float((fired != "").sum() / n)}
    exploded = fired[fired != ""].str.split(";").explode()
    exploded = exploded[exploded != ""]
    for rule_id, count in sorted(exploded.value_counts().items()):
        rates[str(rule_id)] = float(count / n)
    return rates


def decision_scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, float]:
    """Everything that needs only decided labels: classification plus safety figures."""
    return {**classification_scores(y_true, y_pred), **triage_rates(y_true, y_pred)}
