"""The local spool: where decisions wait, durably, while the audit database is away.

Decisions are JSON lines in `<home>/spool/decisions.jsonl`. Each append is written and
fsync'd under an exclusive `flock` before the caller answers, so a decision is never
lost even if the process dies right after responding; the lock also makes the file safe
to share between worker processes. A write that fails half-way (a full disk) is cut
back to where it started, so a torn line can never swallow the next decision.

Draining never holds up new decisions. Under the caller's ordering lock the live file is
renamed to `draining-<time>-<pid>.jsonl` (an atomic rename; appenders that raced the
rename notice the file they locked is no longer the live one and reopen); new decisions
then queue in a fresh live file, behind the draining ones, while the drainer stores the
renamed file in order, a few hundred decisions per transaction, and deletes it only
once all are committed. The store skips decision ids it already holds, so a drain
interrupted by a crash or a new outage is simply repeated. Only one drainer runs at a
time (a `flock` on `drain.lock`), and leftover draining files, oldest first, go before
the live file. A line that cannot be parsed (a write torn by a crash before its
response was sent) is moved to `rejected-<time>.jsonl` for a person, never dropped.
Spooled decisions hold narratives: the folder is 0700 and its files 0600.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from data.errors import FifthBranchError
from data.schema import CallRecord
from model.decision import Decision
from serving.audit.store import AuditStore

log = logging.getLogger("fifthbranch.audit")

SPOOL_FILE = "decisions.jsonl"
DRAINING_GLOB = "draining-*.jsonl"
DRAIN_LOCK = "drain.lock"
#: Decisions stored per transaction while draining (one chain-head lock each).
DRAIN_BATCH = 250


class SpoolError(FifthBranchError):
    """The spool file cannot be written: the decision cannot be made durable."""


class Spool:
    """Decisions as JSON lines, fsync'd, waiting for the audit database to come back."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / SPOOL_FILE

    # -- the live file ---------------------------------------------------------------

    @contextmanager
    def _locked_live(self) -> Iterator[int]:
        """An fd of the live file, exclusively locked, that still *is* the live file.

        A drainer may rename the file between our open and our lock: then the locked
        inode is a draining file, and writing to it could lose the entry; reopen.
        """
        for _ in range(100):
            try:
                self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
                fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            except OSError as error:
                raise SpoolError(f"cannot open the audit spool {self.path}: "
                                 f"{_reason(error)}") from error
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    current = os.stat(self.path).st_ino
                except FileNotFoundError:
                    current = -1
                if current == os.fstat(fd).st_ino:
                    yield fd
                    return
            finally:
                with contextlib.suppress(OSError):
                    fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
        raise SpoolError(f"cannot lock the audit spool {self.path}: it keeps being replaced")

    def append(self, entry: dict[str, Any]) -> None:
        """Write one entry durably (fsync) or raise `SpoolError`, leaving no torn line."""
        line = orjson.dumps(entry) + b"\n"
        with self._locked_live() as fd:
            start = os.fstat(fd).st_size
            if start and os.pread(fd, 1, start - 1) != b"\n":
                line = b"\n" + line  # a crash tore the last line: never glue onto it
            try:
                view = memoryview(line)
                while view:
                    written = os.write(fd, view)
                    if written <= 0:
                        raise OSError(errno.EIO, "short write")
                    view = view[written:]
                os.fsync(fd)
            except OSError as error:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, start)
                    os.fsync(fd)
                raise SpoolError(f"cannot write the audit spool {self.path}: "
                                 f"{_reason(error)}") from error

    def writable(self, probe_bytes: int = 16 * 1024) -> bool:
        """Whether a decision's worth of bytes can be written and fsync'd here now
        (a probe file, removed again; the live file is never touched)."""
        probe = self.directory / f".probe-{os.getpid()}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                complete = os.write(fd, b"\0" * probe_bytes) == probe_bytes
                os.fsync(fd)
            finally:
                os.close(fd)
            return complete
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                probe.unlink()

    # -- reading ---------------------------------------------------------------------

    def files(self) -> list[Path]:
        """Draining files, oldest first, then the live file (those that exist)."""
        try:
            draining = sorted(self.directory.glob(DRAINING_GLOB))
        except OSError:
            draining = []
        return [*draining, *([self.path] if self.path.exists() else [])]

    def waiting(self) -> bool:
        """Whether any decision waits (cheap: called before every direct write)."""
        try:
            if self.path.stat().st_size > 0:
                return True
        except FileNotFoundError:
            pass
        try:
            return any(True for _ in self.directory.glob(DRAINING_GLOB))
        except OSError:
            return False

    def entries(self) -> list[dict[str, Any]]:
        """Every readable entry, oldest first (torn lines are skipped here, kept on disk)."""
        found: list[dict[str, Any]] = []
        for path in self.files():
            with contextlib.suppress(FileNotFoundError):
                found.extend(_parse(path.read_bytes())[0])
        return found

    def depth(self) -> int:
        """How many decisions wait in the spool; -1 if it cannot be read."""
        total = 0
        try:
            for path in self.files():
                with contextlib.suppress(FileNotFoundError):
                    total += path.read_bytes().count(b"\n")
        except OSError:
            return -1
        return total

    def find(self, *, decision_id: str | None = None,
             idempotency_key: str | None = None) -> dict[str, Any] | None:
        """A spooled entry by decision id or idempotency key (for retries while spooling)."""
        for entry in self.entries():
            if decision_id is not None and entry.get("decision_id") == decision_id:
                return entry
            if idempotency_key is not None and entry.get("idempotency_key") == idempotency_key:
                return entry
        return None

    # -- draining --------------------------------------------------------------------

    def drain(self, store: AuditStore,
              ordering: AbstractContextManager[Any] | None = None) -> int:
        """Move every spooled decision into the store, in order; return how many.

        `ordering` is held only while the live file is renamed aside (the caller's lock
        that orders spool appends against direct writes), never while storing. Raises
        `AuditUnavailableError` if the database goes away again; what was stored stays
        stored and the rest stays in the spool. Returns 0 at once if another process
        or thread is draining.
        """
        with self._drain_lock() as mine:
            if not mine:
                return 0
            moved = 0
            while True:
                pending = sorted(self.directory.glob(DRAINING_GLOB))
                if not pending:
                    with ordering or contextlib.nullcontext():
                        rotated = self._rotate()
                    if rotated is None:
                        break
                    pending = [rotated]
                for path in pending:
                    moved += self._drain_file(path, store)
        if moved:
            log.warning("audit spool: drained %d decision(s) into the audit database", moved)
        return moved

    @contextmanager
    def _drain_lock(self) -> Iterator[bool]:
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.directory / DRAIN_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise SpoolError(f"cannot open {self.directory / DRAIN_LOCK}: "
                             f"{_reason(error)}") from error
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)

    def _rotate(self) -> Path | None:
        """Rename a non-empty live file aside for draining; None when nothing waits."""
        if not self.path.exists():
            return None
        with self._locked_live() as fd:
            if os.fstat(fd).st_size == 0:
                return None
            target = self.directory / f"draining-{time.time_ns():020d}-{os.getpid()}.jsonl"
            os.rename(self.path, target)
            _fsync_directory(self.directory)
        return target

    def _drain_file(self, path: Path, store: AuditStore) -> int:
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return 0
        entries, torn = _parse(content)
        for start in range(0, len(entries), DRAIN_BATCH):
            store_entries(store, entries[start:start + DRAIN_BATCH])
        if torn:
            rejected = self.directory / f"rejected-{datetime.now(UTC):%Y%m%dT%H%M%S%f}.jsonl"
            fd = os.open(rejected, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:  # narratives: readable by the service only
                handle.write(b"\n".join(torn) + b"\n")
            log.error("audit spool: %d unreadable line(s) moved to %s", len(torn), rejected)
        path.unlink()
        _fsync_directory(self.directory)
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


def _arguments(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "record": CallRecord.model_validate_json(entry["request_json"]),
        "decision": Decision.model_validate_json(entry["response_json"]),
        "client_role": entry["client_role"],
        "latency_ms": entry["latency_ms"],
        "run_id": entry.get("run_id"),
        "idempotency_key": entry.get("idempotency_key"),
        "request_json": entry["request_json"],
        "response_json": entry["response_json"],
    }


def store_entry(store: AuditStore, entry: dict[str, Any]) -> None:
    """Append one spooled decision (a no-op if its decision id is already stored)."""
    store.append_decision(**_arguments(entry))


def store_entries(store: AuditStore, entries: list[dict[str, Any]]) -> int:
    """Append spooled decisions in order in one transaction; those already stored are
    skipped. Returns how many were new."""
    return store.append_decisions([_arguments(entry) for entry in entries])


def _fsync_directory(directory: Path) -> None:
    """Make a rename or unlink in `directory` durable (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "no space left on the device"
    return error.strerror or str(error)


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
