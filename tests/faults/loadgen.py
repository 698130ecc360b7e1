"""A bounded async load generator for a live Fifth Branch server (httpx, loopback only).

N clients run for D seconds, each in a loop: a single recommendation, a batch, or an
auditor read (the decision list, or one decision this run was given), by configured
shares. Every answer is counted by kind and status with its latency; every decision id
received with a 200 is kept, because the point is the audit log afterwards: exactly one
row per acknowledged decision. Transport errors (a killed server, a timeout) are counted
apart: the client never learned the decision, so it was never acknowledged.

The loop is bounded twice (the duration and `max_requests`) and targets only the URL it
is given, which the callers keep on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

KINDS = ("single", "batch", "read_list", "read_one")


def calls_from_history(rows: int = 400, seed: int = 11) -> list[dict[str, Any]]:
    """Realistic call records (API layout) from the synthetic history generator."""
    from data.generator import generate_frame
    from data.schema import QUESTION_KEYS

    frame = generate_frame(rows, seed=seed)
    calls = []
    for row in frame.to_dict("records"):
        call: dict[str, Any] = {"call_id": str(row["call_id"]), "narrative": row["narrative"],
                                "questionnaire": {key: row[f"q_{key}"] for key in QUESTION_KEYS
                                                  if isinstance(row.get(f"q_{key}"), str)}}
        for name in ("call_type", "district"):
            if isinstance(row.get(name), str) and row[name]:
                call[name] = row[name]
        if row.get("received_at") is not None:
            call["received_at"] = row["received_at"].isoformat()
        calls.append(call)
    return calls


@dataclass
class LoadConfig:
    """What to send, how hard and for how long."""

    base_url: str
    dispatch_key: str | None
    auditor_key: str | None
    clients: int = 32
    duration: float = 60.0
    batch_share: float = 0.15
    read_share: float = 0.15
    batch_sizes: tuple[int, int] = (2, 8)
    timeout: float = 15.0
    max_requests: int = 2_000_000
    seed: int = 0
    calls: list[dict[str, Any]] = field(default_factory=list)
    #: Set to end the run early (the duration stays the upper bound).
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass
class LoadResult:
    """What the clients saw."""

    acknowledged: set[str] = field(default_factory=set)
    duplicated_ids: int = 0
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    transport_errors: Counter[str] = field(default_factory=Counter)
    bad_bodies: list[str] = field(default_factory=list)
    #: (seconds since the start, kind, status; -1 for a transport error) per request.
    timeline: list[tuple[float, str, int]] = field(default_factory=list)
    calls_sent: int = 0
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.transport_errors.values())

    def count(self, predicate: Callable[[str, int], bool]) -> int:
        return sum(n for (kind, status), n in self.statuses.items() if predicate(kind, status))

    def between(self, start: float, end: float) -> Counter[tuple[str, int]]:
        """(kind, status) counts of the requests that ended in [start, end) seconds."""
        return Counter((kind, status) for at, kind, status in self.timeline
                       if start <= at < end)

    @property
    def server_errors(self) -> int:
        return self.count(lambda _kind, status: status >= 500)

    def percentiles(self, kind: str | None = None) -> dict[str, float]:
        """p50/p90/p99/max in milliseconds over answered requests (of one kind or all)."""
        values = sorted(v for k, vs in self.latencies.items() if kind in (None, k) for v in vs)
        if not values:
            return {}

        def at(q: float) -> float:
            return values[min(len(values) - 1, int(q * len(values)))] * 1000

        return {"p50": at(0.50), "p90": at(0.90), "p99": at(0.99), "max": values[-1] * 1000}

    def summary(self) -> str:
        """A few lines for a person: throughput, statuses, percentiles per kind."""
        lines = [f"{self.requests} requests in {self.elapsed:.1f} s "
                 f"({self.requests / max(self.elapsed, 1e-9):.0f}/s), {self.calls_sent} calls "
                 f"sent, {len(self.acknowledged)} decisions acknowledged (200)"]
        by_status = Counter[int]()
        for (_, status), n in self.statuses.items():
            by_status[status] += n
        lines.append("statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(by_status.items()))
                     + (f"; transport errors: {dict(self.transport_errors)}"
                        if self.transport_errors else ""))
        for kind in (*KINDS, None):
            p = self.percentiles(kind)
            if not p:
                continue
            n = len(self.latencies[kind]) if kind else sum(map(len, self.latencies.values()))
            figures = "  ".join(f"{name} {value:7.1f} ms" for name, value in p.items())
            lines.append(f"  {kind or 'all':9s} n={n:6d}  {figures}")
        return "\n".join(lines)


class _Run:
    """One load run's shared state (the clients are tasks of one event loop)."""

    def __init__(self, config: LoadConfig) -> None:
        self.config = config
        self.result = LoadResult()
        self.deadline = 0.0
        self.sequence = 0
        self.started = 0.0
        self.rng = random.Random(config.seed)
        self.calls = config.calls or [{"call_id": "x", "narrative": "man sleeping in doorway"}]
        #: Recently acknowledged ids, for auditor reads of single decisions.
        self.recent: list[str] = []

    def _next_call(self, client: int) -> dict[str, Any]:
        self.sequence += 1
        call = dict(self.rng.choice(self.calls))
        call["call_id"] = f"L{self.config.seed}-{client}-{self.sequence}"[:64]
        return call

    def _budget_left(self) -> bool:
        return (time.monotonic() < self.deadline and not self.config.stop.is_set()
                and self.result.requests < self.config.max_requests)

    def _ack(self, decision: Any) -> None:
        decision_id = decision.get("decision_id") if isinstance(decision, dict) else None
        if not isinstance(decision_id, str):
            self.result.bad_bodies.append(f"no decision_id in {str(decision)[:200]}")
            return
        if decision_id in self.result.acknowledged:
            self.result.duplicated_ids += 1
        self.result.acknowledged.add(decision_id)
        self.recent.append(decision_id)
        del self.recent[:-1000]

    async def client(self, index: int, http: httpx.AsyncClient) -> None:
        config = self.config
        dispatch = {"Authorization": f"Bearer {config.dispatch_key}"} if config.dispatch_key \
            else {}
        auditor = {"Authorization": f"Bearer {config.auditor_key}"} if config.auditor_key \
            else {}
        while self._budget_left():
            roll = self.rng.random()
            if roll < config.read_share:
                known = self.rng.choice(self.recent) if self.recent else None
                if known is not None and self.rng.random() < 0.5:
                    kind, request = "read_one", http.build_request(
                        "GET", f"/v1/decisions/{known}", headers=auditor)
                else:
                    kind, request = "read_list", http.build_request(
                        "GET", "/v1/decisions", params={"limit": 20}, headers=auditor)
                calls = 0
            elif roll < config.read_share + config.batch_share:
                calls = self.rng.randint(*config.batch_sizes)
                kind, request = "batch", http.build_request(
                    "POST", "/v1/recommendations/batch", headers=dispatch,
                    json={"calls": [self._next_call(index) for _ in range(calls)]})
            else:
                calls = 1
                kind, request = "single", http.build_request(
                    "POST", "/v1/recommendations", headers=dispatch,
                    json=self._next_call(index))
            await self._send(http, kind, request, calls)

    async def _send(self, http: httpx.AsyncClient, kind: str, request: httpx.Request,
                    calls: int) -> None:
        started = time.perf_counter()
        self.result.calls_sent += calls
        try:
            answer = await http.send(request)
        except httpx.HTTPError as error:
            self.result.transport_errors[type(error).__name__] += 1
            self.result.timeline.append((time.monotonic() - self.started, kind, -1))
            await asyncio.sleep(0.05)  # a dead server must not turn the loop into a spin
            return
        self.result.latencies[kind].append(time.perf_counter() - started)
        self.result.statuses[(kind, answer.status_code)] += 1
        self.result.timeline.append((time.monotonic() - self.started, kind, answer.status_code))
        if answer.status_code == 200 and kind in ("single", "batch"):
            try:
                body = answer.json()
            except ValueError:
                self.result.bad_bodies.append(f"{kind}: not JSON: {answer.text[:200]}")
                return
            for decision in (body.get("decisions", []) if kind == "batch" else [body]):
                self._ack(decision)
        elif answer.status_code == 429:
            with contextlib.suppress(ValueError):
                await asyncio.sleep(min(float(answer.headers.get("Retry-After", "1")), 1.0))


