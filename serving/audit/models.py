"""The audit tables (SQLAlchemy Core): decisions, outcomes and the chain heads.

Both `decisions` and `outcomes` are append-only and hash-chained (see `chain.py`); the
store offers no update or delete, and corrections are new rows. `chain_heads` holds one
row per chain with the last sequence number and hash: appends lock it (SELECT ... FOR
UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite) so the chain stays linear under
concurrent requests and several worker processes, and `verify` compares it with the
last row so that deleting rows from the end is detected too.

The Alembic migrations in `migrations/versions` create exactly these tables; the
metadata here is what the store queries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Always aware UTC in Python; naive UTC in SQLite, `timestamptz` in PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()

decisions = Table(
    "decisions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("decision_id", String(64), nullable=False, unique=True),
    Column("call_id", String(64), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False, index=True),
    Column("recommendation", String(16), nullable=False),
    Column("model_recommendation", String(16), nullable=True),
    Column("overridden", Boolean, nullable=False),
    Column("rule_ids", Text, nullable=False),
    Column("district", String(64), nullable=True),
    Column("model_name", String(200), nullable=True),
    Column("model_version", String(64), nullable=True),
    Column("run_id", String(64), nullable=True),
    Column("rules_version", String(100), nullable=False),
    Column("degraded", Boolean, nullable=False),
    Column("client_role", String(16), nullable=False),
    Column("latency_ms", Float, nullable=False),
    Column("idempotency_key", String(255), nullable=True, unique=True),
    Column("request_json", Text, nullable=False),
    Column("response_json", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("row_hash", String(64), nullable=False),
)

outcomes = Table(
    "outcomes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("outcome_id", String(64), nullable=False, unique=True),
    Column("decision_id", String(64), ForeignKey("decisions.decision_id"), nullable=False,
           index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("client_role", String(16), nullable=False),
    Column("responder_sent", String(16), nullable=True),
    Column("body_json", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("row_hash", String(64), nullable=False),
)

chain_heads = Table(
    "chain_heads",
    metadata,
    Column("chain", String(32), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("row_hash", String(64), nullable=False),
)

#: The chained tables, by chain name (the chain name is the table name).
CHAINED = {"decisions": decisions, "outcomes": outcomes}

#: Columns of each chained table that its row hash covers (all but `row_hash`).
HASHED_COLUMNS = {
    name: tuple(str(column.name) for column in table.columns if column.name != "row_hash")
    for name, table in CHAINED.items()
}
