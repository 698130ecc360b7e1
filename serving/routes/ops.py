"""Operations: liveness, readiness, Prometheus metrics, the serving model, reload.

Readiness is 200 whenever the service can answer *and* record durably, with
`status: "degraded"` and the reasons when it answers with rules only or is spooling
decisions because the audit database is away (taking every replica out of rotation
then would stop dispatch advice altogether); `?strict=true` turns degraded into 503
for deployments that prefer that. It is 503 when no model is loaded yet or when
neither the database nor the spool can take a decision (the spool unreadable, or its
last write failed, e.g. on a full disk: every recommendation would be a 503 too).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel

from serving.dependencies import AdminRole, AnyRole, KnownQueryOnly, ServiceDep, get_service
from serving.errors import ApiError
from serving.lifecycle import ReloadError

router = APIRouter(tags=["operations"], dependencies=[KnownQueryOnly])


class ModelInfo(BaseModel):
    name: str | None
    version: str | None
    alias: str | None
    run_id: str | None
    rules_version: str
    degraded: bool
    degraded_reason: str | None
    loaded_at: str


class AuditState(BaseModel):
    store_up: bool
    spool_depth: int
    spool_failure: str | None = None
    database: str


class Readiness(BaseModel):
    """What /readyz answers, ready or not."""

    status: Literal["ready", "degraded", "not ready", "starting"]
    reasons: list[str]
    model: ModelInfo | None = None
    audit: AuditState | None = None


class ReloadResult(BaseModel):
    reloaded: bool
    previous: ModelInfo | None
    current: ModelInfo


def _json(body: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


@router.get("/healthz", summary="Liveness: the process answers",
            responses={200: {"content": {"application/json": {"example": {"status": "ok"}}}}})
async def healthz() -> Response:
    return _json({"status": "ok"})


@router.get("/readyz", summary="Readiness: model loaded and decisions recordable",
            response_model=Readiness,
            responses={503: {"model": Readiness, "description": "not ready; `reasons` says why"}})
async def readyz(request: Request, strict: Annotated[bool, Query()] = False) -> Response:
    service = getattr(request.app.state, "service", None)
    if service is None:
        return _json({"status": "starting", "reasons": ["the service is starting"]}, 503)
    serving = service.holder.current
    health = await run_in_threadpool(service.audit.health)
    reasons: list[str] = []
    fatal = False
    if serving is None:
        reasons.append("no model loaded")
        fatal = True
    elif serving.degraded:
        reasons.append(f"rules only: {serving.degraded_reason}")
    if not health.store_up or health.spool_depth:
        reasons.append(health.reason or "audit database unavailable")
    if health.spool_depth < 0:
        reasons.append(f"the spool {service.audit.spool.path} cannot be read")
        fatal = fatal or not health.store_up
    if health.spool_failure and not health.store_up:
        reasons.append(health.spool_failure)
        fatal = True
    status = "ready" if not reasons else ("not ready" if fatal else "degraded")
    code = 503 if fatal or (strict and reasons) else 200
    return _json({"status": status, "reasons": reasons,
                  "model": serving.describe() if serving else None,
                  "audit": {"store_up": health.store_up, "spool_depth": health.spool_depth,
                            "spool_failure": health.spool_failure,
                            "database": service.audit.store.safe_url}}, code)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {}}}})
async def metrics(request: Request) -> Response:
    service = get_service(request)
    service.refresh_gauges()
    return Response(service.metrics.render(), media_type=service.metrics.content_type)


@router.get("/v1/model", summary="The serving model: name, version, alias, run, rules",
            response_model=ModelInfo, responses={401: {"description": "no valid key"}})
async def model_info(service: ServiceDep, role: AnyRole) -> Response:
    serving = service.holder.current
    if serving is None:
        raise ApiError(503, "no model loaded yet", headers={"Retry-After": "1"})
    return _json(serving.describe())


@router.post("/v1/admin/reload", summary="Swap in the registry's current champion",
             response_model=ReloadResult,
             responses={401: {"description": "no valid key"},
                        403: {"description": "not an admin key"},
                        503: {"description": "the champion could not be loaded; "
                              "the previous model keeps serving"}})
async def reload(service: ServiceDep, role: AdminRole) -> Response:
    try:
        previous, current = await run_in_threadpool(service.holder.reload)
    except ReloadError as error:
        raise ApiError(503, str(error)) from None
    return _json({"reloaded": previous is None or previous.identity != current.identity
                  or previous.degraded,
                  "previous": previous.describe() if previous else None,
                  "current": current.describe()})
