"""A NUL character is a client's mistake (PostgreSQL cannot store or compare one): 4xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.serving.conftest import CALL, auth
from tests.serving.page_client import login


@pytest.mark.parametrize(("body", "names"), [
    ({**CALL, "call_id": "a\x00b"}, "call_id"),
    ({**CALL, "district": "\x00"}, "district"),
    ({**CALL, "narrative": "man\x00sleeping"}, "narrative"),
    ({**CALL, "questionnaire": {"weap\x00ons": "yes"}}, "questionnaire.weap\\x00ons"),
])
def test_nul_in_a_record_is_422_naming_the_field(client: TestClient, body: dict,
                                                 names: str) -> None:
    answer = client.post("/v1/recommendations", json=body, headers=auth("dispatch"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["message"].startswith(f"{names}: must not contain NUL")
    batch = client.post("/v1/recommendations/batch", json={"calls": [CALL, body]},
                        headers=auth("dispatch"))
    assert batch.status_code == 422
    assert batch.json()["message"].startswith(f"calls.1.{names}")


def test_a_literal_backslash_u0000_in_text_is_fine(client: TestClient) -> None:
    answer = client.post("/v1/recommendations", json={**CALL, "narrative": "typed \\u0000"},
                         headers=auth("dispatch"))
    assert answer.status_code == 200


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/v1/decisions?district=a%00b"),
    ("get", "/v1/decisions/a%00b"),
    ("post", "/v1/decisions/a%00b/outcome"),
    ("get", "/audit/decisions?rule=%00"),
    ("get", "/audit/decisions/a%00b"),
])
def test_nul_in_a_url_is_400(client: TestClient, method: str, path: str) -> None:
    login(client)
    answer = client.request(method, path, headers=auth("admin"),
                            json={"responder_sent": "heart", "disposition": "other"})
    assert answer.status_code == 400
    assert "NUL" in answer.json()["message"] and answer.headers["x-request-id"]


def test_nul_in_outcome_notes_is_422(client: TestClient) -> None:
    decision_id = client.post("/v1/recommendations", json=CALL,
                              headers=auth("dispatch")).json()["decision_id"]
    answer = client.post(f"/v1/decisions/{decision_id}/outcome", headers=auth("dispatch"),
                         json={"responder_sent": "heart", "disposition": "other",
                               "notes": "a\x00b"})
    assert answer.status_code == 422 and answer.json()["message"].startswith("notes")
