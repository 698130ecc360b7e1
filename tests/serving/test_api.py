"""The HTTP API of CONTRACT.md section 3 over httpx: bodies, roles and every error path."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from data.schema import CallRecord
from serving.audit import AuditStore
from serving.body import RECORD_LIMIT
from tests.serving.conftest import CALL, auth


def _decisions(store_url: str) -> list:
    store = AuditStore.from_url(store_url)
    try:
        return list(store.iter_decisions())
    finally:
        store.close()


def test_each_200_decision_is_stored_once_exactly_as_returned(client: TestClient,
                                                              db_url: str) -> None:
    calls = [CALL, {**CALL, "call_id": "2", "narrative": "he has a gun",
                    "questionnaire": {"weapons": "yes"}}]
    answers = [client.post("/v1/recommendations", json=c, headers=auth("dispatch"))
               for c in calls]
    assert [a.status_code for a in answers] == [200, 200]
    batch = client.post("/v1/recommendations/batch", json={"calls": calls},
                        headers=auth("admin"))
    assert batch.status_code == 200
    returned = [a.text for a in answers] + [
        d for d in _split_batch(batch.text)]
    rows = _decisions(db_url)
    assert [row.response_json for row in rows] == returned
    assert [row.client_role for row in rows] == ["dispatch", "dispatch", "admin", "admin"]
    assert [row.request for row in rows][1] == CallRecord.model_validate(calls[1]).model_dump(
        mode="json")
    assert [d["call_id"] for d in batch.json()["decisions"]] == [CALL["call_id"], "2"]
    assert answers[1].json()["recommendation"] == "police"
    assert answers[1].json()["overrides"][0]["rule_id"] == "weapon-present"
    assert AuditStore.from_url(db_url).verify().checked == 4


def _split_batch(body: str) -> list[str]:
    """The decisions of a batch body as the exact JSON texts that were spliced in."""
    import orjson

    inner = orjson.loads(body)["decisions"]
    return [orjson.dumps(d).decode() for d in inner]


def test_auditor_reads_a_decision_exactly_as_returned(client: TestClient) -> None:
    answer = client.post("/v1/recommendations", json=CALL, headers=auth("dispatch"))
    decision_id = answer.json()["decision_id"]
    stored = client.get(f"/v1/decisions/{decision_id}", headers=auth("auditor"))
    assert stored.status_code == 200
    body = stored.json()
    assert body["decision"] == answer.json()
    assert answer.text in stored.text  # spliced verbatim, not re-serialised
    assert body["call"]["narrative"] == CALL["narrative"]
    assert body["audit"]["client_role"] == "dispatch" and body["audit"]["run_id"] == "run-1"
    assert body["outcomes"] == []
    listed = client.get("/v1/decisions", params={"district": "D2", "overridden": "false"},
                        headers=auth("auditor")).json()
    assert listed["total"] == 1 and listed["decisions"][0]["decision_id"] == decision_id
    assert client.get("/v1/decisions", params={"recommendation": "police"},
                      headers=auth("auditor")).json()["total"] == 0
    missing = client.get("/v1/decisions/unknown-id", headers=auth("auditor"))
    assert missing.status_code == 404 and "unknown-id" in missing.json()["message"]


@pytest.mark.parametrize(("method", "path", "role", "status"), [
    ("post", "/v1/recommendations", None, 401),
    ("post", "/v1/recommendations", "wrong", 401),
    ("post", "/v1/recommendations", "auditor", 403),
    ("post", "/v1/recommendations/batch", "auditor", 403),
    ("get", "/v1/decisions", "dispatch", 403),
    ("get", "/v1/decisions/x", "dispatch", 403),
    ("get", "/v1/decisions", None, 401),
    ("post", "/v1/admin/reload", "dispatch", 403),
    ("post", "/v1/admin/reload", "auditor", 403),
    ("get", "/v1/model", None, 401),
])
def test_roles(make_client: Callable[..., TestClient], sqlite_url: str, method: str,
               path: str, role: str | None, status: int) -> None:
    client = make_client(sqlite_url)
    headers = {} if role is None else (
        {"Authorization": "Bearer not-a-key"} if role == "wrong" else auth(role))
    answer = client.request(method, path, json=CALL, headers=headers)
    assert answer.status_code == status
    assert answer.json()["message"]
    if status == 401:
        assert answer.headers["www-authenticate"] == "Bearer"
    assert "key-0123456789" not in answer.text


def test_every_role_reads_the_model_and_admin_does_everything(
        make_client: Callable[..., TestClient], sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    for role in ("dispatch", "auditor", "admin"):
        info = client.get("/v1/model", headers=auth(role))
        assert info.status_code == 200
        assert info.json() | {"loaded_at": None} == {
            "name": "stub-model", "version": "1", "alias": "champion", "run_id": "run-1",
            "rules_version": "sha256:stub", "degraded": False, "degraded_reason": None,
            "loaded_at": None}
    assert client.post("/v1/recommendations", json=CALL, headers=auth("admin")).status_code == 200
    assert client.get("/v1/decisions", headers=auth("admin")).status_code == 200


def _bad(**changes) -> dict:
    call = copy.deepcopy(CALL)
    call.update(changes)
    return call


@pytest.mark.parametrize(("body", "status", "names"), [
    (_bad(questionnaire={"weapon": "yes"}), 422, "questionnaire.weapon"),
    (_bad(questionnaire={"weapons": "maybe"}), 422, "questionnaire.weapons"),
    (_bad(narrative=""), 422, "narrative"),
    (_bad(narrative="   "), 422, "narrative"),
    (_bad(narrative=12), 422, "narrative"),
    (_bad(call_id="x" * 65), 422, "call_id"),
    (_bad(received_at="yesterday"), 422, "received_at"),
    (_bad(colour="red"), 422, "colour"),
    ({"narrative": "no id"}, 422, "call_id"),
    ([CALL], 422, "body"),
    ("just a string", 422, "body"),
    (None, 422, "body"),
])
def test_invalid_records_are_422_naming_the_field(
        make_client: Callable[..., TestClient], sqlite_url: str, body, status: int,
        names: str) -> None:
    client = make_client(sqlite_url)
    answer = client.post("/v1/recommendations", json=body, headers=auth("dispatch"))
    assert answer.status_code == status, answer.text
    assert answer.json()["message"].startswith(names)
    assert _decisions(sqlite_url) == []


@pytest.mark.parametrize(("content", "headers", "status"), [
    (b"{not json", {}, 400),
    (b"", {}, 422),
    (b'{"call_id": "1", "narrative": "x"', {}, 400),
    (b"\xff\xfe", {}, 400),
    (b'{"call_id": "1", "narrative": "x"}', {"Content-Type": "text/plain"}, 415),
    (b"{}", {"Content-Length": "abc"}, 400),
])
def test_malformed_bodies_are_4xx(make_client: Callable[..., TestClient], sqlite_url: str,
                                  content: bytes, headers: dict, status: int) -> None:
    client = make_client(sqlite_url)
    answer = client.post("/v1/recommendations", content=content,
                         headers={"Content-Type": "application/json", **auth("dispatch"),
                                  **headers})
    assert answer.status_code == status, answer.text
    assert answer.json()["message"]


def test_oversize_bodies_are_413(make_client: Callable[..., TestClient],
                                 sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    big = {**CALL, "narrative": "x" * (RECORD_LIMIT + 10)}
    assert client.post("/v1/recommendations", json=big,
                       headers=auth("dispatch")).status_code == 413

    def chunks():  # no Content-Length: the limit holds while streaming
        for _ in range(RECORD_LIMIT // 1024 + 16):
            yield b" " * 1024

    streamed = client.post("/v1/recommendations", content=chunks(),
                           headers={"Content-Type": "application/json", **auth("dispatch")})
    assert streamed.status_code == 413
    many = client.post("/v1/recommendations/batch", json={"calls": [CALL] * 1001},
                       headers=auth("dispatch"))
    assert many.status_code == 413 and "1001" in many.json()["message"]
    assert _decisions(sqlite_url) == []


@pytest.mark.parametrize(("body", "names"), [
    ({}, "calls"),
    ({"calls": CALL}, "calls"),
    ({"calls": [CALL], "extra": 1}, "extra"),
    ({"calls": [CALL, {**CALL, "questionnaire": {"weapon": "yes"}}]},
     "calls.1.questionnaire.weapon"),
])
def test_invalid_batches_name_the_record(make_client: Callable[..., TestClient],
                                         sqlite_url: str, body: dict, names: str) -> None:
    client = make_client(sqlite_url)
    answer = client.post("/v1/recommendations/batch", json=body, headers=auth("dispatch"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"].startswith(names)
    assert _decisions(sqlite_url) == []  # nothing decided when any record is bad


@pytest.mark.parametrize(("method", "path", "status"), [
    ("get", "/nowhere", 404),
    ("get", "/v1/recommendations", 405),
    ("delete", "/v1/decisions/x", 405),
    ("put", "/healthz", 405),
])
def test_unknown_paths_and_methods_answer_json(make_client: Callable[..., TestClient],
                                               sqlite_url: str, method: str, path: str,
                                               status: int) -> None:
    answer = make_client(sqlite_url).request(method, path, headers=auth("admin"))
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["message"] and answer.headers["x-request-id"]


@pytest.mark.parametrize("query", [
    {"limit": "0"}, {"limit": "501"}, {"offset": "-1"}, {"offset": str(10**30)},
    {"recommendation": "fire"},
    {"overridden": "perhaps"}, {"from": "not-a-date"},
    {"from": "2026-11-22T00:00:00Z", "to": "2026-11-21T00:00:00Z"},
])
def test_bad_list_filters_are_422(make_client: Callable[..., TestClient], sqlite_url: str,
                                  query: dict) -> None:
    answer = make_client(sqlite_url).get("/v1/decisions", params=query, headers=auth("auditor"))
    assert answer.status_code == 422
    assert answer.json()["message"].split(":")[0].split(".")[-1] in {*query, "query"}


def test_idempotent_retry_returns_the_stored_decision(client: TestClient, db_url: str) -> None:
    headers = {**auth("dispatch"), "Idempotency-Key": "retry-1"}
    first = client.post("/v1/recommendations", json=CALL, headers=headers)
    again = client.post("/v1/recommendations", json=CALL, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.text == first.text
    assert again.headers["idempotent-replayed"] == "true"
    assert len(_decisions(db_url)) == 1
    other = client.post("/v1/recommendations", json={**CALL, "call_id": "other"},
                        headers=headers)
    assert other.status_code == 409
    batch_headers = {**auth("dispatch"), "Idempotency-Key": "batch-1"}
    batch = client.post("/v1/recommendations/batch", json={"calls": [CALL, CALL]},
                        headers=batch_headers)
    repeat = client.post("/v1/recommendations/batch", json={"calls": [CALL, CALL]},
                         headers=batch_headers)
    assert repeat.text == batch.text
    assert len(_decisions(db_url)) == 3


def test_request_ids_metrics_and_openapi(make_client: Callable[..., TestClient],
                                         sqlite_url: str) -> None:
    client = make_client(sqlite_url)
    answer = client.post("/v1/recommendations", json={**CALL, "questionnaire": {
        "violence": "yes"}}, headers={**auth("dispatch"), "X-Request-ID": "cad-42"})
    assert answer.headers["x-request-id"] == "cad-42"
    assert len(client.get("/healthz").headers["x-request-id"]) == 32
    metrics = client.get("/metrics").text
    assert 'fifthbranch_recommendations_total{recommendation="police"} 1.0' in metrics
    assert 'fifthbranch_overrides_total{rule_id="violence-now"} 1.0' in metrics
    assert "fifthbranch_audit_spool_depth 0.0" in metrics
    assert "fifthbranch_degraded 0.0" in metrics
    assert 'route="/v1/recommendations",status="200"' in metrics
    assert "fifthbranch_http_request_duration_seconds_bucket" in metrics
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/v1/recommendations"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["$ref"].endswith("/CallRecord")
    assert "CallRecord" in schema["components"]["schemas"]
    for path in ("/v1/recommendations", "/v1/recommendations/batch", "/v1/decisions",
                 "/v1/decisions/{decision_id}", "/v1/model", "/v1/admin/reload",
                 "/healthz", "/readyz", "/metrics"):
        assert path in schema["paths"]


def test_narratives_and_keys_stay_out_of_logs(make_client: Callable[..., TestClient],
                                              sqlite_url: str,
                                              caplog: pytest.LogCaptureFixture) -> None:
    client = make_client(sqlite_url)
    secret = "SECRET-NARRATIVE-TEXT"
    with caplog.at_level("DEBUG"):
        client.post("/v1/recommendations", json={**CALL, "narrative": secret},
                    headers=auth("dispatch"))
        client.post("/v1/recommendations", json={**CALL, "narrative": secret,
                                                 "questionnaire": {"x": secret}},
                    headers=auth("dispatch"))
    assert "decision_id=" in caplog.text
    assert secret not in caplog.text and "key-0123456789" not in caplog.text
