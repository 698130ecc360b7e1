"""The program report's figures, computed from plain decision facts (no database)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from serving.reports import DecisionFacts, build_report, facts_from_json, period_bounds

START, END = period_bounds(date(2026, 11, 1), date(2026, 11, 7))


def fact(n: int, final: str, model: str | None, rules: dict[str, str] | None = None,
         district: str | None = "D1", day: int = 1, outcome: dict | None = None
         ) -> DecisionFacts:
    return DecisionFacts(
        decision_id=f"d{n}", created_at=datetime(2026, 11, day, 12, tzinfo=UTC),
        recommendation=final, model_recommendation=model, rule_floors=rules or {},
        district=district, model_version="1", outcome=outcome)


def test_rates_follow_the_documented_definitions() -> None:
    facts = [
        fact(1, "heart", "heart"),
        fact(2, "police", "heart", {"violence-yes": "police", "weapon": "co_response"}),
        fact(3, "co_response", "co_response", {"weapon": "co_response"}, district="D2"),
        fact(4, "police", None, {"violence-yes": "police"}, district=None),  # degraded
    ]
    report = build_report(facts, START, END)
    assert report.total == 4
    assert report.by_recommendation == {"heart": 1, "co_response": 1, "police": 2}
    assert (report.diverted.count, report.diverted.total) == (2, 4)
    # any rule fired: 2, 3, 4
    assert report.overridden.count == 3
    # disagreement excludes the degraded decision from the denominator
    assert (report.disagreement.count, report.disagreement.total) == (1, 3)
    assert report.degraded == 1
    rules = {row.rule_id: row for row in report.rules}
    assert (rules["violence-yes"].fired.count, rules["violence-yes"].raised.count) == (2, 1)
    # `weapon` fired twice but never set the final answer
    assert (rules["weapon"].fired.count, rules["weapon"].raised.count) == (2, 0)
    districts = {row.district: row for row in report.districts}
    assert set(districts) == {"D1", "D2", "(none)"}
    assert districts["D1"].by_recommendation == {"heart": 1, "co_response": 0, "police": 1}
    assert districts["D1"].disagreement.count == 1


def test_decisions_outside_the_period_are_left_out_and_empty_days_are_kept() -> None:
    facts = [fact(1, "heart", "heart", day=2), fact(2, "heart", "heart", day=8),
             DecisionFacts("d3", START - timedelta(seconds=1), "police", "police")]
    report = build_report(facts, START, END)
    assert report.total == 1
    assert report.bucket == "day"
    assert [label for label, _ in report.over_time][:3] == [
        "2026-11-01", "2026-11-02", "2026-11-03"]
    assert len(report.over_time) == 7
    assert report.over_time[1][1]["heart"] == 1


def test_long_periods_are_bucketed_by_week_then_month() -> None:
    start, end = period_bounds(date(2026, 1, 1), date(2026, 6, 30))
    assert build_report([], start, end).bucket == "week"
    start, end = period_bounds(date(2020, 1, 1), date(2026, 6, 30))
    report = build_report([], start, end)
    assert report.bucket == "month"
    assert report.over_time[0][0] == "2020-01"
    assert report.over_time[-1][0] == "2026-06"


def test_safety_rate_uses_the_latest_outcome_of_unarmed_sends() -> None:
    safe = {"responder_sent": "heart", "felt_safe": True, "backup_requested": False}
    unsafe = {"responder_sent": "co_response", "felt_safe": False, "backup_requested": True}
    police = {"responder_sent": "police", "felt_safe": False}
    unanswered = {"responder_sent": "heart", "felt_safe": None, "backup_requested": True}
    facts = [fact(1, "heart", "heart", outcome=safe), fact(2, "heart", "heart", outcome=unsafe),
             fact(3, "police", "police", outcome=police),
             fact(4, "heart", "heart", outcome=unanswered), fact(5, "heart", "heart")]
    report = build_report(facts, START, END)
    assert (report.felt_safe.count, report.felt_safe.total) == (1, 2)
    assert (report.heart_backup.count, report.heart_backup.total) == (1, 2)
    assert (report.outcomes_reported.count, report.outcomes_reported.total) == (4, 5)


def test_facts_from_stored_json_take_the_last_outcome_as_the_correction() -> None:
    response = {"decision_id": "x", "created_at": "2026-11-02T10:00:00Z",
                "recommendation": "co_response", "model_recommendation": "heart",
                "overrides": [{"rule_id": "threats-yes", "floor": "co_response",
                               "reason": "q"}], "model_version": "2"}
    facts = facts_from_json({"district": "D9"}, response,
                            [{"responder_sent": "heart"}, {"responder_sent": "police"}])
    assert facts.created_at == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert facts.raising_rules == ["threats-yes"]
    assert facts.outcome == {"responder_sent": "police"}
    assert facts.district == "D9"


def test_empty_period_gives_no_share_rather_than_a_division_error() -> None:
    report = build_report([], START, END)
    assert report.diverted.share is None
    assert report.diverted.percent() == "n/a"


def test_reversed_period_is_refused_with_both_days_named() -> None:
    with pytest.raises(ValueError, match=r"2026-11-01.*2026-11-05"):
        period_bounds(date(2026, 11, 5), date(2026, 11, 1))


def test_csv_export_is_tidy_and_defuses_formulas() -> None:
    facts = [fact(1, "heart", "heart", district="=HYPERLINK(1)"),
             fact(2, "police", "heart", {"violence-yes": "police"})]
    text = build_report(facts, START, END).to_csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert set(rows[0]) == {"section", "group", "measure", "value"}
    lookup = {(r["section"], r["group"], r["measure"]): r["value"] for r in rows}
    assert lookup[("summary", "", "decisions")] == "2"
    assert lookup[("summary", "", "diverted_from_police_share")] == "0.5000"
    assert lookup[("rules", "violence-yes", "raised_answer_count")] == "1"
    assert not any(r["group"].startswith("=") for r in rows)
    assert ("districts", "'=HYPERLINK(1)", "heart") in lookup
