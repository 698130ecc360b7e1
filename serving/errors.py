"""JSON errors a person can act on: `{"message", "detail", "request_id"}`, never HTML.

Client mistakes are 4xx with a message naming the field (`questionnaire.weapon: ...`);
malformed JSON is 400; anything unexpected is a 500 that names the request id (the
log has the traceback, without the request body, which may hold health information).
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("fifthbranch.serving")

REQUEST_ID_KEY = "fifthbranch.request_id"


class ApiError(Exception):
    """An error answer: status, message, optional detail and headers."""

    def __init__(self, status: int, message: str, *, detail: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail
        self.headers = headers or {}


def request_id(request: Request) -> str | None:
    return request.scope.get(REQUEST_ID_KEY)


def error_response(request: Request, status: int, message: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> Response:
    body = {"message": message, "detail": detail if detail is not None else message,
            "request_id": request_id(request)}
    return Response(orjson.dumps(body), status_code=status, media_type="application/json",
                    headers=headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _clean(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validation errors without the offending input (it may be a narrative)."""
    return [{"loc": list(error.get("loc", ())), "msg": error.get("msg", ""),
             "type": error.get("type", "")} for error in errors]


def validation_message(errors: list[dict[str, Any]]) -> str:
    """`field.path: what is wrong` for the first error, `(+N more)` for the rest."""
    if not errors:
        return "invalid request"
    first = errors[0]
    message = f"{_location(first.get('loc', ()))}: {first.get('msg', 'invalid')}"
    if first.get("type") == "extra_forbidden":
        message = f"{_location(first.get('loc', ()))}: unknown field, not part of the contract"
    if len(errors) > 1:
        message += f" (+{len(errors) - 1} more)"
    return message


def validation_error(error: ValidationError, *, prefix: tuple[Any, ...] = ()) -> ApiError:
    """A pydantic error as a 422 that names the field."""
    errors = [{**item, "loc": (*prefix, *item["loc"])} for item in error.errors()]
    return ApiError(422, validation_message(errors), detail=_clean(errors))


def install(app: FastAPI) -> None:
    """Register the JSON handlers for every error the app can raise."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.message, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = f"no such endpoint: {request.method} {request.url.path} (see /openapi.json)"
        elif exc.status_code == 405:
            allowed = {k.lower(): v for k, v in (exc.headers or {}).items()}.get("allow", "")
            message = f"{request.method} is not allowed on {request.url.path}" + (
                f"; allowed: {allowed}" if allowed else "")
        return error_response(request, exc.status_code, message, None, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        if any(error.get("type") == "json_invalid" for error in errors):
            return error_response(request, 400, "the body is not valid JSON", _clean(errors))
        return error_response(request, 422, validation_message(errors), _clean(errors))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.error("internal error request_id=%s %s %s: %s", request_id(request),
                  request.method, request.url.path, type(exc).__name__, exc_info=exc)
        return error_response(
            request, 500, f"internal error; quote request id {request_id(request)} "
            "when reporting it", headers={"X-Request-ID": request_id(request) or ""})
