"""Safety and calibration figures, checked against cases worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from training import metrics


def test_under_triage_counts_only_unsafe_errors() -> None:
    y_true = ["police", "police", "co_response", "co_response", "heart", "heart", "police",
              "co_response"]
    y_pred = ["heart", "co_response", "heart", "police", "police", "heart", "police",
              "co_response"]
    rates = metrics.triage_rates(y_true, y_pred)
    assert rates["under_triage_police"] == pytest.approx(2 / 8)
    assert rates["under_triage_co_response"] == pytest.approx(1 / 8)
    assert rates["under_triage_rate"] == pytest.approx(3 / 8)
    # co_response sent police and heart sent police: over-triage, not unsafe
    assert rates["over_triage_rate"] == pytest.approx(2 / 8)


def test_unknown_label_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'fire'"):
        metrics.triage_rates(["fire"], ["heart"])


def test_per_class_scores_keep_absent_classes() -> None:
    scores = metrics.classification_scores(["heart", "heart"], ["heart", "heart"])
    assert scores["accuracy"] == 1.0
    assert scores["f1_police"] == 0.0 and scores["support_police"] == 0.0
    assert scores["recall_heart"] == 1.0


def test_confusion_rows_are_true_in_escalation_order() -> None:
    matrix = metrics.confusion(["police", "heart"], ["heart", "heart"])
    assert matrix.tolist() == [[1, 0, 0], [0, 0, 0], [1, 0, 0]]


def test_perfect_confident_probabilities_score_zero() -> None:
    y = ["heart", "co_response", "police"]
    proba = np.eye(3)
    assert metrics.brier_score(y, proba) == pytest.approx(0.0)
    assert metrics.expected_calibration_error(y, proba) == pytest.approx(0.0)


def test_brier_uses_responder_column_order() -> None:
    # all mass on the true class's column in RESPONDERS order, then on the wrong one
    y = ["police"]
    right = np.array([[0.0, 0.0, 1.0]])
    wrong = np.array([[1.0, 0.0, 0.0]])
    assert metrics.brier_score(y, right) == pytest.approx(0.0)
    assert metrics.brier_score(y, wrong) == pytest.approx(2.0)


def test_overconfident_model_has_the_expected_ece() -> None:
    # always 0.9 sure, right half the time: ECE = |0.5 - 0.9| = 0.4
    y = ["heart", "police"] * 50
    proba = np.tile([0.9, 0.05, 0.05], (100, 1))
    assert metrics.expected_calibration_error(y, proba) == pytest.approx(0.4)


def test_override_rates_per_rule_and_any() -> None:
    fired = pd.Series(["weapon-present;threats", "", "threats", ""])
    rates = metrics.override_rates(fired)
    assert rates == {"any": 0.5, "threats": 0.5, "weapon-present": 0.25}
