"""Query parameters are read strictly: an unknown or repeated one is a 422 naming it, and
a time filter must be ISO 8601, because a silently ignored filter shows an auditor
unfiltered decisions that look filtered."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.serving.conftest import auth


@pytest.fixture
def api(make_client: Callable[..., TestClient], sqlite_url: str) -> TestClient:
    return make_client(sqlite_url, rate_limit=None)


@pytest.mark.parametrize(("url", "names"), [
    ("/v1/decisions?recomendation=police", "'recomendation': unknown query parameter"),
    ("/v1/decisions?=x", "'': unknown query parameter"),
    ("/v1/decisions?rule_id=a&rule_id=b", "'rule_id': given more than once"),
    ("/v1/decisions/some-id?limit=3", "'limit': unknown query parameter; it takes none"),
    ("/v1/model?verbose=1", "'verbose': unknown query parameter"),
    ("/readyz?strict=1&strict=0", "'strict': given more than once"),
])
def test_unknown_or_repeated_parameters_are_named(api: TestClient, url: str,
                                                  names: str) -> None:
    answer = api.get(url, headers=auth("auditor"))
    assert answer.status_code == 422
    assert answer.json()["message"].startswith(names)


def test_the_known_ones_still_work(api: TestClient) -> None:
    listed = api.get("/v1/decisions", params={"recommendation": "police", "limit": 5,
                                              "from": "2026-01-01"}, headers=auth("auditor"))
    assert listed.status_code == 200 and listed.json()["limit"] == 5
    assert api.get("/readyz?strict=true").status_code in (200, 503)


@pytest.mark.parametrize("value", ["2026", "-96758977", "1.5e3", "nan"])
def test_a_number_is_not_taken_for_a_time(api: TestClient, value: str) -> None:
    answer = api.get("/v1/decisions", params={"from": value}, headers=auth("auditor"))
    assert answer.status_code == 422
    assert "ISO 8601" in answer.json()["message"]


@pytest.mark.parametrize(("url", "body", "names"), [
    ("/v1/recommendations", {"call_id": "n1", "narrative": "x", "received_at": 1732700000},
     "received_at: expected an ISO 8601"),
    ("/v1/recommendations/batch", {"calls": [{"call_id": "n1", "narrative": "x"}, {
        "call_id": "n2", "narrative": "x", "received_at": 1.7e12}]},
     "calls.1.received_at: expected an ISO 8601"),
])
def test_a_number_is_not_taken_for_the_time_of_a_call(api: TestClient, url: str,
                                                      body: dict, names: str) -> None:
    answer = api.post(url, json=body, headers=auth("dispatch"))
    assert answer.status_code == 422 and answer.json()["message"].startswith(names)