async def run_load(config: LoadConfig) -> LoadResult:
    """Run the clients until the duration (or request budget) is spent; what they saw."""
    run = _Run(config)
    limits = httpx.Limits(max_connections=config.clients, max_keepalive_connections=config.clients)
    started = run.started = time.monotonic()
    run.deadline = started + config.duration
    async with httpx.AsyncClient(base_url=config.base_url, timeout=config.timeout,
                                 limits=limits) as http:
        await asyncio.gather(*(run.client(i, http) for i in range(config.clients)))
    run.result.elapsed = time.monotonic() - started
    return run.result


class BackgroundLoad:
    """`run_load` in a thread, so that a test can break things while it runs."""

    def __init__(self, config: LoadConfig) -> None:
        self.config = config
        self.started = 0.0
        self._result: LoadResult | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="load", daemon=True)

    def _run(self) -> None:
        try:
            self._result = asyncio.run(run_load(self.config))
        except BaseException as error:  # reported by join()
            self._error = error

    def start(self) -> BackgroundLoad:
        self.started = time.monotonic()
        self._thread.start()
        return self

    def at(self, seconds: float) -> None:
        """Sleep until `seconds` after the start of the load."""
        time.sleep(max(0.0, self.started + seconds - time.monotonic()))

    def stop(self) -> LoadResult:
        """End the run now (clients finish their request in flight); what they saw."""
        self.config.stop.set()
        return self.join()

    def join(self) -> LoadResult:
        self._thread.join(timeout=self.config.duration + self.config.timeout + 60)
        if self._error is not None:
            raise self._error
        assert self._result is not None, "the load did not finish"
        return self._result
