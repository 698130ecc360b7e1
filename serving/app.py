"""The FastAPI app: `create_app(...)` builds it; `app_factory` is uvicorn's entry point.

Start-up (the lifespan) loads the champion (fail fast when the registry is unreachable
and nothing is cached; rules only when there is no model), migrates the audit database
(or starts spooling when it is away), and starts two background loops: the spool drain
and, when asked, the champion poll. Shutdown stops them, drains once more and closes
the database. `mlflow` is imported only when a model is loaded, never per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Literal

import orjson
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from fastapi.responses import ORJSONResponse

from data.schema import CallRecord
from data.settings import Settings, get_settings
from serving import errors
from serving.audit.durable import DurableAudit
from serving.audit.spool import Spool
from serving.audit.store import AuditStore
from serving.auth import CALLER_STATE, parse_api_keys
from serving.lifecycle import ModelHolder, Serving, registry_loader
from serving.metrics import Metrics
from serving.openapi import document_errors
from serving.pages.site import install_pages
from serving.ratelimit import RateLimit, RateLimiter, rate_limit_from_env
from serving.routes import decisions, ops, outcomes, recommendations
from serving.service import Service

log = logging.getLogger("fifthbranch.serving")

#: Seconds between attempts to drain the spool / reconnect the audit database.
DRAIN_INTERVAL = 1.0
RELOAD_INTERVAL_ENV = "FIFTHBRANCH_RELOAD_INTERVAL"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestContext:
    """Pure ASGI middleware: request id, access log line and request metrics.

    Pure ASGI (not BaseHTTPMiddleware) because it sits on every request's path. The log
    line holds the id, method, route, status and time, the caller (role and key
    fingerprint, never the key) and the decision a request was about: who read or
    reported on which call, for the audit trail of accesses. Never a body or a query value.
    """

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope[errors.REQUEST_ID_KEY] = request_id
        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
            # No id, filter or page has one, and PostgreSQL cannot compare one (a 500).
            await _refuse_nul(scope, send, request_id)
            return
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            caller = (scope.get("state") or {}).get(CALLER_STATE, "-")
            target = (scope.get("path_params") or {}).get("decision_id")
            log.info("request_id=%s %s %s status=%d ms=%.2f caller=%s%s", request_id,
                     scope["method"], route, status, elapsed * 1000, caller,
                     f" decision_id={str(target)[:64]!r}" if target else "")


async def _refuse_nul(scope: dict[str, Any], send: Any, request_id: str) -> None:
    body = orjson.dumps({"message": "the URL contains a NUL character (%00)",
                         "detail": "the URL contains a NUL character (%00)",
                         "request_id": request_id})
    await send({"type": "http.response.start", "status": 400, "headers": [
        (b"content-type", b"application/json"), (b"x-request-id", request_id.encode()),
        (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The schema, with the request bodies the routes read themselves in components and
    every error an operation can answer (`serving.openapi`)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (CallRecord, recommendations.BatchRequest):
            body = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(body.pop("$defs", {}))
            components[model.__name__] = body
        app.openapi_schema = document_errors(schema)
        return schema

    return build


async def _every(seconds: float, work: Callable[[], Any], what: str) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await run_in_threadpool(work)
        except Exception:  # a background loop must survive anything
            log.exception("%s failed", what)


def create_app(
    settings: Settings | None = None,
    *,
    loader: Callable[[], Any] | None = None,
    holder: ModelHolder | None = None,
    store: AuditStore | None = None,
    reload_interval: float | None = None,
    drain_interval: float = DRAIN_INTERVAL,
    replay_loader: Callable[[Any, str], Any] | None = None,
    rate_limit: RateLimit | Literal["env"] | None = "env",
) -> FastAPI:
    """Build the app. Tests inject `loader` (a callable returning a Recommender) or a
    ready `holder`, and `replay_loader` (`(settings, ref) -> Recommender`) for the
    review pages' replay; by default models come from the registry. `rate_limit` is
    the per-key limit (None: unlimited); by default `FIFTHBRANCH_RATE_LIMIT` decides.
    Raises `ConfigurationError` for malformed API keys or rate limit before anything starts.
    """
    settings = settings or get_settings()
    keys = parse_api_keys(settings.api_keys)
    limiter = RateLimiter(rate_limit_from_env() if rate_limit == "env" else rate_limit)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        model = holder or ModelHolder(loader or registry_loader(settings))
        if model.current is None:
            await run_in_threadpool(model.load_initial)
        audit = DurableAudit(store or AuditStore.from_url(settings.db_url),
                             Spool(settings.home_dir / "spool"))
        await run_in_threadpool(audit.start)
        await run_in_threadpool(audit.maintain)
        if keys.open:
            log.warning("NO API KEYS: every caller is admin; serving on loopback only "
                        "(set FIFTHBRANCH_API_KEYS to require keys)")
        app.state.service = Service(settings, keys, model, audit, metrics, replay_loader,
                                    limiter)
        tasks = [asyncio.create_task(_every(drain_interval, audit.maintain, "spool drain"))]
        if reload_interval:
            tasks.append(asyncio.create_task(_every(reload_interval, model.poll,
                                                    "champion poll")))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            with contextlib.suppress(Exception):
                await run_in_threadpool(audit.maintain)
            audit.store.close()
            log.info("stopped")

    app = FastAPI(
        title="Fifth Branch",
        version="1",
        description="Recommends HEART, co-response or police for a 911 call, with a "
        "rules floor for violence risk and a tamper-evident audit log.",
        lifespan=lifespan,
        default_response_class=ORJSONResponse,
        separate_input_output_schemas=False,
    )
    errors.install(app)
    app.add_middleware(RequestContext, metrics=metrics)
    app.include_router(recommendations.router)
    app.include_router(decisions.router)
    app.include_router(outcomes.router)
    app.include_router(ops.router)
    install_pages(app)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app


def app_factory() -> FastAPI:
    """uvicorn's `--factory` entry point for worker processes (settings from env)."""
    interval = float(os.environ.get(RELOAD_INTERVAL_ENV, "0") or 0)
    return create_app(reload_interval=interval or None)


__all__ = ["ModelHolder", "Serving", "app_factory", "create_app"]
