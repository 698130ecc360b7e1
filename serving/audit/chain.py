"""The SHA-256 hash chain that makes the audit log tamper-evident.

Each row stores `prev_hash` (the previous row's `row_hash`, or `GENESIS` for the first)
and `row_hash = sha256(canonical JSON of the row's content including prev_hash)`. An
edited row no longer matches its own hash; a deleted or reordered row breaks the link
of the row after it. Canonical JSON means sorted keys, no whitespace, UTF-8, and
timestamps as UTC ISO 8601 with microseconds, so SQLite and PostgreSQL give the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

#: The `prev_hash` of the first row of a chain.
GENESIS = "0" * 64


def utc_text(moment: datetime) -> str:
    """A timestamp as the chain hashes it: UTC, microseconds, `+00:00` offset."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value)
    raise TypeError(f"cannot hash a {type(value).__name__}")


def canonical_json(content: Mapping[str, Any]) -> bytes:
    """Sorted keys, compact, UTF-8; datetimes as `utc_text` (never orjson's own format)."""
    # OPT_PASSTHROUGH_DATETIME sends datetimes to `_default`, so both databases agree.
    return orjson.dumps(
        dict(content),
        default=_default,
        option=orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME,
    )


def row_hash(content: Mapping[str, Any]) -> str:
    """The hex SHA-256 of a row's content (which must include its `prev_hash`)."""
    return hashlib.sha256(canonical_json(content)).hexdigest()
