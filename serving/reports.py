"""The program report: how the service decided over a period and how the calls went.

Shared by the `/audit/reports` page, its CSV export and `fifthbranch audit report`, so
the board sees the same figures an auditor sees on screen. The aggregation works on
plain facts taken from the stored request and response JSON (`DecisionFacts`), so it
needs no database and is tested on lists.

Definitions (the issue leaves them open; these are the choices):

- **period**: whole UTC days, `start` inclusive, `end` exclusive; bucketed by day up
  to 62 days, by ISO week (Monday) up to two years, by month beyond.
- **overridden**: at least one rule fired (the audit store's meaning of the word);
- **disagreement**: the final recommendation differs from the model's own, i.e. a rule
  raised it; a decision made without a model (`degraded`) has no model answer and is
  counted apart, never as a disagreement.
- **override rate by rule**: for each rule, how often it fired (share of all decisions)
  and how often it *raised* the answer: final above the model's and equal to the
  rule's floor. Several rules with the same floor can share the credit.
- **diverted from police**: the final recommendation is not `police` (HEART or
  co-response went instead of, or together with, an officer).
- **responder safety**: among decisions whose latest outcome says HEART or a
  co-response team was sent and answers `felt_safe`, the share that felt safe. The
  latest outcome counts because a later one is a correction.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from data.schema import RESPONDERS

NO_DISTRICT = "(none)"
DAY_BUCKET_LIMIT = 62
WEEK_BUCKET_LIMIT = 731


@dataclass(frozen=True)
class DecisionFacts:
    """What the report needs from one stored decision and its outcomes."""

    decision_id: str
    created_at: datetime
    recommendation: str
    model_recommendation: str | None
    rule_floors: Mapping[str, str] = field(default_factory=dict)
    district: str | None = None
    model_version: str | None = None
    outcome: Mapping[str, Any] | None = None

    @property
    def degraded(self) -> bool:
        return self.model_recommendation is None

    @property
    def overridden(self) -> bool:
        return bool(self.rule_floors)

    @property
    def disagrees(self) -> bool:
        return not self.degraded and self.recommendation != self.model_recommendation

    @property
    def raising_rules(self) -> list[str]:
        """Rules that lifted the answer above the model's: their floor is the final answer."""
        if not self.disagrees:
            return []
        return [rule for rule, floor in self.rule_floors.items()
                if floor == self.recommendation]


