"""Auditor reads: one stored decision with its inputs, and the filtered, paged list.

`GET /v1/decisions/{id}` returns `decision` as the exact JSON that was sent to the
client (spliced in verbatim, not re-serialised), `call` as received and validated, the
audit metadata (role, latency, run id, chain hashes) and any reported outcomes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, BeforeValidator

from model.decision import Decision
from serving.audit.records import StoredDecision
from serving.audit.store import AuditUnavailableError
from serving.dependencies import AuditorRole, KnownQueryOnly, ServiceDep
from serving.errors import ApiError

router = APIRouter(prefix="/v1/decisions", tags=["decisions"], dependencies=[KnownQueryOnly])

#: Deeper than any audit log; above it a database integer would overflow (a 500).
MAX_OFFSET = 10**9

_ERRORS = {401: {"description": "missing or unknown API key"},
           403: {"description": "the key's role may not read decisions"},
           503: {"description": "the audit database is unavailable"}}


class AuditInfo(BaseModel):
    seq: int
    created_at: datetime
    client_role: str
    latency_ms: float
    model_name: str | None
    model_version: str | None
    run_id: str | None
    rules_version: str
    prev_hash: str
    row_hash: str


class StoredDecisionOut(BaseModel):
    """A stored decision: exactly what was returned, what came in, and the audit facts."""

    decision: Decision
    call: dict[str, Any]
    audit: AuditInfo
    outcomes: list[dict[str, Any]]


class DecisionSummary(BaseModel):
    seq: int
    decision_id: str
    call_id: str
    created_at: datetime
    recommendation: str
    model_recommendation: str | None
    overridden: bool
    rule_ids: list[str]
    district: str | None
    model_version: str | None
    degraded: bool
    client_role: str
    latency_ms: float


class DecisionPage(BaseModel):
    total: int
    limit: int
    offset: int
    next_offset: int | None
    decisions: list[DecisionSummary]


def _iso_only(value: Any) -> Any:
    """Refuse a bare number for a time: pydantic would read it as a Unix timestamp, and an
    auditor who typed `2026` would silently get decisions from after 1970-01-01T00:33:46."""
    if isinstance(value, str) and _is_number(value):
        raise ValueError("expected an ISO 8601 date or date-time such as 2026-01-31T00:00:00Z, "
                         "not a number")
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _audit_info(stored: StoredDecision) -> dict[str, Any]:
    return {"seq": stored.seq, "created_at": stored.created_at,
            "client_role": stored.client_role, "latency_ms": stored.latency_ms,
            "model_name": stored.model_name, "model_version": stored.model_version,
            "run_id": stored.run_id, "rules_version": stored.rules_version,
            "prev_hash": stored.prev_hash, "row_hash": stored.row_hash}


def _unavailable(error: AuditUnavailableError) -> ApiError:
    return ApiError(503, str(error), headers={"Retry-After": "5"})


@router.get("/{decision_id}", summary="One stored decision, exactly as returned, with inputs",
            response_model=StoredDecisionOut, responses={**_ERRORS, 404: {
                "description": "no such decision"}})
async def get_decision(service: ServiceDep, role: AuditorRole,
                       decision_id: Annotated[str, Path(max_length=64)]) -> Response:
    store = service.audit.store

    def read() -> tuple[StoredDecision | None, list[Any]]:
        stored = store.get_decision(decision_id)
        return stored, ([] if stored is None else store.outcomes_for(decision_id))

    try:
        stored, outcomes = await run_in_threadpool(read)
    except AuditUnavailableError as error:
        raise _unavailable(error) from None
    if stored is None:
        spooled = service.audit.spool.find(decision_id=decision_id)
        if spooled is not None:
            raise ApiError(404, f"decision {decision_id} is waiting in the spool and will be "
                           "readable once the audit database is back", headers={"Retry-After": "5"})
        raise ApiError(404, f"no decision {decision_id} in the audit log")
    body = {
        "decision": orjson.Fragment(stored.response_json),
        "call": orjson.Fragment(stored.request_json),
        "audit": _audit_info(stored),
        "outcomes": [{"outcome_id": o.outcome_id, "created_at": o.created_at,
                      "client_role": o.client_role, "body": orjson.Fragment(o.body_json)}
                     for o in outcomes],
    }
    return Response(orjson.dumps(body), media_type="application/json")


@router.get("", summary="Decisions by time range and filters, newest first, paged",
            response_model=DecisionPage, responses=_ERRORS)
async def list_decisions(
    service: ServiceDep,
    role: AuditorRole,
    start: Annotated[datetime | None, BeforeValidator(_iso_only),
                     Query(alias="from", description="inclusive, ISO 8601")] = None,
    end: Annotated[datetime | None, BeforeValidator(_iso_only),
                   Query(alias="to", description="exclusive, ISO 8601")] = None,
    recommendation: Literal["heart", "co_response", "police"] | None = None,
    overridden: Annotated[bool | None, Query(description="at least one rule fired")] = None,
    rule_id: Annotated[str | None, Query(max_length=100)] = None,
    district: Annotated[str | None, Query(max_length=64)] = None,
    model_version: Annotated[str | None, Query(max_length=64)] = None,
    disagreement: Annotated[bool | None, Query(
        description="final recommendation differs from the model's own")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    start, end = _utc(start), _utc(end)
    if start is not None and end is not None and end < start:
        raise ApiError(422, "to: must not be before from")
    try:
        rows, total = await run_in_threadpool(
            lambda: service.audit.store.list_decisions(
                start=start, end=end, recommendation=recommendation, overridden=overridden,
                rule_id=rule_id, district=district, model_version=model_version,
                disagreement=disagreement, limit=limit, offset=offset))
    except AuditUnavailableError as error:
        raise _unavailable(error) from None
    body = {
        "total": total, "limit": limit, "offset": offset,
        "next_offset": offset + limit if offset + limit < total else None,
        "decisions": [{
            "seq": r.seq, "decision_id": r.decision_id, "call_id": r.call_id,
            "created_at": r.created_at, "recommendation": r.recommendation,
            "model_recommendation": r.model_recommendation, "overridden": r.overridden,
            "rule_ids": r.rules_fired, "district": r.district,
            "model_version": r.model_version, "degraded": r.degraded,
            "client_role": r.client_role, "latency_ms": r.latency_ms} for r in rows],
    }
    return Response(orjson.dumps(body), media_type="application/json")


def _utc(moment: datetime | None) -> datetime | None:
    """A time without offset is read as UTC, as everywhere in the project."""
    if moment is None or moment.tzinfo is not None:
        return moment
    from datetime import UTC

    return moment.replace(tzinfo=UTC)
