"""Typed FastAPI dependencies: the service, and the caller's role checked against a route.

Auth runs before the body is read (routes read their bodies themselves), so a caller
without a valid key learns nothing about the body's validity. The key's rate limit is
spent right after it is recognised (and before the role check, so a key hammering a
route it may not use is slowed too): a 429 costs the server no body parsing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from serving.auth import OPEN_ROLE, allows, role_for_key
from serving.errors import ApiError
from serving.ratelimit import retry_after
from serving.service import Service

_bearer = HTTPBearer(auto_error=False, description="an API key from FIFTHBRANCH_API_KEYS")


def get_service(request: Request) -> Service:
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise ApiError(503, "the service is still starting", headers={"Retry-After": "1"})
    return service


ServiceDep = Annotated[Service, Depends(get_service)]


def require(*roles: str) -> Callable[..., str]:
    """A dependency returning the caller's role; 401 without a valid key, 403 if not allowed."""

    def check(service: ServiceDep,
              credentials: Annotated[HTTPAuthorizationCredentials | None,
                                     Security(_bearer)] = None) -> str:
        if service.keys.open:
            return OPEN_ROLE
        key = credentials.credentials if credentials is not None else None
        role = role_for_key(service.keys, key)
        if role is None:
            message = ("missing API key: send Authorization: Bearer <key>" if key is None
                       else "unknown API key")
            raise ApiError(401, message, headers={"WWW-Authenticate": "Bearer"})
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


DispatchRole = Annotated[str, Depends(require("dispatch"))]
AuditorRole = Annotated[str, Depends(require("auditor"))]
AdminRole = Annotated[str, Depends(require("admin"))]
AnyRole = Annotated[str, Depends(require("dispatch", "auditor"))]
