"""`POST /v1/recommendations` and `/batch`: decide, record durably, then answer.

The response body is the exact JSON stored in the audit log (`response_json`). With an
`Idempotency-Key` header a retry gets the stored body back (`Idempotent-Replayed: true`)
and no second row; the same key with a different call is a 409. In a batch the key
covers the whole batch: record *i* is stored under `<key>#<i>`. `latency_ms` in the log
is the time to validate and decide, before the audit write itself.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from data.schema import RESPONDER_RANK, CallRecord
from model.decision import Decision
from serving.audit.spool import SpoolError
from serving.body import BATCH_BYTES_LIMIT, BATCH_LIMIT, RECORD_LIMIT, read_json
from serving.dependencies import DispatchRole, KnownQueryOnly, ServiceDep
from serving.errors import ApiError, validation_error
from serving.service import Service

log = logging.getLogger("fifthbranch.serving")

router = APIRouter(prefix="/v1/recommendations", tags=["recommendations"],
                   dependencies=[KnownQueryOnly])

IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=255,
    description="a client-chosen unique key; a retry with it returns the stored decision")]


class BatchRequest(BaseModel):
    """Several call records, answered in the same order."""

    model_config = ConfigDict(extra="forbid")  # as `_validate_batch` enforces

    calls: list[CallRecord] = Field(max_length=BATCH_LIMIT)


class BatchResponse(BaseModel):
    decisions: list[Decision]


_COMMON = {
    401: {"description": "missing or unknown API key"},
    403: {"description": "the key's role may not ask for recommendations"},
    409: {"description": "Idempotency-Key reused with a different call"},
    413: {"description": "body over 192 KiB per record, over 64 MiB per batch, or over "
                         "1,000 records"},
    422: {"description": "a field is invalid; `message` names it"},
    503: {"description": "the decision could not be recorded durably"},
}


def _body_schema(ref: str, example: Any) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{ref}"}, "example": example}}}}


_EXAMPLE_CALL = CallRecord.model_json_schema()["examples"][0]


def _validate(payload: Any) -> CallRecord:
    _no_numeric_time(payload, ())
    try:
        return CallRecord.model_validate(payload)
    except ValidationError as error:
        raise validation_error(error) from None


def _no_numeric_time(payload: Any, prefix: tuple[Any, ...]) -> None:
    """`received_at` must be ISO 8601 text, as the contract says. pydantic would read a
    number as a Unix time, guessing seconds or milliseconds by its size: a CAD sending
    epoch values would get calls silently misdated in the audit log."""
    if isinstance(payload, dict):
        value = payload.get("received_at")
        if isinstance(value, int | float) and not isinstance(value, bool):
            loc = [*prefix, "received_at"]
            raise ApiError(422, f"{'.'.join(map(str, loc))}: expected an ISO 8601 date-time "
                           "such as 2026-11-22T15:04:05Z, not a number",
                           detail=[{"loc": loc, "msg": "expected an ISO 8601 date-time, "
                                    "not a number", "type": "datetime_type"}])


def _decide_and_record(service: Service, record: CallRecord, role: str,
                       idempotency_key: str | None, started: float) -> tuple[str, bool]:
    """Decide one call and make it durable; (response JSON, replayed?)."""
    request_json = record.model_dump_json()
    if idempotency_key is not None:
        earlier = service.audit.find_idempotent(idempotency_key)
        if earlier is not None:
            if earlier["request_json"] != request_json:
                raise ApiError(409, "Idempotency-Key was already used for a different call; "
                               "use a new key for a new call")
            return earlier["response_json"], True
    serving = service.holder.current
    if serving is None:
        raise ApiError(503, "no model loaded yet", headers={"Retry-After": "1"})
    decision = serving.recommender.decide(record, explain=True)
    if decision.decision_id in ("", None):
        decision = decision.model_copy(update={"decision_id": str(uuid.uuid4())})
    response_json = decision.model_dump_json(by_alias=True)
    latency_ms = (time.perf_counter() - started) * 1000
    try:
        stored = service.audit.record(
            record, decision, request_json=request_json, response_json=response_json,
            client_role=role, latency_ms=latency_ms, run_id=serving.identity[2],
            idempotency_key=idempotency_key)
    except SpoolError as error:
        log.error("decision %s NOT recorded: %s", decision.decision_id, error)
        raise ApiError(503, f"the decision could not be recorded (audit database unavailable "
                       f"and {error}); nothing was decided", headers={"Retry-After": "5"}) from None
    if stored is not None and stored.decision_id != decision.decision_id:
        return stored.response_json, True  # a concurrent retry with the same key won
    _count(service, decision)
    log.info("decision decision_id=%s call_id=%s recommendation=%s model=%s rules=%s "
             "degraded=%s ms=%.2f%s", decision.decision_id, record.call_id,
             decision.recommendation, decision.model_recommendation,
             ",".join(o.rule_id for o in decision.overrides) or "-", decision.degraded,
             latency_ms, "" if stored is not None else " spooled=yes")
    return response_json, False


def _count(service: Service, decision: Decision) -> None:
    metrics = service.metrics
    metrics.recommendations.labels(decision.recommendation).inc()
    model_rank = RESPONDER_RANK.get(decision.model_recommendation or "", -1)
    for override in decision.overrides:
        metrics.overrides.labels(override.rule_id).inc()
        if (override.floor == decision.recommendation
                and RESPONDER_RANK[override.floor] > model_rank >= 0):
            metrics.raised.labels(override.rule_id).inc()


@router.post(
    "",
    summary="Recommend a responder for one call",
    response_model=Decision,
    responses={**_COMMON, 200: {"description": "the decision, already in the audit log",
                                "content": {"application/json": {
                                    "example": Decision.model_json_schema()["examples"][0]}}}},
    openapi_extra=_body_schema("CallRecord", _EXAMPLE_CALL),
)
async def recommend(request: Request, service: ServiceDep, role: DispatchRole,
                    idempotency_key: IdempotencyKey = None) -> Response:
    started = time.perf_counter()
    record = _validate(await read_json(request, RECORD_LIMIT))
    body, replayed = await run_in_threadpool(
        _decide_and_record, service, record, role, idempotency_key, started)
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return Response(body, media_type="application/json", headers=headers)


def _validate_batch(payload: Any) -> list[CallRecord]:
    if not isinstance(payload, dict) or "calls" not in payload:
        raise ApiError(422, 'calls: required; send {"calls": [record, ...]}',
                       detail=[{"loc": ["calls"], "msg": "Field required", "type": "missing"}])
    extra = sorted(set(payload) - {"calls"})
    if extra:
        raise ApiError(422, f"{extra[0]}: unknown field, not part of the contract")
    calls = payload["calls"]
    if not isinstance(calls, list):
        raise ApiError(422, "calls: must be a list of call records")
    if len(calls) > BATCH_LIMIT:
        raise ApiError(413, f"calls: {len(calls)} records; at most {BATCH_LIMIT} per batch")
    records = []
    for index, item in enumerate(calls):
        _no_numeric_time(item, ("calls", index))
        try:
            records.append(CallRecord.model_validate(item))
        except ValidationError as error:
            raise validation_error(error, prefix=("calls", index)) from None
    return records


@router.post(
    "/batch",
    summary="Recommend responders for several calls (same order)",
    response_model=BatchResponse,
    responses={**_COMMON, 200: {"description": "one decision per call, each in the audit log"}},
    openapi_extra=_body_schema("BatchRequest", {"calls": [_EXAMPLE_CALL]}),
)
async def recommend_batch(request: Request, service: ServiceDep, role: DispatchRole,
                          idempotency_key: IdempotencyKey = None) -> Response:
    started = time.perf_counter()
    records = _validate_batch(await read_json(request, BATCH_BYTES_LIMIT))

    def work() -> list[str]:
        return [
            _decide_and_record(service, record, role,
                               None if idempotency_key is None else f"{idempotency_key}#{i}",
                               started)[0]
            for i, record in enumerate(records)
        ]

    bodies = await run_in_threadpool(work)
    return Response(b'{"decisions":[' + ",".join(bodies).encode() + b"]}",
                    media_type="application/json")
