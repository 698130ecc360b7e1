"""Durable audit writes: the database when it answers, the local spool when it does not.

The server calls `record` before it sends a decision; it returns only once the decision
is committed to the database or fsync'd to the spool, and raises `SpoolError` when
neither is possible (the server then answers 503: no decision leaves unrecorded).
While anything waits in the spool, new decisions queue behind it, so the chain keeps
the order in which decisions were made; `maintain` (run by a background task) retries
the database and drains the spool when it is back. The drain holds the ordering lock
only to set the spooled file aside, never while storing, so requests keep being answered
(into the spool) at full speed while a long outage's backlog is written.

A database that hangs rather than refuses (a cut link that drops packets, a stuck
server) would otherwise hold every request for as long as it hangs: a request's direct
write gets `write_timeout` seconds (`BoundedRunner`), after which the database counts as down
and the decision goes to the spool. If the abandoned write commits later after all, the
drain skips that decision id: it is stored once either way.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from data.schema import CallRecord
from model.decision import Decision
from serving.audit.records import StoredDecision
from serving.audit.spool import Spool, SpoolError, spool_entry
from serving.audit.store import AuditStore, AuditUnavailableError

log = logging.getLogger("fifthbranch.audit")

#: Seconds a request waits for the database before spooling (a write takes milliseconds).
WRITE_TIMEOUT = 2.0
T = TypeVar("T")


class BoundedRunner:
    """Runs work on one daemon thread and waits at most so long for it.

    One long-lived thread rather than one per call: handing work to it costs tens of
    microseconds, a new thread about a millisecond, and every decision's write passes
    through here. A thread that overstays (a blocked socket read cannot be interrupted)
    is abandoned, and the next call gets a fresh one; being a daemon, an abandoned
    thread never holds up the process's exit.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] | None = None
        self._lock = threading.Lock()

    def _queue(self) -> queue.SimpleQueue[Callable[[], None]]:
        with self._lock:
            if self._jobs is None:
                jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
                threading.Thread(target=_serve, args=(jobs,), name="audit-write",
                                 daemon=True).start()
                self._jobs = jobs
            return self._jobs

    def run(self, seconds: float, what: str, work: Callable[[], T]) -> T:
        """`work()`, or `AuditUnavailableError` if it has not finished after `seconds`."""
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def job() -> None:
            try:
                outcome["value"] = work()
            except BaseException as error:  # handed to the caller below
                outcome["error"] = error
            finally:
                done.set()

        jobs = self._queue()
        jobs.put(job)
        if not done.wait(seconds):
            with self._lock:
                if self._jobs is jobs:
                    self._jobs = None  # abandon the stuck thread
            raise AuditUnavailableError(f"{what} did not answer within {seconds:g} s")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]


def _serve(jobs: queue.SimpleQueue[Callable[[], None]]) -> None:
    while True:
        jobs.get()()


@dataclass(frozen=True)
class AuditHealth:
    """What readiness and metrics report about the audit log."""

    store_up: bool
    spool_depth: int
    reason: str | None
    #: Why the last spool write failed (a full disk), until one succeeds again.
    spool_failure: str | None = None


class DurableAudit:
    """The audit store with the spool as its fallback; see the module docstring."""

    def __init__(self, store: AuditStore, spool: Spool,
                 write_timeout: float = WRITE_TIMEOUT) -> None:
        self.store = store
        self.spool = spool
        self.write_timeout = write_timeout
        self._runner = BoundedRunner()
        self.store_up = False
        self.reason: str | None = "audit store not started"
        self.spool_failure: str | None = None
        self._order = threading.Lock()

    def start(self) -> None:
        """Migrate the schema; if the database is away, start spooling (and say so)."""
        try:
            self.store.migrate()
        except AuditUnavailableError as error:
            self._down(error)
            return
        self.store_up, self.reason = True, None

    def _down(self, error: Exception) -> None:
        if self.store_up or self.reason != str(error):
            log.error("%s; decisions go to the spool %s until it returns", error, self.spool.path)
        self.store_up, self.reason = False, str(error)

    def _spool_waiting(self) -> bool:
        return self.spool.waiting()

    def record(self, record: CallRecord, decision: Decision, *, request_json: str,
               response_json: str, client_role: str, latency_ms: float, run_id: str | None,
               idempotency_key: str | None) -> StoredDecision | None:
        """Make one decision durable; the stored row, or None when it went to the spool."""
        with self._order:
            if self.store_up and not self._spool_waiting():
                try:
                    return self._runner.run(
                        self.write_timeout, f"audit database {self.store.safe_url}",
                        lambda: self.store.append_decision(
                            record, decision, client_role=client_role, latency_ms=latency_ms,
                            run_id=run_id, idempotency_key=idempotency_key,
                            request_json=request_json, response_json=response_json))
                except AuditUnavailableError as error:
                    self._down(error)
            try:
                self.spool.append(spool_entry(
                    request_json=request_json, response_json=response_json,
                    decision_id=decision.decision_id, client_role=client_role,
                    latency_ms=latency_ms, run_id=run_id, idempotency_key=idempotency_key))
            except SpoolError as error:
                self.spool_failure = str(error)  # readiness says so until a write succeeds
                raise
            self.spool_failure = None
            return None

    def find_idempotent(self, key: str) -> dict[str, Any] | None:
        """A decision already made under this key: `request_json` and `response_json`."""
        if self.store_up:
            try:
                found = self._runner.run(self.write_timeout,
                                         f"audit database {self.store.safe_url}",
                                         lambda: self.store.find_by_idempotency_key(key))
            except AuditUnavailableError as error:
                self._down(error)
            else:
                if found is not None:
                    return {"request_json": found.request_json,
                            "response_json": found.response_json}
        if self._spool_waiting():
            return self.spool.find(idempotency_key=key)
        return None

    def maintain(self) -> int:
        """Reconnect if needed and drain the spool; return how many decisions moved."""
        if self.spool_failure is not None and self.spool.writable():
            log.warning("the audit spool %s takes writes again", self.spool.path)
            self.spool_failure = None
        if not self.store_up:
            try:
                self.store.migrate()
            except AuditUnavailableError as error:
                self._down(error)
                return 0
            log.warning("audit database %s is back", self.store.safe_url)
            self.store_up, self.reason = True, None
        if not self._spool_waiting():
            return 0
        try:
            return self.spool.drain(self.store, ordering=self._order)
        except AuditUnavailableError as error:
            self._down(error)
            return 0

    def health(self) -> AuditHealth:
        depth = self.spool.depth()
        reason = self.reason
        if reason is None and depth > 0:
            reason = f"{depth} decision(s) waiting in the spool"
        return AuditHealth(self.store_up, depth, reason, self.spool_failure)
