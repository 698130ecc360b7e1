"""`/audit/decisions`: the filtered list, one decision, its outcome form and its replay.

Pages read the audit store directly (sync routes run in the thread pool). Forms are
read by hand rather than through FastAPI's `Form` parameters, so a bad value comes back
as the page with a message naming the field, not as a JSON 422.
"""

from __future__ import annotations

import logging
import math
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from data.errors import FifthBranchError
from data.schema import QUESTION_KEYS, RESPONDERS
from serving import replay as replays
from serving.audit.records import StoredDecision
from serving.audit.store import AuditUnavailableError, UnknownDecisionError
from serving.dependencies import ServiceDep
from serving.errors import validation_message
from serving.pages.access import SECURITY_HEADERS, PageSession, message_page, page, require_csrf
from serving.pages.charts import explanation_chart
from serving.pages.filters import PAGE_SIZE, parse_filters
from serving.routes.outcomes import DISPOSITIONS, OutcomeReport
from serving.service import Service

log = logging.getLogger("fifthbranch.serving")

router = APIRouter(prefix="/audit", include_in_schema=False)

RECOMMENDATION_OPTIONS = [("", "any"), *((name, name) for name in RESPONDERS)]
YES_NO_OPTIONS = [("", "any"), ("yes", "yes"), ("no", "no")]


def unavailable_page(error: AuditUnavailableError, current: Any) -> HTMLResponse:
    return message_page(503, "Audit database unavailable",
                        f"{error}. Try again in a moment.", session=current,
                        link="/audit/decisions", link_text="Back to decisions")


def _time(moment: Any) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment is not None else "—"


def _row(stored: StoredDecision) -> dict[str, Any]:
    return {"decision_id": stored.decision_id, "call_id": stored.call_id,
            "created_at": _time(stored.created_at), "recommendation": stored.recommendation,
            "model_recommendation": stored.model_recommendation,
            "overridden": stored.overridden, "rule_ids": stored.rules_fired,
            "raised": (stored.model_recommendation is not None
                       and stored.model_recommendation != stored.recommendation),
            "district": stored.district, "model_version": stored.model_version}


@router.get("/decisions", response_class=HTMLResponse)
def decision_list(request: Request, service: ServiceDep, current: PageSession) -> Response:
    filters = parse_filters(request.query_params)
    store = service.audit.store
    try:
        rows, total = store.list_decisions(**filters.query, limit=PAGE_SIZE,
                                           offset=(filters.page - 1) * PAGE_SIZE)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if filters.page > pages:  # past the end (filters narrowed): show the last page
            filters.page = pages
            rows, total = store.list_decisions(**filters.query, limit=PAGE_SIZE,
                                               offset=(pages - 1) * PAGE_SIZE)
    except AuditUnavailableError as error:
        return unavailable_page(error, current)
    first = (filters.page - 1) * PAGE_SIZE + 1
    return page("decisions.html", session=current, errors=filters.errors,
                filters=filters.values, rows=[_row(row) for row in rows], total=total,
                first=first, last=first + len(rows) - 1, page=filters.page, pages=pages,
                prev_url=filters.url(filters.page - 1) if filters.page > 1 else None,
                next_url=filters.url(filters.page + 1) if filters.page < pages else None,
                recommendation_options=RECOMMENDATION_OPTIONS, yes_no_options=YES_NO_OPTIONS)


def mlflow_run_url(tracking_uri: str, run_id: str | None) -> str | None:
    """The MLflow UI page of a run when tracking is an http(s) server (credentials dropped)."""
    parts = urlsplit(tracking_uri)
    if parts.scheme not in ("http", "https") or not parts.hostname or not run_id:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = host + (f":{parts.port}" if parts.port else "")
    base = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    return f"{base}/#/runs/{quote(run_id, safe='')}"


def _outcome_rows(outcomes: list[Any]) -> list[dict[str, Any]]:
    return [{**outcome.body, "created_at": _time(outcome.created_at),
             "client_role": outcome.client_role} for outcome in outcomes]


def decision_page(service: Service, current: Any, stored: StoredDecision,
                  outcomes: list[Any], *, status: int = 200, replay: Any = None,
                  errors: list[str] | None = None, flash: str | None = None) -> HTMLResponse:
    """One decision as recorded: answer, inputs, rules, explanation chart, outcomes."""
    decision = stored.decision
    request = stored.request
    answers = request.get("questionnaire") or {}
    return page(
        "decision.html", status, session=current, d=decision, request=request,
        decided_at=_time(stored.created_at),
        answers=[(key, answers.get(key, "unknown")) for key in QUESTION_KEYS],
        probabilities=[(name, decision.probabilities[name]) for name in RESPONDERS
                       if name in decision.probabilities],
        explanation_svg=explanation_chart(stored.response.get("explanation") or []),
        run_id=stored.run_id,
        mlflow_run_url=mlflow_run_url(service.settings.mlflow_tracking_uri, stored.run_id),
        outcomes=_outcome_rows(outcomes), dispositions=DISPOSITIONS, replay=replay,
        errors=errors or [], flash=flash)


