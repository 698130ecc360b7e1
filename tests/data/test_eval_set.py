"""The hand-written evaluation set: it loads cleanly, its labels follow the policy floor,
and its shares are the ones its README documents."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from data.loaders import load_calls
from data.schema import QUESTION_KEYS, RESPONDER_RANK, RESPONDERS

EVAL_DIR = Path(__file__).resolve().parents[2] / "data" / "eval"
EVAL_FILE = EVAL_DIR / "handwritten_calls.csv"
README = EVAL_DIR / "README.md"

#: RESPONSE-POLICY.md: the least responder a questionnaire `yes` allows.
FLOORS: dict[str, str] = {
    "weapons": "co_response",
    "threats": "co_response",
    "violence": "police",
    "crime_in_progress": "police",
}
#: The policy's target mix (README: about 45% heart, 20% co_response, 35% police).
TARGET_SHARES = {"heart": 0.45, "co_response": 0.20, "police": 0.35}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    result = load_calls(EVAL_FILE, require_label=True)
    assert result.rejects.empty, result.rejects[["source_row", "reject_reason"]].to_string()
    return result.frame


def _documented_shares() -> dict[str, tuple[int, float]]:
    """`responder -> (calls, share)` from the README's label-share table."""
    shares = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\|\s*(\w+)\s*\|\s*(\d+)\s*\|\s*([\d.]+)%\s*\|", line.strip())
        if match and match.group(1) in RESPONDERS:
            shares[match.group(1)] = (int(match.group(2)), float(match.group(3)) / 100)
    return shares


def test_loads_with_no_rejected_rows_and_enough_calls(frame: pd.DataFrame) -> None:
    assert len(frame) >= 240
    assert frame["call_id"].is_unique
    assert frame["narrative"].is_unique
    assert set(frame["responder"]) == set(RESPONDERS)


def test_label_shares_are_as_documented(frame: pd.DataFrame) -> None:
    documented = _documented_shares()
    assert set(documented) == set(RESPONDERS), "README label-share table not found"
    counts = frame["responder"].value_counts()
    for responder, (calls, share) in documented.items():
        assert counts[responder] == calls, responder
        assert counts[responder] / len(frame) == pytest.approx(share, abs=0.001), responder
        assert share == pytest.approx(TARGET_SHARES[responder], abs=0.05), responder


def test_every_questionnaire_yes_respects_the_policy_floor(frame: pd.DataFrame) -> None:
    broken = []
    for row in frame.itertuples(index=False):
        for key, floor in FLOORS.items():
            answer = getattr(row, f"q_{key}")
            if answer == "yes" and RESPONDER_RANK[row.responder] < RESPONDER_RANK[floor]:
                broken.append(f"{row.call_id}: {key}=yes but {row.responder}")
    assert not broken, broken


def test_questionnaires_are_often_incomplete_like_real_calls(frame: pd.DataFrame) -> None:
    answers = frame[[f"q_{key}" for key in QUESTION_KEYS]]
    mostly_unknown = (answers == "unknown").sum(axis=1) >= 4
    assert mostly_unknown.mean() >= 0.25
    assert frame["call_type"].isna().sum() >= 5  # some calls carry no call type at all
    for responder in RESPONDERS:  # and no label is told apart by its answers alone
        assert mostly_unknown[frame["responder"] == responder].any(), responder


@pytest.mark.parametrize(
    ("needle", "responder"),
    [
        ("PANHANDLING ON THE SHOULDER OF HWY", "heart"),
        ("DANCING ON TOP OF A PARKED PATROL CAR", "heart"),
        ("HIDING BEHIND HER LAMP", "heart"),
        ("PUNCHING THE DOORS", "heart"),
        ("IN THE BEDROOM WITH HIS PISTOL", "police"),
    ],
)
def test_the_policy_seed_cases_are_present(
    frame: pd.DataFrame, needle: str, responder: str
) -> None:
    hits = frame[frame["narrative"].str.contains(needle, regex=False)]
    assert len(hits) == 1, needle
    assert hits["responder"].iloc[0] == responder


def test_idioms_and_negations_appear_under_every_label(frame: pd.DataFrame) -> None:
    text = frame["narrative"].str.upper()
    idioms = text.str.contains(r"KILLING (?:ME|HIM|HER)|BLOWING UP|SHOOTING PAIN")
    negations = text.str.contains(r"\bNO (?:WEAPONS?|WPNS?|GUNS?)\b|DENIES|NEVER BEEN VIOLENT")
    for responder in RESPONDERS:
        mine = frame["responder"] == responder
        assert idioms[mine].any(), responder
        assert negations[mine].any(), responder
