"""The decision list's filters, read leniently from the query string.

A person types these into a form, so a bad value is not an HTTP error: it is dropped
with a message shown above the list (never a 422 JSON body or a 500), and the rest of
the filters still apply. Days are whole UTC days, `to` inclusive, as on the report page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from data.schema import RESPONDERS

PAGE_SIZE = 50
#: Deeper than any audit log; keeps the offset inside a database integer.
MAX_PAGE = 10**6
TEXT_LIMIT = 100
YES_NO = {"yes": True, "no": False}
#: The query parameters the list page reads, in the order the form shows them.
FIELDS: tuple[str, ...] = ("from", "to", "recommendation", "overridden", "disagreement",
                           "rule", "district", "model_version")


@dataclass
class ListFilters:
    """What the list page was asked for: form values to echo, store arguments, errors."""

    values: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    page: int = 1
    errors: list[str] = field(default_factory=list)

    def url(self, page: int | None = None) -> str:
        """This list's URL (filters kept) at another page."""
        params = {name: value for name, value in self.values.items() if value}
        if page is not None and page > 1:
            params["page"] = str(page)
        return "/audit/decisions" + (f"?{urlencode(params)}" if params else "")


def parse_day(text: str) -> date:
    """A `YYYY-MM-DD` day; raises ValueError otherwise."""
    return date.fromisoformat(text.strip())


def day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def parse_filters(params: Mapping[str, str]) -> ListFilters:
    """The filters from query parameters; unusable values become messages, not errors."""
    result = ListFilters()
    for name in FIELDS:
        value = (params.get(name) or "").strip()[:TEXT_LIMIT]
        result.values[name] = value
    _days(result)
    choice = result.values["recommendation"]
    if choice:
        if choice in RESPONDERS:
            result.query["recommendation"] = choice
        else:
            _drop(result, "recommendation", f"Recommendation must be one of "
                  f"{', '.join(RESPONDERS)}.")
    for name, label in (("overridden", "Overridden"), ("disagreement", "Model/final disagree")):
        value = result.values[name]
        if value:
            if value in YES_NO:
                result.query[name] = YES_NO[value]
            else:
                _drop(result, name, f"{label} must be yes or no.")
    for name, key in (("rule", "rule_id"), ("district", "district"),
                      ("model_version", "model_version")):
        if result.values[name]:
            result.query[key] = result.values[name]
    try:
        result.page = min(max(1, int(params.get("page") or 1)), MAX_PAGE)
    except ValueError:
        result.errors.append("The page number is not a number; showing the first page.")
    return result


def _days(result: ListFilters) -> None:
    days: dict[str, date] = {}
    for name, label in (("from", "From"), ("to", "To")):
        if result.values[name]:
            try:
                days[name] = parse_day(result.values[name])
            except ValueError:
                _drop(result, name, f"{label} is not a day (YYYY-MM-DD); it was ignored.")
    if "from" in days and "to" in days and days["to"] < days["from"]:
        result.errors.append("To is before From; both were ignored.")
        result.values["from"] = result.values["to"] = ""
        return
    if "from" in days:
        result.query["start"] = day_start(days["from"])
    if "to" in days:
        result.query["end"] = day_start(days["to"] + timedelta(days=1))


def _drop(result: ListFilters, name: str, message: str) -> None:
    result.errors.append(message)
    result.values[name] = ""
