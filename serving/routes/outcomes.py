"""`POST /v1/decisions/{id}/outcome`: what was actually sent and how it went.

Responders' feedback (Durham's HEART teams report after every call whether they felt
safe) is stored append-only beside the decision: a second report for the same decision
is kept as a correction, never merged, and the latest one is what reports and label
exports use. Dispatch and admin keys may report; the review pages report as the
signed-in auditor's role through the same `OutcomeReport` model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from serving.audit.store import AuditUnavailableError, UnknownDecisionError
from serving.body import read_json
from serving.dependencies import DispatchRole, KnownQueryOnly, ServiceDep
from serving.errors import ApiError, validation_error

router = APIRouter(prefix="/v1/decisions", tags=["outcomes"], dependencies=[KnownQueryOnly])

#: An outcome body is small: 2,000 characters of notes plus a few fields.
OUTCOME_LIMIT = 16 * 1024
DISPOSITIONS: tuple[str, ...] = (
    "resolved_on_scene", "transported", "referred_to_care", "arrest", "other")


class OutcomeReport(BaseModel):
    """How a call went, reported by the dispatch centre or the responders."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "responder_sent": "heart", "felt_safe": True, "backup_requested": False,
        "time_on_scene_minutes": 35, "disposition": "referred_to_care",
        "notes": "connected to the mobile crisis follow-up team"}]})

    responder_sent: Literal["heart", "co_response", "police", "none"] = Field(
        description="who actually went; `none` when nobody was sent (cancelled, gone)")
    felt_safe: bool | None = Field(default=None,
                                   description="did the responders feel safe; null if not asked")
    backup_requested: bool | None = Field(
        default=None, description="did the responders call for police backup")
    time_on_scene_minutes: float | None = Field(default=None, ge=0, le=24 * 60,
                                                description="minutes spent on scene")
    disposition: Literal["resolved_on_scene", "transported", "referred_to_care", "arrest",
                         "other"]
    notes: str | None = Field(default=None, max_length=2000,
                              description="free text; shown to auditors, never to the model")


class StoredOutcomeOut(BaseModel):
    outcome_id: str
    decision_id: str
    created_at: datetime
    client_role: str
    body: OutcomeReport


def outcome_view(outcome: Any) -> dict[str, Any]:
    """A stored outcome as the API and the pages show it."""
    return {"outcome_id": outcome.outcome_id, "decision_id": outcome.decision_id,
            "created_at": outcome.created_at, "client_role": outcome.client_role,
            "body": outcome.body}


@router.post(
    "/{decision_id}/outcome", status_code=201, response_model=StoredOutcomeOut,
    summary="Report what was sent and how it went (append-only; a later report corrects)",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": OutcomeReport.model_json_schema()}}}},
    responses={401: {"description": "missing or unknown API key"},
               403: {"description": "the key's role may not report outcomes"},
               404: {"description": "no such decision"},
               422: {"description": "a field is invalid; `message` names it"},
               503: {"description": "the audit database is unavailable"}})
async def report_outcome(request: Request, service: ServiceDep, role: DispatchRole,
                         decision_id: Annotated[str, Path(max_length=64)]) -> Response:
    payload = await read_json(request, OUTCOME_LIMIT)
    try:
        report = OutcomeReport.model_validate(payload)
    except ValidationError as error:
        raise validation_error(error) from None
    body = report.model_dump(mode="json")
    store = service.audit.store
    try:
        stored = await run_in_threadpool(store.append_outcome, decision_id, body,
                                         client_role=role)
    except UnknownDecisionError:
        if service.audit.spool.find(decision_id=decision_id) is not None:
            raise ApiError(404, f"decision {decision_id} is waiting in the spool; report its "
                           "outcome again once the audit database is back",
                           headers={"Retry-After": "5"}) from None
        raise ApiError(404, f"no decision {decision_id} in the audit log") from None
    except AuditUnavailableError as error:
        raise ApiError(503, str(error), headers={"Retry-After": "5"}) from None
    return Response(orjson.dumps(outcome_view(stored)), status_code=201,
                    media_type="application/json")
