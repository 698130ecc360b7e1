"""The local spool: where decisions wait, durably, while the audit database is away.

One append-only JSON-lines file, `<home>/spool/decisions.jsonl`. Each append is
written, flushed and fsync'd under an exclusive `flock` before the caller answers, so a
decision is never lost even if the process dies right after responding; the lock also
makes the file safe to share between worker processes. `drain` replays the lines into
the store in order (the store skips decision ids it already holds, so a drain that is
interrupted half-way and repeated adds no duplicates) and only then empties the file.
A line that cannot be parsed (a write torn by a crash before its response was sent) is
moved to `rejected-<time>.jsonl` beside the spool for a person to look at, never dropped.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from data.errors import FifthBranchError
from data.schema import CallRecord
from model.decision import Decision
from serving.audit.store import AuditStore

log = logging.getLogger("fifthbranch.audit")

SPOOL_FILE = "decisions.jsonl"


class SpoolError(FifthBranchError):
    """The spool file cannot be written: the decision cannot be made durable."""


class Spool:
    """Decisions as JSON lines, fsync'd, waiting for the audit database to come back."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / SPOOL_FILE

    @contextmanager
    def _locked(self, mode: str) -> Iterator[IO[bytes]]:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, mode)  # noqa: SIM115 (closed below, after unlocking)
        except OSError as error:
            raise SpoolError(f"cannot open the audit spool {self.path}: {error}") from error
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            handle.close()

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry durably (fsync) or raise `SpoolError`."""
        line = orjson.dumps(entry) + b"\n"
        try:
            with self._locked("ab") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise SpoolError(f"cannot write the audit spool {self.path}: {error}") from error

    def entries(self) -> list[dict[str, Any]]:
        """Every readable entry, oldest first (torn lines are skipped here, kept on disk)."""
        if not self.path.exists():
            return []
        with self._locked("rb") as handle:
            return _parse(handle.read())[0]

    def depth(self) -> int:
        """How many decisions wait in the spool."""
        try:
            with open(self.path, "rb") as handle:
                return handle.read().count(b"\n")
        except FileNotFoundError:
            return 0
        except OSError:
            return -1

    def find(self, *, decision_id: str | None = None,
             idempotency_key: str | None = None) -> dict[str, Any] | None:
        """A spooled entry by decision id or idempotency key (for retries while spooling)."""
        for entry in self.entries():
            if decision_id is not None and entry.get("decision_id") == decision_id:
                return entry
            if idempotency_key is not None and entry.get("idempotency_key") == idempotency_key:
                return entry
        return None

    def drain(self, store: AuditStore) -> int:
        """Move every spooled decision into the store, in order; return how many.

        Raises `AuditUnavailableError` if the database goes away again; what was already
        stored stays stored and the rest stays in the spool.
        """
        if not self.path.exists():
            return 0
        with self._locked("r+b") as handle:
            entries, torn = _parse(handle.read())
            for entry in entries:
                store_entry(store, entry)
            if torn:
                rejected = self.directory / f"rejected-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.jsonl"
                rejected.write_bytes(b"\n".join(torn) + b"\n")
                log.error("audit spool: %d unreadable line(s) moved to %s", len(torn), rejected)
            handle.seek(0)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        if entries:
            log.warning("audit spool: drained %d decision(s) into the audit database",
                        len(entries))
        return len(entries)


def spool_entry(*, request_json: str, response_json: str, decision_id: str, client_role: str,
                latency_ms: float, run_id: str | None,
                idempotency_key: str | None) -> dict[str, Any]:
    """What the spool keeps for one decision: enough to store it exactly later."""
    return {
        "decision_id": decision_id,
        "request_json": request_json,
        "response_json": response_json,
        "client_role": client_role,
        "latency_ms": latency_ms,
        "run_id": run_id,
        "idempotency_key": idempotency_key,
        "spooled_at": datetime.now(UTC).isoformat(),
    }


def store_entry(store: AuditStore, entry: dict[str, Any]) -> None:
    """Append one spooled decision (a no-op if its decision id is already stored)."""
    store.append_decision(
        CallRecord.model_validate_json(entry["request_json"]),
        Decision.model_validate_json(entry["response_json"]),
        client_role=entry["client_role"],
        latency_ms=entry["latency_ms"],
        run_id=entry.get("run_id"),
        idempotency_key=entry.get("idempotency_key"),
        request_json=entry["request_json"],
        response_json=entry["response_json"],
    )


def _parse(content: bytes) -> tuple[list[dict[str, Any]], list[bytes]]:
    entries: list[dict[str, Any]] = []
    torn: list[bytes] = []
    for line in content.split(b"\n"):
        if not line.strip():
            continue
        try:
            entries.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            torn.append(line)
    return entries, torn
