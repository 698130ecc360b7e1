"""`fifthbranch audit verify|replay|report|export-labels` against a real SQLite audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from typer.testing import CliRunner, Result

from cli.app import app
from data.errors import FifthBranchError
from data.loaders import load_calls
from data.table import LABEL_COLUMN, RECORD_COLUMNS
from serving.audit import AuditStore
from tests.cli.audit_db import record
from tests.serving.stub_recommender import StubRecommender

TODAY = datetime.now(UTC).date().isoformat()


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_verify_counts_the_rows_of_an_intact_log(audit_store: AuditStore) -> None:
    first = record(audit_store)
    record(audit_store, call_id="2")
    audit_store.append_outcome(first.decision_id, {"responder_sent": "heart"},
                               client_role="dispatch")
    result = run("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "intact: 3 rows checked" in result.output


def test_verify_names_the_first_edited_row(audit_store: AuditStore) -> None:
    record(audit_store)
    edited = record(audit_store, call_id="2", questionnaire={"weapons": "yes"})
    record(audit_store, call_id="3")
    with audit_store.engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET recommendation = 'heart' WHERE seq = 2"))
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert f"BROKEN at decisions row 2 (decision {edited.decision_id})" in result.output
    assert "row edited" in result.output


def test_verify_notices_rows_deleted_from_the_end(audit_store: AuditStore) -> None:
    record(audit_store)
    record(audit_store, call_id="2")
    with audit_store.engine.begin() as connection:
        connection.execute(text("DELETE FROM decisions WHERE seq = 2"))
    result = run("audit", "verify")
    assert result.exit_code == 1 and "BROKEN" in result.output


def test_a_missing_audit_log_is_named_not_created(fb_home: Path) -> None:
    result = run("audit", "verify")
    assert isinstance(result.exception, FifthBranchError)
    assert f"no audit log at {fb_home / 'audit.db'}" in str(result.exception)
    assert not (fb_home / "audit.db").exists()


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The registry replay loads from: version -> model (the champion is version 2)."""
    models: dict[str, object] = {"1": StubRecommender("1"), "2": StubRecommender("2")}
    models["champion"] = models["2"]

    def load(settings: object, ref: str) -> object:
        if ref not in models:
            raise FifthBranchError(f"no model version {ref}")
        return models[ref]

    monkeypatch.setattr("serving.replay._registry_loader", load)
    return models


def test_replay_with_the_recorded_model_is_identical(audit_store: AuditStore,
                                                     registry: dict[str, object]) -> None:
    stored = record(audit_store, questionnaire={"threats": "yes"})
    result = run("audit", "replay", stored.decision_id)
    assert result.exit_code == 0, result.output
    assert "identical" in result.output and "recorded model version 1" in result.output


def test_replay_with_the_champion_prints_the_differences(audit_store: AuditStore,
                                                         registry: dict[str, object]) -> None:
    stored = record(audit_store)
    result = run("audit", "replay", stored.decision_id, "--with", "champion")
    assert result.exit_code == 1
    assert "1 difference(s) with today's champion (version 2)" in result.output
    assert "model_version: recorded '1', replayed '2'" in result.output


def test_replay_notices_a_decision_the_model_would_not_make(
        audit_store: AuditStore, registry: dict[str, object]) -> None:
    class Tampered(StubRecommender):
        def decide(self, record, *, explain=True):  # type: ignore[no-untyped-def]
            decision = super().decide(record, explain=explain)
            return decision.model_copy(update={"recommendation": "police"})

    stored = record(audit_store, recommender=Tampered("1"))
    result = run("audit", "replay", stored.decision_id)
    assert result.exit_code == 1
    assert "recommendation: recorded 'police', replayed 'heart'" in result.output


def test_replay_refusals(audit_store: AuditStore, registry: dict[str, object]) -> None:
    unknown = run("audit", "replay", "no-such-id")
    assert isinstance(unknown.exception, FifthBranchError)
    assert "no-such-id" in str(unknown.exception)
    stored = record(audit_store)
    assert run("audit", "replay", stored.decision_id, "--with", "latest").exit_code == 2
    missing = record(audit_store, recommender=StubRecommender("9"), call_id="x")
    gone = run("audit", "replay", missing.decision_id)
    assert isinstance(gone.exception, FifthBranchError)
    assert "no model version 9" in str(gone.exception)


