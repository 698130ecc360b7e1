"""The audit store: append-only, hash-chained decisions and outcomes in SQL.

SQLite (the default, in WAL mode with `synchronous=FULL`, so a committed decision
survives a power cut) or PostgreSQL (`postgresql+psycopg://`). Every append runs in one
transaction that locks the chain head (BEGIN IMMEDIATE on SQLite, SELECT ... FOR UPDATE
on PostgreSQL), so the chain stays linear across threads and worker processes, and
returns only after the commit: a decision is durable before its response is sent.

Connection failures surface as `AuditUnavailableError`, so the server can spool instead.
Engines hide SQL parameters (`hide_parameters`): narratives and health details are bound
parameters, and must not reach a log even when someone turns SQL logging on, nor an
error message that quotes a failed statement. Result rows, which SQLAlchemy logs at
DEBUG, are dropped from its log for the same reason (`_NoRows`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    and_,
    bindparam,
    create_engine,
    event,
    func,
    or_,
    select,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from data.errors import ConfigurationError, FifthBranchError
from data.schema import CallRecord
from model.decision import Decision
from serving.audit import chain
from serving.audit.models import CHAINED, HASHED_COLUMNS, chain_heads, decisions, outcomes
from serving.audit.records import BrokenRow, StoredDecision, StoredOutcome, VerifyResult

_IMMEDIATE = "fifthbranch_sqlite_immediate"


class AuditUnavailableError(FifthBranchError):
    """The audit database cannot be reached (or has no schema); the caller may spool."""


class UnknownDecisionError(FifthBranchError):
    """An outcome names a decision the audit log does not hold."""


class _NoRows(logging.Filter):
    """Drop SQLAlchemy's DEBUG lines that print result rows (narratives, outcomes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(("Row ", "Col ")))


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoRows())


def _sqlite_engine(url: str) -> Engine:
    """SQLite with WAL + synchronous=FULL, and BEGIN IMMEDIATE when the store asks.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's `begin`
    event decides how a transaction starts (the documented recipe).
    """
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


#: libpq settings so that a database that vanishes off the network (no RST: a cut link,
#: a dead host) is noticed in seconds and the server spools, instead of waiting out the
#: kernel's retransmissions (about 15 minutes) with every request stuck behind it.
_PG_CONNECT = {"connect_timeout": 3, "keepalives": 1, "keepalives_idle": 5,
               "keepalives_interval": 2, "keepalives_count": 3, "tcp_user_timeout": 5000}


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as error:
        # Not echoed whole: a malformed URL may still hold a password.
        raise ConfigurationError(
            f"FIFTHBRANCH_DB_URL is not a database URL (it starts {url.split(':', 1)[0][:20]!r}"
            "); expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB") from error
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                             hide_parameters=True, connect_args=_PG_CONNECT)
    raise ConfigurationError(
        f"FIFTHBRANCH_DB_URL must be sqlite:///... or postgresql+psycopg://..., got "
        f"{parsed.get_backend_name()!r}")


def _rule_ids(decision: Decision) -> str:
    return ";".join(override.rule_id for override in decision.overrides)


def _decision_values(record: CallRecord, decision: Decision, *, client_role: str,
                     latency_ms: float, run_id: str | None, idempotency_key: str | None,
                     request_json: str | None, response_json: str | None) -> dict[str, Any]:
    """A decision's row, all but the chain columns."""
    return {
        "decision_id": decision.decision_id,
        "call_id": record.call_id,
        "created_at": decision.created_at.astimezone(UTC),
        "recommendation": decision.recommendation,
        "model_recommendation": decision.model_recommendation,
        "overridden": bool(decision.overrides),
        "rule_ids": _rule_ids(decision),
        "district": record.district,
        "model_name": decision.model_name,
        "model_version": decision.model_version,
        "run_id": run_id,
        "rules_version": decision.rules_version,
        "degraded": decision.degraded,
        "client_role": client_role,
        "latency_ms": round(float(latency_ms), 3),
        "idempotency_key": idempotency_key,
        "request_json": request_json or record.model_dump_json(),
        "response_json": response_json or decision.model_dump_json(by_alias=True),
    }


# The statements of every append, built once: a statement built per call (`insert()
# .values(**row)`) makes SQLAlchemy coerce each value and compute a fresh cache key,
# which cost more than the SQLite commit itself. Values travel as bound parameters.
_READ_HEAD = (select(chain_heads.c.seq, chain_heads.c.row_hash)
              .where(chain_heads.c.chain == bindparam("chain_name")).with_for_update())
_MOVE_HEAD = (update(chain_heads).where(chain_heads.c.chain == bindparam("chain_name"))
              .values(seq=bindparam("head_seq"), row_hash=bindparam("head_hash")))
