"""`/audit/reports`: the program report for a chosen period, on screen and as CSV.

The period is whole UTC days, both ends inclusive; without one the page shows the last
30 days. It is capped (`MAX_DAYS`) because the report aggregates in memory; longer
periods are for `fifthbranch audit report`, which has no request timeout to meet.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from serving.audit.store import AuditUnavailableError
from serving.dependencies import ServiceDep
from serving.pages.access import SECURITY_HEADERS, PageSession, message_page, page
from serving.pages.decision_views import unavailable_page
from serving.pages.filters import parse_day
from serving.pages.report_render import report_context
from serving.reports import ProgramReport, build_report, facts_from_store, period_bounds
from serving.service import Service

router = APIRouter(prefix="/audit", include_in_schema=False)

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366


def parse_period(first: str | None, last: str | None,
                 today: date | None = None) -> tuple[date, date, list[str]]:
    """The period asked for, or the default one with messages saying why."""
    today = today or datetime.now(UTC).date()
    default = (today - timedelta(days=DEFAULT_DAYS - 1), today)
    if not first and not last:
        return *default, []
    try:
        start = parse_day(first or "")
        end = parse_day(last or "")
    except ValueError:
        return *default, ["From and To must both be days (YYYY-MM-DD); showing the last "
                          f"{DEFAULT_DAYS} days."]
    if end < start:
        return *default, [f"To ({end}) is before From ({start}); showing the last "
                          f"{DEFAULT_DAYS} days."]
    if (end - start).days + 1 > MAX_DAYS:
        return *default, [f"The period is longer than {MAX_DAYS} days; use `fifthbranch "
                          f"audit report` for it. Showing the last {DEFAULT_DAYS} days."]
    return start, end, []


def _report(service: Service, first: date, last: date) -> ProgramReport:
    start, end = period_bounds(first, last)
    return build_report(facts_from_store(service.audit.store, start, end), start, end)


@router.get("/reports", response_class=HTMLResponse)
def report_page(request: Request, service: ServiceDep, current: PageSession) -> Response:
    params = request.query_params
    first, last, errors = parse_period(params.get("from"), params.get("to"))
    try:
        report = _report(service, first, last)
    except AuditUnavailableError as error:
        return unavailable_page(error, current)
    return page("reports.html", session=current, errors=errors, standalone=False,
                **report_context(report))


@router.get("/reports.csv")
def report_csv(request: Request, service: ServiceDep, current: PageSession) -> Response:
    params = request.query_params
    first, last, errors = parse_period(params.get("from"), params.get("to"))
    if errors:
        return message_page(422, "Cannot export this period", " ".join(errors),
                            session=current, link="/audit/reports", link_text="Back to reports")
    try:
        report = _report(service, first, last)
    except AuditUnavailableError as error:
        return unavailable_page(error, current)
    name = f"fifthbranch-report-{first.isoformat()}-to-{last.isoformat()}.csv"
    return Response(report.to_csv(), media_type="text/csv; charset=utf-8", headers={
        **SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})
