"""Secrets never reach a log: not an API key (right, wrong or refused), not a narrative
(decided, refused, spooled, crashing), not even with SQL logging turned on.

Every logger is captured at DEBUG while each path runs; the log is then searched for the
key and the narrative. The narrative is health information about a person in crisis;
the key opens the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from data.schema import CallRecord
from data.settings import Settings
from serving.app import create_app
from serving.audit import AuditStore
from serving.audit.store import AuditUnavailableError
from serving.auth import key_fingerprint
from tests.serving.conftest import KEY_SPEC, KEYS, auth
from tests.serving.page_client import csrf_from, login
from tests.serving.stub_recommender import StubRecommender

NARRATIVE = "PRIVATE-NARRATIVE caller's brother hears voices, took his meds"
NOT_A_KEY = "WRONG-KEY-6d1f0c9a"


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of every logger, DEBUG and up, SQL statements included."""
    noisy = ["sqlalchemy.engine", "sqlalchemy.pool", "httpx", "uvicorn", "fastapi",
             "fifthbranch"]
    levels = {name: logging.getLogger(name).level for name in noisy}
    caplog.set_level(logging.DEBUG)
    for name in noisy:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield caplog
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _text(caplog: pytest.LogCaptureFixture) -> str:
    """The log as an operator would read it: messages, arguments and tracebacks."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    return "\n".join(handler.format(record) for record in caplog.records)


def _assert_clean(caplog: pytest.LogCaptureFixture) -> None:
    log = _text(caplog)
    assert caplog.records, "nothing was logged: the capture is broken"
    for secret in (*KEYS.values(), NOT_A_KEY, "PRIVATE-NARRATIVE", "hears voices"):
        assert secret not in log, f"{secret!r} was logged"


class CrashingRecommender(StubRecommender):
    """A model with a bug: the 500 path, whose log carries a traceback."""

    def decide(self, record: CallRecord, *, explain: bool = True) -> Any:
        raise RuntimeError("model exploded")


def test_keys_and_narratives_stay_out_of_the_log(
        make_client: Callable[..., TestClient], db_url: str,
        captured: pytest.LogCaptureFixture) -> None:
    client = make_client(db_url, rate_limit=None)
    call = {"call_id": "log-1", "narrative": NARRATIVE, "questionnaire": {"self_harm": "yes"}}
    decided = client.post("/v1/recommendations", json=call, headers=auth("dispatch"))
    assert decided.status_code == 200
    decision_id = decided.json()["decision_id"]
    assert client.get(f"/v1/decisions/{decision_id}", headers=auth("auditor")).status_code == 200
    assert client.post("/v1/recommendations/batch", json={"calls": [call, call]},
                       headers=auth("admin")).status_code == 200
    refusals = [
        client.post("/v1/recommendations", json=call,
                    headers={"Authorization": f"Bearer {NOT_A_KEY}"}),
        client.post("/v1/recommendations", json=call, headers=auth("auditor")),
        client.get("/v1/decisions", headers=auth("dispatch")),
        client.post("/v1/recommendations", json={**call, "questionnaire": {"weapon": "yes"}},
                    headers=auth("dispatch")),
        client.post("/v1/recommendations", content=NARRATIVE.encode(),
                    headers={"Content-Type": "application/json", **auth("dispatch")}),
        client.post(f"/v1/decisions/{decision_id}/outcome", json={
            "responder_sent": "heart", "disposition": "other", "notes": NARRATIVE},
            headers=auth("dispatch")),
    ]
    assert [r.status_code for r in refusals] == [401, 403, 403, 422, 400, 201]
    for key in (NOT_A_KEY, KEYS["dispatch"], KEYS["auditor"]):
        form = client.get("/audit/login")
        client.post("/audit/login", data={"api_key": key, "csrf_token": csrf_from(form.text),
                                          "next": ""}, follow_redirects=False)
    assert str(escape(NARRATIVE)) in client.get(f"/audit/decisions/{decision_id}").text
    _assert_clean(captured)


def test_a_crash_logs_a_traceback_without_the_narrative(
        make_client: Callable[..., TestClient], sqlite_url: str,
        captured: pytest.LogCaptureFixture) -> None:
    client = make_client(sqlite_url, loader=CrashingRecommender, rate_limit=None)
    answer = client.post("/v1/recommendations", json={"call_id": "c", "narrative": NARRATIVE},
                         headers=auth("dispatch"))
    assert answer.status_code == 500 and "request id" in answer.json()["message"]
    assert "model exploded" in _text(captured)  # the traceback is there...
    _assert_clean(captured)  # ...the narrative and the key are not


class DownStore(AuditStore):
    """An audit database that is away: every decision goes to the spool."""

    def migrate(self) -> None:
        raise AuditUnavailableError(f"audit database {self.safe_url} is unavailable: test")

    def append_decision(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditUnavailableError(f"audit database {self.safe_url} is unavailable: test")


def test_spooling_logs_no_narrative(tmp_path: Path,
                                    captured: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "home"
    settings = Settings(FIFTHBRANCH_HOME=home, FIFTHBRANCH_API_KEYS=KEY_SPEC,
                        FIFTHBRANCH_DB_URL=f"sqlite:///{home / 'audit.db'}")
    app = create_app(settings, loader=StubRecommender, rate_limit=None,
                     store=DownStore.from_url(settings.db_url), drain_interval=3600)
    with TestClient(app) as client:
        answer = client.post("/v1/recommendations", json={"call_id": "s", "narrative": NARRATIVE},
                             headers=auth("dispatch"))
        assert answer.status_code == 200
        assert client.get("/readyz").json()["audit"]["spool_depth"] == 1
    assert "spool" in _text(captured)
    _assert_clean(captured)


def test_the_access_log_says_who_read_which_decision(
        make_client: Callable[..., TestClient], sqlite_url: str,
        captured: pytest.LogCaptureFixture) -> None:
    client = make_client(sqlite_url, rate_limit=None)
    decision_id = client.post("/v1/recommendations", json={"call_id": "a", "narrative": NARRATIVE},
                              headers=auth("dispatch")).json()["decision_id"]
    client.get(f"/v1/decisions/{decision_id}", headers=auth("auditor"))
    login(client, "auditor")
    client.get(f"/audit/decisions/{decision_id}")
    lines = [r.getMessage() for r in captured.records if "request_id=" in r.getMessage()]
    auditor = f"auditor:{key_fingerprint(KEYS['auditor'])}"
    assert any("POST /v1/recommendations status=200" in line
               and f"caller=dispatch:{key_fingerprint(KEYS['dispatch'])}" in line
               for line in lines)
    for route in ("GET /v1/decisions/{decision_id} status=200",
                  "GET /audit/decisions/{decision_id} status=200"):
        assert any(route in line and f"caller={auditor}" in line
                   and f"decision_id='{decision_id}'" in line for line in lines), route
    _assert_clean(captured)
