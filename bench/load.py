"""A closed-loop HTTP load: `concurrency` clients, each sending its next request when the
previous one has been answered, over keep-alive connections (httpx, asyncio).

Bodies are serialised before the clock starts, so the client's JSON work is not timed;
a latency is from sending a request to having read its whole response.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bench.results import percentile


@dataclass
class LoadResult:
    concurrency: int
    wall_seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(1 for status in self.statuses if status == 200)

    def summary(self) -> dict[str, float]:
        values = self.latencies_ms
        return {"requests": len(values), "ok": self.ok,
                "median_ms": statistics.median(values), "p90_ms": percentile(values, 90),
                "p99_ms": percentile(values, 99), "max_ms": max(values),
                "throughput_rps": len(values) / self.wall_seconds,
                "wall_seconds": self.wall_seconds}


async def _drive(url: str, bodies: list[bytes], headers: dict[str, str], concurrency: int,
                 keep_bodies: bool, tick: Callable[[], None], method: str) -> LoadResult:
    latencies: list[float] = [0.0] * len(bodies)
    statuses: list[int] = [0] * len(bodies)
    answers: list[bytes] = [b""] * len(bodies) if keep_bodies else []
    next_index = iter(range(len(bodies)))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as client:

        async def worker() -> None:
            for index in next_index:
                started = time.perf_counter()
                response = await client.request(method, url, content=bodies[index] or None)
                latencies[index] = (time.perf_counter() - started) * 1000
                statuses[index] = response.status_code
                if keep_bodies:
                    answers[index] = response.content
                tick()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return LoadResult(concurrency, wall, latencies, statuses, answers)


def drive(url: str, bodies: list[bytes], *, headers: dict[str, str], concurrency: int,
          keep_bodies: bool = False, tick: Callable[[], None] = lambda: None,
          method: str = "POST") -> LoadResult:
    """Send every body once, `concurrency` at a time; latencies in request order.

    With `method="GET"`, give empty bodies: one request is sent per item.
    """
    headers = {"Content-Type": "application/json", **headers}
    return asyncio.run(_drive(url, bodies, headers, concurrency, keep_bodies, tick, method))
