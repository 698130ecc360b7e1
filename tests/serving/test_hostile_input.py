"""Hostile call records (tests/serving/hostile.py) through the Recommender, the API, the
audit log and the review pages: `decide` never raises for a valid record, the API
answers 200 or a 4xx naming the field (never a 5xx), what is stored is exactly what
came in, and the pages show it as text."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from markupsafe import escape

from data.schema import RESPONDER_RANK, RESPONDERS, CallRecord
from model.decision import Decision
from serving.audit import AuditStore
from tests.serving.conftest import auth
from tests.serving.hostile import calls, valid_record
from tests.serving.page_client import login

pytestmark = pytest.mark.slow

def examples(count: int) -> settings:
    """Deterministic (CI must not flake), no deadline (the first call warms caches)."""
    return settings(max_examples=count, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


def check_decision(decision: Decision, record: CallRecord) -> None:
    """What every decision must be, whatever the input."""
    assert decision.call_id == record.call_id
    assert decision.recommendation in RESPONDERS
    floors = [override.floor for override in decision.overrides]
    if decision.model_recommendation is not None:
        floors.append(decision.model_recommendation)
    assert all(RESPONDER_RANK[decision.recommendation] >= RESPONDER_RANK[f] for f in floors)
    if not decision.degraded:
        values = list(decision.probabilities.values())
        assert all(math.isfinite(p) and 0 <= p <= 1 for p in values)
        assert math.isclose(sum(values), 1.0, abs_tol=1e-5)  # each rounded to 1e-6
    assert all(math.isfinite(item.contribution) for item in decision.explanation)
    Decision.model_validate_json(decision.model_dump_json(by_alias=True))


def _has_nul(value: Any) -> bool:
    """A NUL character anywhere (the API refuses it: PostgreSQL cannot store one)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return isinstance(value, list) and any(_has_nul(item) for item in value)


@given(call=calls())
@examples(200)
def test_the_recommender_decides_every_valid_record(trained_recommender: Any,
                                                    call: dict[str, Any]) -> None:
    record = valid_record(call)
    if record is None:
        return
    check_decision(trained_recommender.decide(record, explain=True), record)


def test_rules_only_decides_every_valid_record() -> None:
    from model.recommender import Recommender

    rules_only = Recommender.rules_only("test: no model")

    @given(call=calls())
    @examples(100)
    def run(call: dict[str, Any]) -> None:
        record = valid_record(call)
        if record is not None:
            decision = rules_only.decide(record)
            check_decision(decision, record)
            assert decision.degraded and decision.model_recommendation is None

    run()


def test_hostile_calls_through_the_api_are_stored_and_shown_exactly(
        make_client: Callable[..., TestClient], db_url: str, trained_recommender: Any) -> None:
    model = trained_recommender.with_identity(model_name="fifthbranch-responder",
                                              model_version="1", run_id="run-1")
    client = make_client(db_url, loader=lambda: model, rate_limit=None)
    assert login(client, "auditor").status_code == 303
    accepted: list[str] = []

    @given(call=calls())
    @examples(60)
    def run(call: dict[str, Any]) -> None:
        answer = client.post("/v1/recommendations", json=call, headers=auth("dispatch"))
        record = valid_record(call)
        if record is None or _has_nul(call):
            assert answer.status_code == 422, answer.text
            assert ":" in answer.json()["message"]  # `field: what is wrong`
            return
        assert answer.status_code == 200, answer.text
        decision = Decision.model_validate_json(answer.text)
        check_decision(decision, record)
        accepted.append(decision.decision_id)
        stored = client.get(f"/v1/decisions/{decision.decision_id}", headers=auth("auditor"))
        assert stored.status_code == 200
        assert stored.json()["decision"] == answer.json()
        assert CallRecord.model_validate(stored.json()["call"]) == record
        page = client.get(f"/audit/decisions/{decision.decision_id}")
        assert page.status_code == 200
        assert str(escape(record.narrative)) in page.text
        assert "<script" not in page.text.lower()  # the pages carry no script at all

    run()
    assert accepted, "every generated call was refused: the property proved nothing"
    store = AuditStore.from_url(db_url)
    try:
        result = store.verify()
        assert result.ok and result.checked == len(accepted)
    finally:
        store.close()


@pytest.mark.parametrize("body", [
    b'{"call_id": "s1", "narrative": "lone surrogate \\ud800 here"}',
    b'{"call_id": "s2", "narrative": "\xff\xfe not utf-8"}',
    b'{"call_id": "s3", "narrative": "x", "questionnaire": {"weapons": {"$ne": 1}}}',
    b'{"call_id": ["a"], "narrative": "x"}',
    b'{"call_id": "s4", "narrative": "x", "__proto__": {"admin": true}}',
    b'[' * 5000 + b']' * 5000,
    b'{"a":' * 2000 + b'1' + b'}' * 2000,
    b'{"call_id": "s5", "narrative": 1e999}',
])
def test_malicious_bodies_are_4xx(make_client: Callable[..., TestClient], sqlite_url: str,
                                  body: bytes) -> None:
    client = make_client(sqlite_url, rate_limit=None)
    answer = client.post("/v1/recommendations", content=body,
                         headers={"Content-Type": "application/json", **auth("dispatch")})
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.json()["message"]


@pytest.mark.parametrize("char", ["x", "ж", "男", "🚑"])
def test_the_largest_valid_record_fits_however_it_is_encoded(
        make_client: Callable[..., TestClient], sqlite_url: str, char: str) -> None:
    import json

    call = {"call_id": char * 64, "narrative": char * 10_000, "call_type": char * 200,
            "district": char * 64, "questionnaire": {key: " unknown " for key in
                                                      ("weapons", "threats", "violence")}}
    client = make_client(sqlite_url, rate_limit=None)
    for ascii_only in (True, False):  # Python's json.dumps escapes by default
        body = json.dumps(call, ensure_ascii=ascii_only, indent=2).encode()
        answer = client.post("/v1/recommendations", content=body,
                             headers={"Content-Type": "application/json", **auth("dispatch")})
        assert answer.status_code == 200, (len(body), answer.text[:200])