def _load(service: Service, decision_id: str) -> tuple[StoredDecision | None, list[Any]]:
    store = service.audit.store
    stored = store.get_decision(decision_id)
    return stored, ([] if stored is None else store.outcomes_for(decision_id))


def _missing(decision_id: str, current: Any) -> HTMLResponse:
    return message_page(404, "No such decision",
                        f"There is no decision {decision_id} in the audit log.",
                        session=current, link="/audit/decisions",
                        link_text="Back to decisions")


@router.get("/decisions/{decision_id}", response_class=HTMLResponse)
def decision_detail(decision_id: str, service: ServiceDep, current: PageSession,
                    reported: str | None = None) -> Response:
    try:
        stored, outcomes = _load(service, decision_id)
    except AuditUnavailableError as error:
        return unavailable_page(error, current)
    if stored is None:
        return _missing(decision_id, current)
    return decision_page(service, current, stored, outcomes,
                         flash="Outcome recorded." if reported else None)


def outcome_from_form(form: Any) -> dict[str, Any]:
    """Form strings as an outcome body: empty fields are "not reported" (None)."""
    body: dict[str, Any] = {}
    for name in OutcomeReport.model_fields:
        value = form.get(name)
        if isinstance(value, str) and value.strip():
            body[name] = value.strip()
        elif name in ("responder_sent", "disposition"):
            body[name] = None
    return body


@router.post("/decisions/{decision_id}/outcome", response_class=HTMLResponse)
async def record_outcome(decision_id: str, request: Request, service: ServiceDep,
                         current: PageSession) -> Response:
    form = await request.form()
    refused = require_csrf(current, form.get("csrf_token"))  # type: ignore[arg-type]
    if refused is not None:
        return refused
    try:
        report = OutcomeReport.model_validate(outcome_from_form(form))
    except ValidationError as error:
        message = validation_message(error.errors())  # type: ignore[arg-type]
        return await _redisplay(service, current, decision_id, 422,
                                [f"The outcome was not recorded: {message}"])
    store = service.audit.store
    try:
        await run_in_threadpool(store.append_outcome, decision_id,
                                report.model_dump(mode="json"), client_role=current.role)
    except UnknownDecisionError:
        return _missing(decision_id, current)
    except AuditUnavailableError as error:
        return unavailable_page(error, current)
    return RedirectResponse(f"/audit/decisions/{quote(decision_id, safe='')}?reported=1",
                            status_code=303, headers=SECURITY_HEADERS)


async def _redisplay(service: Service, current: Any, decision_id: str, status: int,
                     errors: list[str], replay: Any = None) -> Response:
    try:
        stored, outcomes = await run_in_threadpool(_load, service, decision_id)
    except AuditUnavailableError as error:
        return unavailable_page(error, current)
    if stored is None:
        return _missing(decision_id, current)
    return decision_page(service, current, stored, outcomes, status=status, errors=errors,
                         replay=replay)


def page_replay_loader(service: Service) -> replays.ModelLoader:
    """Models for a replay: the one this server serves when it is the version asked for
    (or `champion`), else the injected loader or the registry."""

    def load(settings: Any, ref: str) -> Any:
        serving = service.holder.current
        if serving is not None and not serving.degraded and ref in ("champion",
                                                                    serving.identity[1]):
            return serving.recommender
        if service.replay_loader is not None:
            return service.replay_loader(settings, ref)
        return replays._registry_loader(settings, ref)

    return load


@router.post("/decisions/{decision_id}/replay", response_class=HTMLResponse)
async def replay_decision(decision_id: str, request: Request, service: ServiceDep,
                          current: PageSession) -> Response:
    form = await request.form()
    refused = require_csrf(current, form.get("csrf_token"))  # type: ignore[arg-type]
    if refused is not None:
        return refused
    with_champion = form.get("with") == "champion"
    try:
        result = await run_in_threadpool(
            replays.replay, service.audit.store, service.settings, decision_id,
            with_champion=with_champion, loader=page_replay_loader(service))
    except replays.UnknownDecisionError:
        return _missing(decision_id, current)
    except AuditUnavailableError as error:
        return unavailable_page(error, current)
    except Exception as error:  # the registry (MLflow) raises its own types; say why
        log.warning("replay of decision %s failed: %s", decision_id, type(error).__name__,
                    exc_info=not isinstance(error, FifthBranchError))
        return await _redisplay(service, current, decision_id, 503,
                                [f"Replay failed: {error}"])
    return await _redisplay(service, current, decision_id, 200, [], replay=result)
