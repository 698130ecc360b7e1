"""The report and the label export read the audit store the same way on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from serving.audit import AuditStore
from serving.export_labels import collect
from serving.reports import build_report, facts_from_store
from tests.cli.audit_db import record


def test_outcomes_by_decision_keeps_order_and_period(store: AuditStore) -> None:
    first = record(store)
    second = record(store, call_id="2", questionnaire={"violence": "yes"})
    record(store, call_id="3")
    store.append_outcome(first.decision_id, {"responder_sent": "heart", "felt_safe": True},
                         client_role="dispatch")
    store.append_outcome(first.decision_id, {"responder_sent": "heart", "felt_safe": False},
                         client_role="admin")
    store.append_outcome(second.decision_id, {"responder_sent": "police"},
                         client_role="dispatch")
    found = store.outcomes_by_decision()
    assert [o.body["felt_safe"] for o in found[first.decision_id]] == [True, False]
    assert set(found) == {first.decision_id, second.decision_id}
    later = datetime.now(UTC) + timedelta(hours=1)
    assert store.outcomes_by_decision(later, later + timedelta(days=1)) == {}

    start = datetime.now(UTC) - timedelta(days=1)
    report = build_report(facts_from_store(store, start, later), start, later)
    assert report.total == 3 and report.outcomes_reported.count == 2
    assert (report.felt_safe.count, report.felt_safe.total) == (0, 1)  # the correction counts
    export = collect(store)
    assert export.with_outcome == 2
    assert {row["call_id"]: row["responder"] for row in export.rows} == {
        "2026-000001": "co_response", "2": "police"}