_INSERT_DECISION = decisions.insert()
_INSERT_OUTCOME = outcomes.insert()


def _move_head(connection: Connection, chain_name: str, seq: int, row_hash: str) -> None:
    """Record the chain's new last row (inside the transaction that holds its lock)."""
    connection.execute(_MOVE_HEAD, {"chain_name": chain_name, "head_seq": seq,
                                    "head_hash": row_hash})


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class AuditStore:
    """Append-only decisions and outcomes; see the module docstring for the guarantees."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> AuditStore:
        return cls(_engine(url))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _unavailable_as_error(self) -> Iterator[None]:
        try:
            yield
        except (sa_exc.OperationalError, sa_exc.InterfaceError,
                sa_exc.DisconnectionError, sa_exc.ProgrammingError) as error:
            first_line = str(error.orig or error).strip().splitlines()[0] if str(
                error.orig or error).strip() else type(error).__name__
            raise AuditUnavailableError(
                f"audit database {self.safe_url} is unavailable: {first_line}") from error

    @contextmanager
    def _locked(self, chain_name: str) -> Iterator[tuple[Connection, int, str]]:
        """A transaction holding the chain head's lock; yields (connection, seq, hash)."""
        with self._unavailable_as_error(), self.engine.connect() as connection:
            connection = connection.execution_options(**{_IMMEDIATE: True})
            with connection.begin():
                seq, head_hash = connection.execute(_READ_HEAD, {"chain_name": chain_name}).one()
                yield connection, seq, head_hash

    # -- schema -----------------------------------------------------------------------

    def migrate(self) -> None:
        """Create or upgrade the schema with Alembic (safe to call from many processes)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(files("serving.audit") / "migrations"))
        with self._unavailable_as_error(), self.engine.connect() as connection:
            connection = connection.execution_options(**{_IMMEDIATE: True})
            with connection.begin():
                if self.dialect == "postgresql":
                    # One migrator at a time when several workers start together.
                    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(726354)")
                config.attributes["connection"] = connection
                command.upgrade(config, "head")

    def ping(self) -> None:
        """Raise `AuditUnavailableError` unless the database answers and has the schema."""
        with self._unavailable_as_error(), self.engine.connect() as connection:
            connection.execute(select(chain_heads.c.seq).limit(1)).all()

    # -- decisions --------------------------------------------------------------------

    def append_decision(
        self,
        record: CallRecord,
        decision: Decision,
        *,
        client_role: str,
        latency_ms: float,
        run_id: str | None,
        idempotency_key: str | None = None,
        request_json: str | None = None,
        response_json: str | None = None,
    ) -> StoredDecision:
        """Store one decision at the end of the chain and return the stored row.

        `response_json` should be the exact bytes sent to the client (default: the
        decision serialised by alias). A decision id or idempotency key that is already
        stored is not stored twice: the existing row is returned instead (retries and
        spool drains are idempotent), so compare `decision_id` to tell them apart.
        """
        values = _decision_values(record, decision, client_role=client_role,
                                  latency_ms=latency_ms, run_id=run_id,
                                  idempotency_key=idempotency_key, request_json=request_json,
                                  response_json=response_json)
        # No look-up first: the unique id and key columns refuse a second row, and the
        # refused transaction (chain head included) rolls back whole. A look-up per
        # decision would cost a query on every write for the rare retry.
        try:
            with self._locked("decisions") as (connection, seq, prev_hash):
                row = {**values, "seq": seq + 1, "prev_hash": prev_hash}
                row["row_hash"] = chain.row_hash(row)
                connection.execute(_INSERT_DECISION, row)
                _move_head(connection, "decisions", row["seq"], row["row_hash"])
        except sa_exc.IntegrityError:
            # The id or key is stored already (a retry, a replayed spool entry, or a
            # concurrent retry that won the race): return that row.
            existing = self._existing(decision.decision_id, idempotency_key)
            if existing is None:
                raise
            return existing
        return StoredDecision(**row)

    def append_decisions(self, items: Sequence[Mapping[str, Any]]) -> int:
        """Store several decisions, in order, in one transaction; return how many were new.

        Each item holds `append_decision`'s arguments. Decisions whose id or idempotency
        key is already stored are skipped, as `append_decision` does, so a spool drain
        that is repeated after an interruption adds no duplicates. One transaction (one
        chain-head lock) for the lot: draining a long outage's spool takes seconds, not
        minutes.
        """
        if not items:
            return 0
        rows = [_decision_values(**item) for item in items]
        ids = [row["decision_id"] for row in rows]
        keys = [row["idempotency_key"] for row in rows if row["idempotency_key"] is not None]
        with self._locked("decisions") as (connection, seq, prev_hash):
            known_ids = set(connection.execute(select(decisions.c.decision_id).where(
                decisions.c.decision_id.in_(ids))).scalars())
            known_keys = set(connection.execute(select(decisions.c.idempotency_key).where(
                decisions.c.idempotency_key.in_(keys))).scalars()) if keys else set()
            fresh = []
            for row in rows:
                key = row["idempotency_key"]
                if row["decision_id"] in known_ids or (key is not None and key in known_keys):
                    continue
                known_ids.add(row["decision_id"])
                if key is not None:
                    known_keys.add(key)
                seq += 1
                chained = {**row, "seq": seq, "prev_hash": prev_hash}
                chained["row_hash"] = prev_hash = chain.row_hash(chained)
                fresh.append(chained)
            if fresh:
                connection.execute(_INSERT_DECISION, fresh)
                _move_head(connection, "decisions", seq, prev_hash)
        return len(fresh)

    def _existing(self, decision_id: str, idempotency_key: str | None) -> StoredDecision | None:
        found = self.get_decision(decision_id)
        if found is None and idempotency_key is not None:
            found = self.find_by_idempotency_key(idempotency_key)
        return found

    def get_decision(self, decision_id: str) -> StoredDecision | None:
        return self._one(decisions.c.decision_id == decision_id)

    def find_by_idempotency_key(self, key: str) -> StoredDecision | None:
        return self._one(decisions.c.idempotency_key == key)

    def _one(self, condition: Any) -> StoredDecision | None:
        with self._unavailable_as_error(), self.engine.connect() as connection:
            row = connection.execute(select(decisions).where(condition)).first()
        return None if row is None else StoredDecision(**row._mapping)

    def list_decisions(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        recommendation: str | None = None,
        overridden: bool | None = None,
        rule_id: str | None = None,
        district: str | None = None,
        model_version: str | None = None,
        disagreement: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[StoredDecision], int]:
        """Decisions matching every filter given, newest first, and the total matching.

        `start` is inclusive and `end` exclusive (UTC); `overridden` means at least one
        rule fired; `disagreement` means the final answer differs from the model's own
        (rules raised it; degraded decisions have no model answer and never disagree).
        """
        conditions = self._filters(start, end, recommendation, overridden, rule_id,
                                   district, model_version, disagreement)
        where = and_(True, *conditions)
        with self._unavailable_as_error(), self.engine.connect() as connection:
            total = connection.execute(select(func.count()).select_from(decisions)
                                       .where(where)).scalar_one()
            rows = connection.execute(
                select(decisions).where(where).order_by(decisions.c.seq.desc())
                .limit(max(0, limit)).offset(max(0, offset))
            ).all()
        return [StoredDecision(**row._mapping) for row in rows], int(total)

    @staticmethod
    def _filters(start: datetime | None, end: datetime | None, recommendation: str | None,
                 overridden: bool | None, rule_id: str | None, district: str | None,
                 model_version: str | None, disagreement: bool | None) -> list[Any]:
        c = decisions.c
        conditions: list[Any] = []
        if start is not None:
            conditions.append(c.created_at >= start)
        if end is not None:
            conditions.append(c.created_at < end)
        if recommendation is not None:
            conditions.append(c.recommendation == recommendation)
        if overridden is not None:
            conditions.append(c.overridden.is_(overridden))
        if rule_id is not None:
            escaped = _like_escape(rule_id)
            conditions.append(or_(
                c.rule_ids == rule_id,
                c.rule_ids.like(f"{escaped};%", escape="\\"),
                c.rule_ids.like(f"%;{escaped}", escape="\\"),
                c.rule_ids.like(f"%;{escaped};%", escape="\\"),
            ))
        if district is not None:
            conditions.append(c.district == district)
        if model_version is not None:
            conditions.append(c.model_version == model_version)
        if disagreement is True:
            conditions.append(and_(c.model_recommendation.is_not(None),
                                   c.model_recommendation != c.recommendation))
        elif disagreement is False:
            conditions.append(or_(c.model_recommendation.is_(None),
                                  c.model_recommendation == c.recommendation))
        return conditions

    def iter_decisions(self, start: datetime | None = None,
                       end: datetime | None = None) -> Iterator[StoredDecision]:
        """Every decision in [start, end) in chain order, streamed (for reports, exports)."""
        where = and_(True, *self._filters(start, end, None, None, None, None, None, None))
        with self._unavailable_as_error(), self.engine.connect() as connection:
            result = connection.execution_options(yield_per=500).execute(
                select(decisions).where(where).order_by(decisions.c.seq))
            for row in result:
                yield StoredDecision(**row._mapping)

    # -- outcomes ---------------------------------------------------------------------

    def append_outcome(self, decision_id: str, body: Mapping[str, Any], *,
                       client_role: str) -> StoredOutcome:
        """Store what was actually sent for a decision (a correction is another outcome).

        `body["responder_sent"]`, when present, is also kept in its own column so that
        reports can compare it with the recommendation in SQL.
        """
        if self.get_decision(decision_id) is None:
            raise UnknownDecisionError(f"no decision {decision_id!r} in the audit log")
        sent = body.get("responder_sent")
        values = {
            "outcome_id": str(uuid.uuid4()),
            "decision_id": decision_id,
            "created_at": datetime.now(UTC),
            "client_role": client_role,
            "responder_sent": sent if isinstance(sent, str) else None,
            "body_json": orjson.dumps(dict(body), option=orjson.OPT_SORT_KEYS).decode(),
        }
        with self._locked("outcomes") as (connection, seq, prev_hash):
            row = {**values, "seq": seq + 1, "prev_hash": prev_hash}
            row["row_hash"] = chain.row_hash(row)
            connection.execute(_INSERT_OUTCOME, row)
            _move_head(connection, "outcomes", row["seq"], row["row_hash"])
        return StoredOutcome(**row)

    def outcomes_for(self, decision_id: str) -> list[StoredOutcome]:
        """A decision's outcomes, oldest first (the last one is the current account)."""
        with self._unavailable_as_error(), self.engine.connect() as connection:
            rows = connection.execute(select(outcomes).where(outcomes.c.decision_id == decision_id)
                                      .order_by(outcomes.c.seq)).all()
        return [StoredOutcome(**row._mapping) for row in rows]

    def outcomes_by_decision(self, start: datetime | None = None,
                             end: datetime | None = None) -> dict[str, list[StoredOutcome]]:
        """The outcomes of every decision made in [start, end), oldest first, in one query
        (reports and label exports read them all; one query per decision would crawl)."""
        where = and_(True, *self._filters(start, end, None, None, None, None, None, None))
        found: dict[str, list[StoredOutcome]] = {}
        with self._unavailable_as_error(), self.engine.connect() as connection:
            result = connection.execution_options(yield_per=1000).execute(
                select(outcomes).where(outcomes.c.decision_id.in_(
                    select(decisions.c.decision_id).where(where))).order_by(outcomes.c.seq))
            for row in result:
                found.setdefault(row.decision_id, []).append(StoredOutcome(**row._mapping))
        return found

    # -- verification -----------------------------------------------------------------

    def verify(self) -> VerifyResult:
        """Re-hash every row in order; report the first row whose hash or link is wrong."""
        checked = 0
        with self._unavailable_as_error(), self.engine.connect() as connection:
            heads = {row.chain: row for row in connection.execute(select(chain_heads))}
            for name, table in CHAINED.items():
                broken, count, last = self._verify_table(connection, name, table)
                checked += count
                if broken is not None:
                    return VerifyResult(False, checked, broken)
                head = heads.get(name)
                if head is None or (head.seq, head.row_hash) != last[:2]:
                    return VerifyResult(False, checked, BrokenRow(
                        name, last[0], last[2],
                        f"the chain head records row {head.seq if head else '?'} as the last "
                        f"but the table ends at row {last[0]} (rows deleted from the end?)"))
        return VerifyResult(True, checked, None)

    @staticmethod
    def _verify_table(connection: Connection, name: str, table: Any
                      ) -> tuple[BrokenRow | None, int, tuple[int, str, str | None]]:
        prev_seq, prev_hash, prev_id = 0, chain.GENESIS, None
        count = 0
        columns = HASHED_COLUMNS[name]
        result = connection.execution_options(yield_per=1000).execute(
            select(table).order_by(table.c.seq))
        for row in result:
            count += 1
            data: Row[Any] = row
            mapping = data._mapping
            content = {column: mapping[column] for column in columns}
            decision_id = mapping["decision_id"]
            if mapping["seq"] != prev_seq + 1:
                why = (f"expected row {prev_seq + 1} after row {prev_seq}, found row "
                       f"{mapping['seq']} (row deleted?)")
                return BrokenRow(name, mapping["seq"], decision_id, why), count, (0, "", None)
            if mapping["prev_hash"] != prev_hash:
                why = "prev_hash does not match the previous row's hash (row edited or removed)"
                return BrokenRow(name, mapping["seq"], decision_id, why), count, (0, "", None)
            if chain.row_hash(content) != mapping["row_hash"]:
                why = "row_hash does not match the row's content (row edited)"
                return BrokenRow(name, mapping["seq"], decision_id, why), count, (0, "", None)
            prev_seq, prev_hash, prev_id = mapping["seq"], mapping["row_hash"], decision_id
        return None, count, (prev_seq, prev_hash, prev_id)