def facts_from_json(request: Mapping[str, Any], response: Mapping[str, Any],
                    outcomes: Sequence[Mapping[str, Any]] = ()) -> DecisionFacts:
    """Facts from a stored decision's request and response JSON and its outcome bodies.

    `outcomes` are in the order they were recorded; the last one is the one that counts.
    """
    created = response.get("created_at")
    created_at = parse_time(created) if isinstance(created, str) else created
    return DecisionFacts(
        decision_id=str(response["decision_id"]),
        created_at=created_at,
        recommendation=response["recommendation"],
        model_recommendation=response.get("model_recommendation"),
        rule_floors={o["rule_id"]: o["floor"] for o in response.get("overrides") or []},
        district=request.get("district") or None,
        model_version=response.get("model_version"),
        outcome=outcomes[-1] if outcomes else None,
    )


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as an aware UTC datetime (a time without offset is UTC)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Whole UTC days `first`..`last` inclusive as `[start, end)`; refuses a reversed period."""
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    start = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    return start, datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


@dataclass(frozen=True)
class Rate:
    """A count out of a total, with the share (None when the total is zero)."""

    count: int
    total: int

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None

    def percent(self) -> str:
        return "n/a" if self.share is None else f"{100 * self.share:.1f}%"


@dataclass(frozen=True)
class RuleRow:
    rule_id: str
    fired: Rate
    raised: Rate  # out of the times it fired


@dataclass(frozen=True)
class DistrictRow:
    district: str
    total: int
    by_recommendation: dict[str, int]
    overridden: Rate
    disagreement: Rate
    diverted: Rate


@dataclass(frozen=True)
class ProgramReport:
    """Every figure of the report page for one period."""

    start: datetime
    end: datetime
    bucket: str
    total: int
    by_recommendation: dict[str, int]
    over_time: list[tuple[str, dict[str, int]]]
    overridden: Rate
    degraded: int
    disagreement: Rate
    rules: list[RuleRow]
    districts: list[DistrictRow]
    diverted: Rate
    outcomes_reported: Rate
    felt_safe: Rate
    heart_backup: Rate

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    def csv_rows(self) -> list[tuple[str, str, str, str]]:
        """Every figure as `(section, group, measure, value)`: one tidy table for spreadsheets."""
        rows: list[tuple[str, str, str, str]] = [
            ("period", "", "start", self.start.isoformat()),
            ("period", "", "end_exclusive", self.end.isoformat()),
            ("summary", "", "decisions", str(self.total)),
        ]
        for name, count in self.by_recommendation.items():
            rows.append(("by_recommendation", name, "decisions", str(count)))
        for label, counts in self.over_time:
            for name, count in counts.items():
                rows.append((f"over_time_{self.bucket}", label, name, str(count)))
        rows += _rate_rows("summary", "", "overridden", self.overridden)
        rows.append(("summary", "", "degraded", str(self.degraded)))
        rows += _rate_rows("summary", "", "model_final_disagreement", self.disagreement)
        rows += _rate_rows("summary", "", "diverted_from_police", self.diverted)
        rows += _rate_rows("outcomes", "", "reported", self.outcomes_reported)
        rows += _rate_rows("outcomes", "", "felt_safe", self.felt_safe)
        rows += _rate_rows("outcomes", "heart", "backup_requested", self.heart_backup)
        for rule in self.rules:
            rows += _rate_rows("rules", rule.rule_id, "fired", rule.fired)
            rows += _rate_rows("rules", rule.rule_id, "raised_answer", rule.raised)
        for row in self.districts:
            for name, count in row.by_recommendation.items():
                rows.append(("districts", row.district, name, str(count)))
            rows += _rate_rows("districts", row.district, "overridden", row.overridden)
            rows += _rate_rows("districts", row.district, "model_final_disagreement",
                               row.disagreement)
            rows += _rate_rows("districts", row.district, "diverted_from_police", row.diverted)
        return rows

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(("section", "group", "measure", "value"))
        writer.writerows(_csv_safe(row) for row in self.csv_rows())
        return buffer.getvalue()


def _rate_rows(section: str, group: str, measure: str,
               rate: Rate) -> list[tuple[str, str, str, str]]:
    share = "" if rate.share is None else f"{rate.share:.4f}"
    return [(section, group, f"{measure}_count", str(rate.count)),
            (section, group, f"{measure}_total", str(rate.total)),
            (section, group, f"{measure}_share", share)]


def _csv_safe(row: tuple[str, ...]) -> tuple[str, ...]:
    """Defuse spreadsheet formulas in user-provided text (districts, rule ids)."""
    return tuple("'" + cell if cell[:1] in ("=", "+", "-", "@") and not _number(cell)
                 else cell for cell in row)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def bucket_kind(start: datetime, end: datetime) -> str:
    days = (end - start).days
    if days <= DAY_BUCKET_LIMIT:
        return "day"
    return "week" if days <= WEEK_BUCKET_LIMIT else "month"


def _bucket_start(moment: datetime, kind: str) -> date:
    day = moment.astimezone(UTC).date()
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    return day


def _bucket_labels(start: datetime, end: datetime, kind: str) -> list[date]:
    """Every bucket of the period, empty ones too, so the time axis has no gaps."""
    labels: list[date] = []
    current = _bucket_start(start, kind)
    last = (end - timedelta(microseconds=1)).date()
    while current <= last:
        labels.append(current)
        if kind == "month":
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            current += timedelta(days=7 if kind == "week" else 1)
    return labels


def _label(day: date, kind: str) -> str:
    if kind == "month":
        return day.strftime("%Y-%m")
    if kind == "week":
        return f"week of {day.isoformat()}"
    return day.isoformat()


def build_report(facts: Iterable[DecisionFacts], start: datetime,
                 end: datetime) -> ProgramReport:
    """Aggregate the decisions made in `[start, end)`; others are ignored."""
    chosen = [fact for fact in facts if start <= fact.created_at < end]
    kind = bucket_kind(start, end)
    buckets = {day: dict.fromkeys(RESPONDERS, 0) for day in _bucket_labels(start, end, kind)}
    by_recommendation = dict.fromkeys(RESPONDERS, 0)
    fired: Counter[str] = Counter()
    raised: Counter[str] = Counter()
    district_facts: dict[str, list[DecisionFacts]] = defaultdict(list)
    for fact in chosen:
        by_recommendation[fact.recommendation] += 1
        buckets[_bucket_start(fact.created_at, kind)][fact.recommendation] += 1
        fired.update(list(fact.rule_floors))
        raised.update(fact.raising_rules)
        district_facts[fact.district or NO_DISTRICT].append(fact)
    total = len(chosen)
    with_model = [fact for fact in chosen if not fact.degraded]
    return ProgramReport(
        start=start, end=end, bucket=kind, total=total,
        by_recommendation=by_recommendation,
        over_time=[(_label(day, kind), counts) for day, counts in buckets.items()],
        overridden=Rate(sum(fact.overridden for fact in chosen), total),
        degraded=total - len(with_model),
        disagreement=Rate(sum(fact.disagrees for fact in chosen), len(with_model)),
        rules=[RuleRow(rule, Rate(count, total), Rate(raised[rule], count))
               for rule, count in sorted(fired.items(), key=lambda item: (-item[1], item[0]))],
        districts=[_district_row(name, district_facts[name]) for name in sorted(district_facts)],
        diverted=Rate(sum(fact.recommendation != "police" for fact in chosen), total),
        **_outcome_rates(chosen),
    )


def _district_row(name: str, facts: list[DecisionFacts]) -> DistrictRow:
    counts = dict.fromkeys(RESPONDERS, 0)
    for fact in facts:
        counts[fact.recommendation] += 1
    return DistrictRow(
        district=name, total=len(facts), by_recommendation=counts,
        overridden=Rate(sum(fact.overridden for fact in facts), len(facts)),
        disagreement=Rate(sum(fact.disagrees for fact in facts),
                          sum(not fact.degraded for fact in facts)),
        diverted=Rate(sum(fact.recommendation != "police" for fact in facts), len(facts)),
    )


def _outcome_rates(facts: list[DecisionFacts]) -> dict[str, Rate]:
    outcomes = [fact.outcome for fact in facts if fact.outcome is not None]
    unarmed = [o for o in outcomes if o.get("responder_sent") in ("heart", "co_response")
               and o.get("felt_safe") is not None]
    heart = [o for o in outcomes if o.get("responder_sent") == "heart"
             and o.get("backup_requested") is not None]
    return {
        "outcomes_reported": Rate(len(outcomes), len(facts)),
        "felt_safe": Rate(sum(bool(o["felt_safe"]) for o in unarmed), len(unarmed)),
        "heart_backup": Rate(sum(bool(o["backup_requested"]) for o in heart), len(heart)),
    }


def facts_from_store(store: Any, start: datetime, end: datetime) -> list[DecisionFacts]:
    """The facts of every decision in `[start, end)` with its outcomes, in two queries.

    Raises `AuditUnavailableError` when the audit database cannot be read.
    """
    bodies = store.outcomes_by_decision(start, end)
    return [facts_from_json(stored.request, stored.response,
                            [o.body for o in bodies.get(stored.decision_id, ())])
            for stored in store.iter_decisions(start, end)]
