"""Signing in and out of the review pages: redirects, roles, cookies and CSRF."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from serving.pages import session as sessions
from tests.serving.conftest import KEYS, auth
from tests.serving.page_client import csrf_from, decide, login

PAGES = ["/audit", "/audit/decisions", "/audit/decisions/some-id", "/audit/reports",
         "/audit/reports.csv?from=2026-01-01&to=2026-01-02", "/audit/logout",
         "/audit/no-such-page"]


@pytest.fixture
def pages(make_client: Callable[..., TestClient], sqlite_url: str) -> TestClient:
    return make_client(sqlite_url)


@pytest.mark.parametrize("path", PAGES)
def test_unauthenticated_visits_redirect_to_login(pages: TestClient, path: str) -> None:
    answer = pages.get(path, follow_redirects=False)
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert location.path == "/audit/login" or (path == "/audit"
                                               and location.path == "/audit/decisions")
    if location.path == "/audit/login":
        assert parse_qs(location.query)["next"] == [path]


def test_an_api_key_header_does_not_open_the_pages(pages: TestClient) -> None:
    answer = pages.get("/audit/decisions", headers=auth("admin"), follow_redirects=False)
    assert answer.status_code == 303


def test_a_form_post_without_session_returns_to_its_page_after_login(
        pages: TestClient) -> None:
    answer = pages.post("/audit/decisions/abc/outcome", data={"responder_sent": "heart"},
                        follow_redirects=False)
    assert answer.status_code == 303
    assert parse_qs(urlsplit(answer.headers["location"]).query)["next"] == [
        "/audit/decisions/abc"]


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_auditor_and_admin_sign_in_with_a_safe_cookie(pages: TestClient, role: str) -> None:
    answer = login(pages, role, next_url="/audit/reports")
    assert answer.status_code == 303 and answer.headers["location"] == "/audit/reports"
    cookie = next(value for value in answer.headers.get_list("set-cookie")
                  if value.startswith(sessions.SESSION_COOKIE))
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=strict" in lowered and "path=/audit" in lowered
    assert KEYS[role] not in cookie
    page = pages.get("/audit/reports")
    assert page.status_code == 200 and f"signed in as {role}" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_a_dispatch_key_gets_a_403_page(pages: TestClient) -> None:
    answer = login(pages, "dispatch")
    assert answer.status_code == 403
    assert "text/html" in answer.headers["content-type"]
    assert "cannot open the review pages" in answer.text
    assert pages.get("/audit/decisions", follow_redirects=False).status_code == 303


def test_a_wrong_key_is_refused_without_echoing_it(pages: TestClient) -> None:
    answer = login(pages, key="guess-0123456789")
    assert answer.status_code == 401
    assert "not valid" in answer.text and "guess-0123456789" not in answer.text


def test_the_login_form_needs_its_own_token(pages: TestClient) -> None:
    pages.get("/audit/login")
    forged = pages.post("/audit/login", data={"api_key": KEYS["auditor"],
                                              "csrf_token": "forged"}, follow_redirects=False)
    assert forged.status_code == 400
    assert sessions.SESSION_COOKIE not in forged.headers.get("set-cookie", "")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/audit/",
                                    "/v1/decisions", "/audit/login"])
def test_next_never_leaves_the_review_pages(pages: TestClient, target: str) -> None:
    answer = login(pages, next_url=target)
    assert answer.headers["location"] == "/audit/decisions"


def test_a_forged_session_cookie_is_ignored(pages: TestClient) -> None:
    pages.cookies.set(sessions.SESSION_COOKIE, "eyJyb2xlIjoiYWRtaW4ifQ.forged.sig",
                      path="/audit")
    assert pages.get("/audit/decisions", follow_redirects=False).status_code == 303


def test_logout_takes_a_token_and_ends_the_session(pages: TestClient) -> None:
    login(pages)
    html = pages.get("/audit/decisions").text
    refused = pages.post("/audit/logout", data={"csrf_token": "wrong"}, follow_redirects=False)
    assert refused.status_code == 403
    assert pages.get("/audit/decisions", follow_redirects=False).status_code == 200
    done = pages.post("/audit/logout", data={"csrf_token": csrf_from(html)},
                      follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/audit/login"
    assert pages.get("/audit/decisions", follow_redirects=False).status_code == 303


def test_unknown_pages_are_an_html_404_once_signed_in(pages: TestClient) -> None:
    login(pages)
    answer = pages.get("/audit/no-such-page")
    assert answer.status_code == 404 and "No such page" in answer.text
    missing = pages.get("/audit/decisions/not-a-decision")
    assert missing.status_code == 404 and "not-a-decision" in missing.text


def test_open_mode_signs_anyone_in_as_admin_and_says_so(
        make_client: Callable[..., TestClient], sqlite_url: str) -> None:
    client = make_client(sqlite_url, keys="")
    form = client.get("/audit/login")
    assert "No API keys are configured" in form.text
    decision_id = decide(client)
    assert login(client, key="anything").status_code == 303
    assert decision_id in client.get("/audit/decisions").text


def test_the_stylesheet_is_served(pages: TestClient) -> None:
    css = pages.get("/audit/static/audit.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
