"""The review pages' content over HTTP: filters and paging, one decision, outcome form,
replay, the report and its CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from data.errors import FifthBranchError
from data.schema import CallRecord
from model.decision import Decision
from tests.serving.conftest import auth
from tests.serving.page_client import csrf_from, decide, login
from tests.serving.stub_recommender import StubRecommender

TODAY = datetime.now(UTC).date()


def listed(client: TestClient, **params: str) -> set[str]:
    """The decision ids the list page shows for these filters."""
    page = client.get("/audit/decisions", params=params)
    assert page.status_code == 200, page.text
    return set(re.findall(r'href="/audit/decisions/([0-9a-f-]{36})"', page.text))


@pytest.fixture
def signed_in(make_client: Callable[..., TestClient], sqlite_url: str) -> TestClient:
    client = make_client(sqlite_url)
    assert login(client).status_code == 303
    return client


@pytest.fixture
def three(signed_in: TestClient) -> dict[str, str]:
    """heart (D2), police by the model with a rule (D1), police raised by a rule (D1)."""
    return {
        "heart": decide(signed_in),
        "gun": decide(signed_in, call_id="2", narrative="he has a gun", district="D1",
                      questionnaire={"weapons": "yes"}),
        "raised": decide(signed_in, call_id="3", narrative="people yelling", district="D1",
                         questionnaire={"violence": "yes"}),
    }


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"heart", "gun", "raised"}),
    ({"recommendation": "police"}, {"gun", "raised"}),
    ({"recommendation": "heart"}, {"heart"}),
    ({"overridden": "yes"}, {"gun", "raised"}),
    ({"overridden": "no"}, {"heart"}),
    ({"disagreement": "yes"}, {"raised"}),
    ({"disagreement": "no"}, {"heart", "gun"}),
    ({"rule": "violence-now"}, {"raised"}),
    ({"rule": "weapon"}, set()),  # a rule id matches whole, not as a prefix
    ({"district": "D1"}, {"gun", "raised"}),
    ({"model_version": "1"}, {"heart", "gun", "raised"}),
    ({"model_version": "7"}, set()),
    ({"from": TODAY.isoformat(), "to": TODAY.isoformat()}, {"heart", "gun", "raised"}),
    ({"to": (TODAY - timedelta(days=1)).isoformat()}, set()),
    ({"from": (TODAY + timedelta(days=1)).isoformat()}, set()),
    ({"district": "D1", "disagreement": "no"}, {"gun"}),
])
def test_list_filters(signed_in: TestClient, three: dict[str, str], params: dict[str, str],
                      expected: set[str]) -> None:
    assert listed(signed_in, **params) == {three[name] for name in expected}


@pytest.mark.parametrize(("params", "message"), [
    ({"from": "31/12/2026"}, "From is not a day"),
    ({"recommendation": "fire"}, "Recommendation must be one of"),
    ({"overridden": "perhaps"}, "Overridden must be yes or no"),
    ({"from": "2026-11-02", "to": "2026-11-01"}, "To is before From"),
    ({"page": "two"}, "page number"),
])
def test_bad_filters_are_a_message_not_an_error(signed_in: TestClient, three: dict[str, str],
                                                params: dict[str, str], message: str) -> None:
    page = signed_in.get("/audit/decisions", params=params)
    assert page.status_code == 200
    assert message in page.text
    assert len(listed(signed_in, **params)) == 3  # the bad filter is dropped


def test_paging_keeps_the_filters(signed_in: TestClient,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("serving.pages.decision_views.PAGE_SIZE", 2)
    ids = [decide(signed_in, call_id=f"c{i}", district="D9") for i in range(5)]
    decide(signed_in, call_id="other", district="D8")
    first = signed_in.get("/audit/decisions", params={"district": "D9"}).text
    assert "page 1 of 3" in first
    next_url = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "district=D9" in next_url and "page=2" in next_url
    seen = listed(signed_in, district="D9") | listed(signed_in, district="D9", page="2") | \
        listed(signed_in, district="D9", page="3")
    assert seen == set(ids)
    for far in ("99", str(10**30)):
        beyond = signed_in.get("/audit/decisions", params={"district": "D9", "page": far})
        assert beyond.status_code == 200 and "page 3 of 3" in beyond.text


def test_the_decision_page_shows_everything_an_auditor_needs(
        make_client: Callable[..., TestClient], sqlite_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://user:secret@mlflow.example:5000/")
    client = make_client(sqlite_url)
    login(client)
    decision_id = decide(client, narrative="caller says he has a gun, yelling",
                         questionnaire={"violence": "yes", "weapons": "no"},
                         call_type="DISTURBANCE")
    page = client.get(f"/audit/decisions/{decision_id}")
    assert page.status_code == 200
    html = page.text
    for text in ("caller says he has a gun, yelling", "DISTURBANCE", "violence: <strong>yes",
                 "violence-now", "questionnaire: violence = yes", "sha256:stub",
                 "stub-model version 1", "police 80.0%", 'class="chart explanation"',
                 "No outcome reported yet", 'name="replay"'):
        assert text in html, text
    assert 'href="http://mlflow.example:5000/#/runs/run-1"' in html
    assert "secret" not in html


def test_no_mlflow_link_for_a_local_tracking_store(signed_in: TestClient) -> None:
    decision_id = decide(signed_in)
    html = signed_in.get(f"/audit/decisions/{decision_id}").text
    assert "#/runs/" not in html and "run <code>run-1</code>" in html


def test_narratives_are_shown_as_text(signed_in: TestClient) -> None:
    decision_id = decide(signed_in, narrative='<script>alert("x")</script><b>bold</b>',
                         district="<i>D1</i>")
    html = signed_in.get(f"/audit/decisions/{decision_id}").text
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<i>D1" not in signed_in.get("/audit/decisions").text


def _outcome_form(client: TestClient, decision_id: str, **fields: str):
    html = client.get(f"/audit/decisions/{decision_id}").text
    data = {"csrf_token": csrf_from(html), "responder_sent": "heart", "felt_safe": "true",
            "backup_requested": "", "time_on_scene_minutes": "", "disposition": "other",
            "notes": "", **fields}
    return client.post(f"/audit/decisions/{decision_id}/outcome", data=data,
                       follow_redirects=False)


def test_the_outcome_form_records_an_outcome(signed_in: TestClient) -> None:
    decision_id = decide(signed_in)
    answer = _outcome_form(signed_in, decision_id, time_on_scene_minutes="42",
                           notes="<b>all calm</b>")
    assert answer.status_code == 303
    page = signed_in.get(answer.headers["location"])
    assert "Outcome recorded." in page.text and "&lt;b&gt;all calm" in page.text
    stored = signed_in.get(f"/v1/decisions/{decision_id}", headers=auth("auditor")).json()
    assert stored["outcomes"][0]["client_role"] == "auditor"
    assert stored["outcomes"][0]["body"] == {
        "responder_sent": "heart", "felt_safe": True, "backup_requested": None,
        "time_on_scene_minutes": 42.0, "disposition": "other", "notes": "<b>all calm</b>"}


@pytest.mark.parametrize(("fields", "names"), [
    ({"time_on_scene_minutes": "-3"}, "time_on_scene_minutes"),
    ({"time_on_scene_minutes": "soon"}, "time_on_scene_minutes"),
    ({"responder_sent": "fire"}, "responder_sent"),
    ({"felt_safe": "maybe"}, "felt_safe"),
    ({"disposition": ""}, "disposition"),
])
def test_a_bad_outcome_form_names_the_field(signed_in: TestClient, fields: dict[str, str],
                                            names: str) -> None:
    decision_id = decide(signed_in)
    answer = _outcome_form(signed_in, decision_id, **fields)
    assert answer.status_code == 422
    assert f"The outcome was not recorded: {names}" in answer.text
    assert signed_in.get(f"/v1/decisions/{decision_id}",
                         headers=auth("auditor")).json()["outcomes"] == []


def test_the_outcome_form_needs_the_session_token(signed_in: TestClient) -> None:
    decision_id = decide(signed_in)
    answer = _outcome_form(signed_in, decision_id, csrf_token="from-another-site")
    assert answer.status_code == 403
    assert signed_in.get(f"/v1/decisions/{decision_id}",
                         headers=auth("auditor")).json()["outcomes"] == []
    missing = _outcome_form(signed_in, "no-such-decision-id")
    assert missing.status_code == 404


def _replay(client: TestClient, decision_id: str, which: str = "recorded"):
    html = client.get(f"/audit/decisions/{decision_id}").text
    return client.post(f"/audit/decisions/{decision_id}/replay",
                       data={"csrf_token": csrf_from(html), "with": which, "replay": "1"})


@pytest.mark.parametrize("which", ["recorded", "champion"])
def test_replay_with_the_served_model_is_identical(signed_in: TestClient, which: str) -> None:
    decision_id = decide(signed_in, questionnaire={"threats": "yes"})
    answer = _replay(signed_in, decision_id, which)
    assert answer.status_code == 200
    assert "identical decision" in answer.text


class ShiftedStub(StubRecommender):
    """The stub with other probabilities: a retrained version."""

    def decide(self, record: CallRecord, *, explain: bool = True) -> Decision:
        decision = super().decide(record, explain=explain)
        return decision.model_copy(update={"probabilities": {
            name: 0.5 if p > 0.5 else 0.25 for name, p in decision.probabilities.items()}})


def test_replay_shows_the_differences(make_client: Callable[..., TestClient],
                                      sqlite_url: str) -> None:
    recorder = make_client(sqlite_url)
    decision_id = decide(recorder)
    client = make_client(sqlite_url, loader=lambda: StubRecommender("2"),
                         replay_loader=lambda settings, ref: ShiftedStub(ref))
    login(client)
    answer = _replay(client, decision_id)
    assert answer.status_code == 200
    assert "1 difference" in answer.text and "probabilities" in answer.text


def test_a_replay_that_cannot_load_its_model_says_why(
        make_client: Callable[..., TestClient], sqlite_url: str) -> None:
    decision_id = decide(make_client(sqlite_url))

    def no_registry(settings: object, ref: str) -> object:
        raise FifthBranchError(f"model version {ref} is not in the registry")

    client = make_client(sqlite_url, loader=lambda: StubRecommender("2"),
                         replay_loader=no_registry)
    login(client)
    answer = _replay(client, decision_id)
    assert answer.status_code == 503
    assert "Replay failed: model version 1 is not in the registry" in answer.text


def test_the_report_page_and_its_csv(signed_in: TestClient, three: dict[str, str]) -> None:
    html = signed_in.get(f"/audit/decisions/{three['heart']}").text
    signed_in.post(f"/audit/decisions/{three['heart']}/outcome", data={
        "csrf_token": csrf_from(html), "responder_sent": "heart", "felt_safe": "false",
        "disposition": "other"})
    day = TODAY.isoformat()
    page = signed_in.get("/audit/reports", params={"from": day, "to": day})
    assert page.status_code == 200
    text = page.text
    assert re.search(r'id="total">3<', text)
    assert re.search(r'id="diverted">33.3%<', text)  # one heart of three
    assert re.search(r'id="disagreement">33.3%<', text)  # rules raised one model answer
    assert re.search(r'id="felt-safe">0.0%<', text)
    assert 'class="chart over-time"' in text and "violence-now" in text
    assert f"/audit/reports.csv?from={day}&amp;to={day}" in text
    exported = signed_in.get("/audit/reports.csv", params={"from": day, "to": day})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["section", "group", "measure", "value"]
    assert ["summary", "", "decisions", "3"] in rows
    assert ["districts", "D1", "police", "2"] in rows
    assert ["rules", "violence-now", "raised_answer_count", "1"] in rows


def test_the_report_defaults_to_the_last_30_days(signed_in: TestClient) -> None:
    text = signed_in.get("/audit/reports").text
    assert f"to {TODAY.isoformat()} (UTC)" in text
    assert (TODAY - timedelta(days=29)).isoformat() in text


@pytest.mark.parametrize(("params", "message"), [
    ({"from": "yesterday", "to": "2026-01-01"}, "must both be days"),
    ({"from": "2026-02-01", "to": "2026-01-01"}, "is before From"),
    ({"from": "2000-01-01", "to": "2026-01-01"}, "longer than"),
])
def test_bad_report_periods_are_messages(signed_in: TestClient, params: dict[str, str],
                                         message: str) -> None:
    page = signed_in.get("/audit/reports", params=params)
    assert page.status_code == 200 and message in page.text
    exported = signed_in.get("/audit/reports.csv", params=params)
    assert exported.status_code == 422 and message in exported.text