def test_report_writes_one_self_contained_file(audit_store: AuditStore, tmp_path: Path) -> None:
    heart = record(audit_store, narrative="<script>alert(1)</script> sleeping", district="<b>")
    record(audit_store, call_id="2", questionnaire={"violence": "yes"}, narrative="yelling")
    audit_store.append_outcome(heart.decision_id, {"responder_sent": "heart",
                                                   "felt_safe": True}, client_role="dispatch")
    out = tmp_path / "reports" / "board.html"
    result = run("audit", "report", "--from", TODAY, "--to", TODAY, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "(2 decisions)" in result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "<style>" in html and "--heart:" in html  # the stylesheet, inlined
    assert html.count("<svg") >= 2
    assert 'id="total">2<' in html and 'id="felt-safe">100.0%<' in html
    for outside in ("<link", "<script", "src=", 'href="/', "<form"):
        assert outside not in html, outside
    assert "&lt;b&gt;" in html
    assert not list(out.parent.glob(".*partial"))


@pytest.mark.parametrize(("first", "last"), [("yesterday", TODAY), (TODAY, "2000-01-01")])
def test_report_refuses_a_bad_period(audit_store: AuditStore, tmp_path: Path, first: str,
                                     last: str) -> None:
    result = run("audit", "report", "--from", first, "--to", last,
                 "--out", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert not (tmp_path / "r.html").exists()


def _outcomes(store: AuditStore) -> dict[str, str]:
    """Five decisions, four with outcomes; returns call_id -> decision_id."""
    ids = {}
    for call_id, changes in (("calm", {}), ("backup", {}), ("nobody", {}), ("none-yet", {}),
                             ("weapon", {"questionnaire": {"weapons": "yes"}})):
        ids[call_id] = record(store, call_id=call_id, **changes).decision_id
    report = store.append_outcome
    report(ids["calm"], {"responder_sent": "heart", "felt_safe": True,
                         "disposition": "resolved_on_scene"}, client_role="dispatch")
    report(ids["backup"], {"responder_sent": "heart", "disposition": "other"},
           client_role="dispatch")
    report(ids["backup"], {"responder_sent": "heart", "backup_requested": True,
                           "disposition": "other"}, client_role="admin")  # a correction
    report(ids["nobody"], {"responder_sent": "none", "disposition": "other"},
           client_role="dispatch")
    report(ids["weapon"], {"responder_sent": "heart", "felt_safe": True,
                           "disposition": "resolved_on_scene"}, client_role="dispatch")
    return ids


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_export_labels_writes_training_rows(audit_store: AuditStore, tmp_path: Path,
                                            suffix: str) -> None:
    ids = _outcomes(audit_store)
    out = tmp_path / f"labels{suffix}"
    result = run("audit", "export-labels", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "wrote 3 training rows" in result.output
    assert "4 decisions with an outcome; 1 gave no label" in result.output
    frame = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert list(frame.columns[:len(RECORD_COLUMNS) + 1]) == [*RECORD_COLUMNS, LABEL_COLUMN]
    labels = dict(zip(frame["call_id"], zip(frame[LABEL_COLUMN], frame["label_basis"],
                                            strict=True), strict=True))
    assert labels == {"calm": ("heart", "confirmed"),
                      "backup": ("co_response", "under_triage"),  # HEART needed backup
                      "weapon": ("co_response", "confirmed+rule_floor")}
    assert set(frame["decision_id"]) == {ids["calm"], ids["backup"], ids["weapon"]}
    loaded = load_calls(out, require_label=True)  # trainable as it is
    assert len(loaded.frame) == 3 and len(loaded.rejects) == 0


def test_export_labels_refuses_an_unknown_format_before_reading(fb_home: Path,
                                                                tmp_path: Path) -> None:
    result = run("audit", "export-labels", "--out", str(tmp_path / "labels.xlsx"))
    assert isinstance(result.exception, FifthBranchError)
    assert "use .csv or .parquet" in str(result.exception)


def test_export_labels_with_no_outcomes_writes_a_header(audit_store: AuditStore,
                                                        tmp_path: Path) -> None:
    record(audit_store)
    out = tmp_path / "labels.csv"
    result = run("audit", "export-labels", "--out", str(out))
    assert result.exit_code == 0 and "wrote 0 training rows" in result.output
    assert out.read_text().startswith("call_id,narrative,q_weapons")
