"""The gate refuses a less safe or clearly worse challenger and accepts an equal one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.schema import RESPONDERS
from training.evaluate import evaluate
from training.gate import MAX_MACRO_F1_DROP, first_champion, judge


class ColumnDecider:
    """Decides whatever a test column says, with one-hot probabilities (no model)."""

    def __init__(self, column: str) -> None:
        self.column = column

    def decide_frame(self, frame: pd.DataFrame, *, workers: int | None = 1,
                     normalised: object = None) -> pd.DataFrame:
        decided = frame[self.column].to_numpy(dtype=object)
        proba = np.array([[float(name == label) for name in RESPONDERS] for label in decided])
        return pd.DataFrame({
            "call_id": frame["call_id"], "recommendation": decided,
            "model_recommendation": decided, "p_heart": proba[:, 0],
            "p_co_response": proba[:, 1], "p_police": proba[:, 2],
            "overrides": "", "medical_advised": False})


@pytest.fixture
def test_calls() -> pd.DataFrame:
    truth = np.array(RESPONDERS * 100, dtype=object)
    frame = pd.DataFrame({"call_id": [f"c{i}" for i in range(len(truth))],
                          "responder": truth})
    frame["champion"] = truth
    frame.loc[frame.index[:6], "champion"] = "police"  # a little over-triage
    return frame


def test_equal_challenger_passes(test_calls: pd.DataFrame) -> None:
    champion = evaluate(ColumnDecider("champion"), test_calls)
    challenger = evaluate(ColumnDecider("champion"), test_calls)
    verdict = judge(challenger, champion, "3")
    assert verdict.promote and verdict.outcome == "passed"
    assert verdict.metrics()["gate_champion_macro_f1"] == verdict.metrics()[
        "gate_challenger_macro_f1"]


def test_one_more_unsafe_call_is_refused(test_calls: pd.DataFrame) -> None:
    frame = test_calls.copy()
    frame["challenger"] = frame["responder"]  # otherwise perfect, better F1 than champion
    police = frame.index[frame["responder"] == "police"][0]
    frame.loc[police, "challenger"] = "co_response"
    champion = evaluate(ColumnDecider("champion"), frame)
    challenger = evaluate(ColumnDecider("challenger"), frame)
    assert challenger.final["macro_f1"] > champion.final["macro_f1"]
    verdict = judge(challenger, champion, "3")
    assert not verdict.promote and verdict.outcome == "refused"
    assert "under-triage" in verdict.reason
    assert verdict.tags()["gate_champion_version"] == "3"


def test_lowering_police_is_refused(test_calls: pd.DataFrame) -> None:
    frame = test_calls.copy()
    frame["challenger"] = frame["champion"].replace({"police": "co_response"})
    verdict = judge(evaluate(ColumnDecider("challenger"), frame),
                    evaluate(ColumnDecider("champion"), frame), "1")
    assert not verdict.promote


def test_macro_f1_drop_beyond_the_margin_is_refused(test_calls: pd.DataFrame) -> None:
    frame = test_calls.copy()
    frame["challenger"] = frame["responder"]
    # over-triage (safe) heart calls until macro-F1 falls more than the margin
    hearts = frame.index[frame["responder"] == "heart"][:20]
    frame.loc[hearts, "challenger"] = "police"
    frame["champion"] = frame["responder"]
    champion = evaluate(ColumnDecider("champion"), frame)
    challenger = evaluate(ColumnDecider("challenger"), frame)
    assert challenger.final["under_triage_rate"] == champion.final["under_triage_rate"]
    assert challenger.final["macro_f1"] < champion.final["macro_f1"] - MAX_MACRO_F1_DROP
    verdict = judge(challenger, champion, "2")
    assert not verdict.promote and "macro-F1" in verdict.reason


def test_small_macro_f1_drop_within_the_margin_passes(test_calls: pd.DataFrame) -> None:
    frame = test_calls.copy()
    frame["champion"] = frame["responder"]
    frame["challenger"] = frame["responder"]
    frame.loc[frame.index[frame["responder"] == "heart"][:1], "challenger"] = "co_response"
    verdict = judge(evaluate(ColumnDecider("challenger"), frame),
                    evaluate(ColumnDecider("champion"), frame), "2")
    assert verdict.promote


def test_first_version_becomes_champion(test_calls: pd.DataFrame) -> None:
    verdict = first_champion(evaluate(ColumnDecider("champion"), test_calls))
    assert verdict.promote and verdict.champion is None
    assert verdict.metrics()["gate_passed"] == 1.0
