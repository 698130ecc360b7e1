"""`POST /v1/decisions/{id}/outcome` over HTTP: roles, append-only storage, field errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from serving.audit import AuditStore
from tests.serving.conftest import CALL, auth

OUTCOME = {"responder_sent": "heart", "felt_safe": True, "backup_requested": False,
           "time_on_scene_minutes": 35, "disposition": "referred_to_care",
           "notes": "connected to follow-up"}


def _decide(client: TestClient, **changes: object) -> str:
    answer = client.post("/v1/recommendations", json={**CALL, **changes},
                         headers=auth("dispatch"))
    assert answer.status_code == 200, answer.text
    return answer.json()["decision_id"]


def test_outcomes_are_appended_and_read_back(client: TestClient, db_url: str) -> None:
    decision_id = _decide(client)
    first = client.post(f"/v1/decisions/{decision_id}/outcome", json=OUTCOME,
                        headers=auth("dispatch"))
    assert first.status_code == 201, first.text
    assert first.json()["body"] == OUTCOME and first.json()["client_role"] == "dispatch"
    correction = {**OUTCOME, "felt_safe": False, "backup_requested": True, "notes": None}
    second = client.post(f"/v1/decisions/{decision_id}/outcome", json=correction,
                         headers=auth("admin"))
    assert second.status_code == 201
    assert second.json()["outcome_id"] != first.json()["outcome_id"]
    stored = client.get(f"/v1/decisions/{decision_id}", headers=auth("auditor")).json()
    assert [o["body"]["felt_safe"] for o in stored["outcomes"]] == [True, False]
    assert [o["client_role"] for o in stored["outcomes"]] == ["dispatch", "admin"]
    store = AuditStore.from_url(db_url)
    try:
        result = store.verify()
    finally:
        store.close()
    assert result.ok and result.checked == 3  # one decision, two outcomes, one chain each


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("auditor", 403)])
def test_only_dispatch_and_admin_report_outcomes(client: TestClient, role: str | None,
                                                 status: int) -> None:
    decision_id = _decide(client)
    headers = auth(role) if role else {}
    answer = client.post(f"/v1/decisions/{decision_id}/outcome", json=OUTCOME, headers=headers)
    assert answer.status_code == status
    assert answer.json()["message"]


def test_an_unknown_decision_is_404_naming_it(make_client: Callable[..., TestClient],
                                              sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    answer = client.post("/v1/decisions/no-such-decision/outcome", json=OUTCOME,
                         headers=auth("dispatch"))
    assert answer.status_code == 404
    assert "no-such-decision" in answer.json()["message"]


@pytest.mark.parametrize(("body", "names"), [
    ({k: v for k, v in OUTCOME.items() if k != "responder_sent"}, "responder_sent"),
    ({**OUTCOME, "responder_sent": "fire"}, "responder_sent"),
    ({**OUTCOME, "felt_safe": "perhaps"}, "felt_safe"),
    ({**OUTCOME, "time_on_scene_minutes": -5}, "time_on_scene_minutes"),
    ({**OUTCOME, "disposition": "vanished"}, "disposition"),
    ({**OUTCOME, "notes": "x" * 2001}, "notes"),
    ({**OUTCOME, "colour": "red"}, "colour"),
    ([OUTCOME], "body"),
])
def test_bad_outcomes_are_422_naming_the_field(make_client: Callable[..., TestClient],
                                               sqlite_url: str, body: object,
                                               names: str) -> None:
    client = make_client(sqlite_url)
    decision_id = _decide(client)
    answer = client.post(f"/v1/decisions/{decision_id}/outcome", json=body,
                         headers=auth("dispatch"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"].startswith(names)
    assert client.get(f"/v1/decisions/{decision_id}",
                      headers=auth("auditor")).json()["outcomes"] == []


@pytest.mark.parametrize(("content", "status"), [(b"{oops", 400), (b"", 422)])
def test_malformed_outcome_bodies_are_4xx(make_client: Callable[..., TestClient],
                                          sqlite_url: str, content: bytes,
                                          status: int) -> None:
    client = make_client(sqlite_url)
    decision_id = _decide(client)
    answer = client.post(f"/v1/decisions/{decision_id}/outcome", content=content,
                         headers={"Content-Type": "application/json", **auth("dispatch")})
    assert answer.status_code == status


def test_the_outcome_endpoint_is_in_the_openapi_schema(
        make_client: Callable[..., TestClient], sqlite_url: str) -> None:
    schema = make_client(sqlite_url).get("/openapi.json").json()
    post = schema["paths"]["/v1/decisions/{decision_id}/outcome"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert "responder_sent" in body["required"]
    assert not any(path.startswith("/audit") for path in schema["paths"])
