"""The synthetic history: policy labels, questionnaire floors, variety, mix, files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.app import app
from data.generator import MixError, generate_frame, parse_mix, variety_report, write_history
from data.loaders import load_calls

POLICE_IF = {"firearm", "weapon_at_people", "violence", "crime"}
CO_RESPONSE_IF = {"threats", "weapon_held", "means", "escalating", "violent_history", "ivc"}
#: RESPONSE-POLICY.md's questionnaire floors, written out independently of the generator.
YES_FLOOR = {"q_weapons": "co_response", "q_threats": "co_response", "q_violence": "police",
             "q_crime_in_progress": "police"}
ORDER = ["heart", "co_response", "police"]


def policy(facts: str) -> str:
    """The responder the policy asks for, read from the generator's structured facts."""
    present = set(facts.split())
    if present & POLICE_IF:
        return "police"
    if present & CO_RESPONSE_IF:
        return "co_response"
    return "heart"


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return generate_frame(6000, seed=11, with_facts=True)


def test_labels_follow_the_policy_except_documented_noise(history: pd.DataFrame) -> None:
    clean = history[~history["label_noised"]]
    expected = clean["facts_final"].map(policy)
    assert (expected == clean["responder"]).all()
    assert 0.005 < history["label_noised"].mean() < 0.04


def test_every_questionnaire_yes_respects_the_label_floor(history: pd.DataFrame) -> None:
    rank = history["responder"].map(ORDER.index)
    for column, floor in YES_FLOOR.items():
        said_yes = history[column] == "yes"
        assert said_yes.any(), column
        assert (rank[said_yes] >= ORDER.index(floor)).all(), column


def test_questionnaire_is_often_incomplete(history: pd.DataFrame) -> None:
    q = history.filter(like="q_")
    unknown = (q == "unknown").sum(axis=1)
    assert 0.25 < (unknown == 0).mean() < 0.45
    assert 0.2 < (unknown >= 5).mean() < 0.45


def test_updates_can_raise_the_label_beyond_the_answers(history: pd.DataFrame) -> None:
    escalated = history[history["scenario"].str.contains("+", regex=False)]
    assert len(escalated) > 50
    # Updates are written as call-takers write them: "UPDATE:", "UPD", "UPDT", "caller
    # called back", "ok now ...", typos included; nearly all carry one of these markers.
    marked = escalated["narrative"].str.contains(
        r"\bupd|call(?:ed|s)? ?back|callback|\bnow\b|later|again", case=False)
    assert marked.mean() > 0.9
    raised = escalated["facts_final"].map(policy) != escalated["facts_before"].map(policy)
    assert raised.all()


def test_default_mix_and_styles(history: pd.DataFrame) -> None:
    shares = history["responder"].value_counts(normalize=True)
    assert abs(shares["heart"] - 0.45) < 0.03
    assert abs(shares["co_response"] - 0.20) < 0.03
    assert set(history["style"]) == {"cad", "plain", "rambling"}


def test_negations_and_idioms_appear_under_every_label(history: pd.DataFrame) -> None:
    text = history["narrative"].str.lower()
    for pattern in (r"no (?:weapons|wpns)|unarmed", r"killing|blowing up|shooting pain",
                    r"never been violent|no history of violence", r"denies|neg "):
        for label in ORDER:
            assert text[history["responder"] == label].str.contains(pattern).any(), \
                (pattern, label)


def test_narratives_are_varied(history: pd.DataFrame) -> None:
    report = variety_report(history["narrative"])
    assert report.distinct_share > 0.98
    assert report.top_frame_share < 0.05, report


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    first = generate_frame(300, seed=5)
    pd.testing.assert_frame_equal(first, generate_frame(300, seed=5))
    assert not first["narrative"].equals(generate_frame(300, seed=6)["narrative"])


def test_mix_option_changes_shares_and_is_validated() -> None:
    frame = generate_frame(2000, seed=2, mix=parse_mix("heart=0.1,co_response=0.1,police=0.8"))
    assert frame["responder"].value_counts(normalize=True)["police"] > 0.7
    for bad in ("heart=0.5,co_response=0.2", "heart=0.5,co_response=0.5,police=0.5",
                "heart=x,co_response=0.5,police=0.5", "hart=0.5,co_response=0.2,police=0.3"):
        with pytest.raises(MixError):
            parse_mix(bad)


def test_label_noise_off(history: pd.DataFrame) -> None:
    frame = generate_frame(1000, seed=3, label_noise=0, with_facts=True)
    assert not frame["label_noised"].any()
    assert (frame["facts_final"].map(policy) == frame["responder"]).all()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_written_files_load_without_rejects(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"history{suffix}"
    assert write_history(path, 1500, seed=4) == 1500
    result = load_calls(path, require_label=True)
    assert len(result.rejects) == 0
    assert len(result.frame) == 1500
    assert {"style", "scenario"} <= set(result.extra_columns)


def test_file_does_not_depend_on_worker_count(tmp_path: Path) -> None:
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    write_history(one, 45_000, seed=9, workers=1)
    write_history(two, 45_000, seed=9, workers=2)
    assert one.read_bytes() == two.read_bytes()


def test_cli_writes_csv_and_parquet_and_refuses_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    for name in ("h.csv", "h.parquet"):
        result = runner.invoke(app, ["generate", "--rows", "200", "--seed", "1",
                                     "--out", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert load_calls(tmp_path / name, require_label=True).rejects.empty
    bad = runner.invoke(app, ["generate", "--rows", "10", "--mix", "heart=1,police=0.5",
                              "--out", str(tmp_path / "x.csv")])
    assert bad.exit_code != 0
    assert "--mix" in str(bad.exception)
