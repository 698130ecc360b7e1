"""A real SQLite audit log for the CLI tests, filled the way the server fills it."""

from __future__ import annotations

from typing import Any

from data.schema import CallRecord
from serving.audit import AuditStore, StoredDecision
from tests.serving.stub_recommender import StubRecommender

CALL = {"call_id": "2026-000001", "narrative": "RP states man sleeping in vestibule",
        "district": "D2"}


def record(store: AuditStore, recommender: Any = None, **changes: Any) -> StoredDecision:
    """Decide one call with the stand-in model (or `recommender`) and store it."""
    call = CallRecord.model_validate({**CALL, **changes})
    decision = (recommender or StubRecommender()).decide(call)
    return store.append_decision(call, decision, client_role="dispatch", latency_ms=1.0,
                                 run_id="run-1")
