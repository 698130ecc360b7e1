"""The review pages in a real browser: Playwright driving Debian's Chromium against a live
uvicorn server on 127.0.0.1 (a thread of this process, with the stand-in model).

Skipped when Chromium (or Playwright) is missing, unless FIFTHBRANCH_REQUIRE_BROWSER=1
(set by CI), which makes them fail instead. With FIFTHBRANCH_SCREENSHOTS=1 the tour
saves the three pages to docs/screenshots/ for the README.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from data.settings import Settings
from serving.app import create_app
from tests.serving.conftest import KEY_SPEC, KEYS
from tests.serving.stub_recommender import StubRecommender

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("FIFTHBRANCH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
XSS = ('<script>window.__xss = 1; document.title = "pwned"</script>'
       '<img src="x" onerror="window.__xss = 2"> caller says the man is sleeping')


def _flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")


def _unavailable(reason: str) -> None:
    if _flag("FIFTHBRANCH_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (FIFTHBRANCH_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"no browser at {CHROMIUM}: `make test` installs Debian's chromium "
                     "when run as root with apt-get")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                  args=CHROMIUM_ARGS)
        except Exception as error:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server with a few decisions in its audit log; yields its base URL."""
    home = tmp_path_factory.mktemp("browser-home")
    settings = Settings(FIFTHBRANCH_HOME=home, FIFTHBRANCH_API_KEYS=KEY_SPEC,
                        FIFTHBRANCH_DB_URL=f"sqlite:///{home / 'audit.db'}",
                        MLFLOW_TRACKING_URI="http://mlflow.example:5000")
    app = create_app(settings, loader=StubRecommender)
    port = _free_port()
    uvicorn_server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                   log_level="warning"))
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uvicorn_server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    _seed(base)
    yield base
    uvicorn_server.should_exit = True
    thread.join(timeout=30)


def _seed(base: str) -> None:
    calls = [
        {"call_id": "2026-004211", "narrative": "RP states man sleeping in vestibule, "
         "not responsive to knocking", "district": "D2", "call_type": "WELFARE CHECK",
         "questionnaire": {"weapons": "no", "violence": "no"}},
        {"call_id": "2026-004212", "narrative": "neighbours yelling, something thrown",
         "district": "D1", "call_type": "DISTURBANCE",
         "questionnaire": {"violence": "yes", "weapons": "no"}},
        {"call_id": "2026-004213", "narrative": "caller says her brother has a gun",
         "district": "D1", "questionnaire": {"weapons": "yes", "threats": "yes"}},
        {"call_id": "2026-004214", "narrative": "woman talking to herself at bus stop",
         "district": "D3", "call_type": "MENTAL HEALTH", "questionnaire": {"self_harm": "no"}},
        {"call_id": "2026-004215", "narrative": XSS, "district": "D3"},
    ]
    headers = {"Authorization": f"Bearer {KEYS['dispatch']}"}
    for call in calls:
        answer = httpx.post(f"{base}/v1/recommendations", json=call, headers=headers,
                            timeout=10)
        assert answer.status_code == 200, answer.text


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def _screenshot(page: Any, name: str) -> None:
    if _flag("FIFTHBRANCH_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _sign_in(page: Any, role: str = "auditor") -> None:
    page.fill("input[name=api_key]", KEYS[role])
    page.click("button:has-text('Sign in')")


def _path(page: Any) -> str:
    return page.url.split("://", 1)[1].split("/", 1)[1].split("?")[0]


def test_an_auditor_filters_opens_a_decision_and_records_its_outcome(page: Any) -> None:
    page.goto("/audit/decisions")
    assert _path(page) == "audit/login"
    _sign_in(page)
    assert _path(page) == "audit/decisions"
    assert page.locator("table.decisions tbody tr").count() == 5
    _screenshot(page, "decisions")

    page.fill("input[name=district]", "D1")
    page.select_option("select[name=disagreement]", "yes")
    page.click("button:has-text('Filter')")
    rows = page.locator("table.decisions tbody tr")
    assert rows.count() == 1 and "2026-004212" in rows.inner_text()
    assert "district=D1" in page.url

    rows.locator("a").first.click()
    assert _path(page).startswith("audit/decisions/")
    assert page.locator("svg.chart.explanation rect").count() >= 1
    rules = page.locator("table.rules").inner_text()
    assert "violence-now" in rules and "questionnaire: violence = yes" in rules
    assert page.locator("a[href='http://mlflow.example:5000/#/runs/run-1']").count() == 1
    _screenshot(page, "decision")

    page.select_option("select[name=responder_sent]", "co_response")
    page.select_option("select[name=felt_safe]", "true")
    page.select_option("select[name=backup_requested]", "false")
    page.fill("input[name=time_on_scene_minutes]", "25")
    page.select_option("select[name=disposition]", "resolved_on_scene")
    page.fill("textarea[name=notes]", "both parties calm on arrival")
    page.click("button:has-text('Record outcome')")
    assert page.locator(".flash").inner_text() == "Outcome recorded."
    outcome = page.locator("table.outcomes tbody").inner_text()
    assert "co_response" in outcome and "both parties calm on arrival" in outcome

    page.click("button[name=replay]")
    assert "identical decision" in page.locator(".flash").inner_text()

    page.click("nav a:has-text('Reports')")
    assert page.locator("#total").inner_text() == "5"
    assert page.locator("#felt-safe").inner_text() == "100.0%"
    assert page.locator("svg.chart.over-time").count() == 1
    _screenshot(page, "report")

    page.click("button:has-text('Log out')")
    assert _path(page) == "audit/login"
    page.goto("/audit/reports")
    assert _path(page) == "audit/login"


def test_a_script_in_a_narrative_does_not_run(page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/audit/decisions?district=D3")
    _sign_in(page)
    page.click("table.decisions a >> nth=0")  # newest first: the script narrative
    narrative = page.locator("#narrative").inner_text()
    assert narrative.startswith("<script>window.__xss = 1")
    assert page.evaluate("window.__xss") is None
    assert "pwned" not in page.title() and dialogs == []
    assert page.locator("#narrative script, #narrative img").count() == 0


@pytest.mark.parametrize("path", ["/audit/decisions", "/audit/reports",
                                  "/audit/decisions/anything", "/audit/elsewhere"])
def test_unauthenticated_visits_land_on_the_login_page(page: Any, path: str) -> None:
    page.goto(path)
    assert _path(page) == "audit/login"
    assert page.locator("input[name=api_key]").is_visible()


def test_a_dispatch_key_cannot_sign_in(page: Any) -> None:
    page.goto("/audit/login")
    _sign_in(page, "dispatch")
    assert "cannot open the review pages" in page.locator("main").inner_text()
    page.goto("/audit/decisions")
    assert _path(page) == "audit/login"
