"""Driving the review pages as a browser would: read a form's token, post it back."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

from tests.serving.conftest import CALL, KEYS, auth

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no csrf_token field in the page"
    return found.group(1)


def login(client: TestClient, role: str = "auditor", *, next_url: str = "",
          key: str | None = None) -> Response:
    """Sign in through the form; returns the (unfollowed) answer to the form post."""
    form = client.get("/audit/login", params={"next": next_url} if next_url else None)
    assert form.status_code == 200
    return client.post("/audit/login", data={
        "api_key": key if key is not None else KEYS[role], "csrf_token": csrf_from(form.text),
        "next": next_url}, follow_redirects=False)


def decide(client: TestClient, **changes: object) -> str:
    """One decision through the API; its id."""
    answer = client.post("/v1/recommendations", json={**CALL, **changes},
                         headers=auth("dispatch"))
    assert answer.status_code == 200, answer.text
    return answer.json()["decision_id"]
