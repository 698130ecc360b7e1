"""Reading request bodies within limits: 413 before anything is parsed, 400 for bad JSON,
422 for an empty body (a missing required body, as FastAPI reports it) and for a NUL
character anywhere in it (PostgreSQL cannot store one: it would be a 500 later).

Routes read their bodies themselves (instead of FastAPI's body parameters) so that the
size limit is enforced while streaming, auth is checked first, and a validation error
names the field in the contract's terms.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request

from serving.errors import ApiError

#: One call record may take at most this many bytes of JSON. The largest record the
#: contract allows must fit however its client encodes it: 10,000 narrative characters
#: outside the BMP, each escaped as a surrogate pair (`\ud83d\ude91`, 12 bytes), are
#: 120,000 bytes before the other fields (hostile-input tests found 64 KiB too small).
RECORD_LIMIT = 192 * 1024
#: A batch may hold at most this many records.
BATCH_LIMIT = 1000
#: A batch body. Not BATCH_LIMIT x RECORD_LIMIT (192 MiB held in memory per request):
#: 1,000 ordinary records are about 2 MB; a bigger batch is refused with a 413 that says
#: to split it.
BATCH_BYTES_LIMIT = 64 * 1024 * 1024


async def read_json(request: Request, limit: int) -> Any:
    """The parsed JSON body; 413 above `limit` bytes, 422 if empty, 400 if not JSON."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            declared_size = int(declared)
        except ValueError:
            raise ApiError(400, "Content-Length is not a number") from None
        if declared_size > limit:
            raise ApiError(413, f"the body is {declared_size} bytes; the limit is {limit}"
                           f"{_split_hint(limit)}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"the body exceeds the limit of {limit} bytes"
                           f"{_split_hint(limit)}")
        chunks.append(chunk)
    body = b"".join(chunks)
    if not body.strip():
        raise ApiError(422, "body: is empty; send a JSON object")
    content_type = request.headers.get("content-type", "application/json")
    if "json" not in content_type.lower():
        raise ApiError(415, f"send Content-Type: application/json (got {content_type})")
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ApiError(400, f"the body is not valid JSON: {error}") from None
    if b"\\u0000" in body:
        where = _nul_path(payload, ())
        if where is not None:
            raise ApiError(422, f"{'.'.join(where) or 'body'}: must not contain NUL "
                           "characters (\\u0000)")
    return payload


def _split_hint(limit: int) -> str:
    return "; send the calls in smaller batches" if limit == BATCH_BYTES_LIMIT else ""


def _nul_path(value: Any, path: tuple[str, ...]) -> tuple[str, ...] | None:
    """Where a NUL character hides in parsed JSON (PostgreSQL cannot store one), or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = (value.items() if isinstance(value, dict)
             else enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return (*path, key.replace("\x00", "\\x00"))
        found = _nul_path(item, (*path, str(key)))
        if found is not None:
            return found
    return None
