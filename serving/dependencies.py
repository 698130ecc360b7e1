"""Typed FastAPI dependencies: the service, and the caller's role checked against a route.

Auth runs before the body is read (routes read their bodies themselves), so a caller
without a valid key learns nothing about the body's validity. The key's rate limit is
spent right after it is recognised (and before the role check, so a key hammering a
route it may not use is slowed too): a 429 costs the server no body parsing.

The dependencies are `async def` although they never wait: FastAPI runs a plain `def`
dependency in its thread pool, and those hand-offs (one per dependency per request)
cost more than the checks themselves. None of them blocks (the rate limiter's lock is
held for microseconds).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, get_args, get_origin

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from serving.auth import CALLER_STATE, OPEN_ROLE, allows, key_fingerprint, role_for_key
from serving.errors import ApiError
from serving.ratelimit import retry_after
from serving.service import Service

_bearer = HTTPBearer(auto_error=False, description="an API key from FIFTHBRANCH_API_KEYS")


def get_service(request: Request) -> Service:
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise ApiError(503, "the service is still starting", headers={"Retry-After": "1"})
    return service


async def _service(request: Request) -> Service:
    return get_service(request)


ServiceDep = Annotated[Service, Depends(_service)]


def require(*roles: str) -> Callable[..., Awaitable[str]]:
    """A dependency returning the caller's role; 401 without a valid key, 403 if not allowed."""

    async def check(request: Request, service: ServiceDep,
                    credentials: Annotated[HTTPAuthorizationCredentials | None,
                                           Security(_bearer)] = None) -> str:
        if service.keys.open:
            setattr(request.state, CALLER_STATE, f"{OPEN_ROLE}:open")
            return OPEN_ROLE
        key = credentials.credentials if credentials is not None else None
        role = role_for_key(service.keys, key)
        if role is None:
            message = ("missing API key: send Authorization: Bearer <key>" if key is None
                       else "unknown API key")
            raise ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})
        setattr(request.state, CALLER_STATE, f"{role}:{key_fingerprint(key)}")
        wait = service.limiter.take(key) if key is not None else 0.0
        if wait > 0:
            service.metrics.rate_limited.labels(role).inc()
            limit = service.limiter.limit
            allowed = limit.describe() if limit else "limited"
            raise ApiError(429, f"rate limit exceeded for this key ({allowed} per server "
                           f"process); retry after {wait:.2f} s",
                           headers={"Retry-After": retry_after(wait)})
        if roles and not allows(role, roles):
            needed = " or ".join(dict.fromkeys((*roles, "admin")))
            raise ApiError(403, f"the {role} role may not do this; it needs {needed}")
        return role

    return check


async def known_query_only(request: Request) -> None:
    """422 for a query parameter the route does not read, or repeats one it reads once.

    FastAPI ignores unknown parameters and keeps the last of repeated ones, so an
    auditor's typo (`recomendation=police`) or a script's `rule_id=a&rule_id=b` would
    silently return decisions that look filtered as asked but are not. The contract
    refuses unknown questionnaire keys for the same reason.
    """
    if not request.query_params:
        return
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    fields = _query_fields(dependant)
    unknown = sorted(set(request.query_params.keys()) - fields.keys())
    if unknown:
        known = sorted(fields)
        hint = f"; known: {', '.join(known)}" if known else "; it takes none"
        raise _query_error(unknown[0], f"unknown query parameter{hint}", "extra_forbidden")
    for name, field in fields.items():
        if len(request.query_params.getlist(name)) > 1 and not _is_sequence(field):
            raise _query_error(name, "given more than once; it takes one value",
                               "too_many_values")


def _query_error(name: str, problem: str, kind: str) -> ApiError:
    shown = name[:100]
    return ApiError(422, f"{shown!r}: {problem}",
                    detail=[{"loc": ["query", shown], "msg": problem, "type": kind}])


def _query_fields(dependant: Any) -> dict[str, Any]:
    """The query parameters a route and its sub-dependencies read, by name."""
    fields = {field.alias: field for field in dependant.query_params}
    for sub in dependant.dependencies:
        fields.update(_query_fields(sub))
    return fields


def _is_sequence(field: Any) -> bool:
    annotation = getattr(getattr(field, "field_info", None), "annotation", None)
    candidates = [annotation, *get_args(annotation)] if annotation is not None else []
    return any(get_origin(item) in (list, set, tuple, frozenset) for item in candidates)


KnownQueryOnly = Depends(known_query_only)

DispatchRole = Annotated[str, Depends(require("dispatch"))]
AuditorRole = Annotated[str, Depends(require("auditor"))]
AdminRole = Annotated[str, Depends(require("admin"))]
AnyRole = Annotated[str, Depends(require("dispatch", "auditor"))]
