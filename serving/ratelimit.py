"""Per-key rate limits: a token bucket per API key, in memory, per process.

Why: one misbehaving client (a CAD integration stuck in a retry loop, a leaked key in a
script) must not starve the other consoles of the one service that advises dispatch.
Each key gets its own bucket, so a flood from one key never touches another key's
budget. A request over the budget gets a 429 with `Retry-After` (whole seconds, at
least 1) before its body is read, and is never decided or recorded.

`FIFTHBRANCH_RATE_LIMIT` is `RATE` or `RATE:BURST`: RATE requests per second sustained,
BURST requests at once (default twice RATE); `off` (or `0`) turns limiting off. The
default, `50:100`, is far above a dispatch centre's call rate and well below what the
service can answer. Buckets live in the process: with `--workers N` a key may make up
to N times the limit, and a restart refills every bucket. A batch counts as one
request (it is bounded at 1,000 records and its body is already limited).

Buckets are keyed by a hash of the key, never the key itself, so a memory dump or a
debug print shows no secret; keys that stop arriving are dropped after a while.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from data.errors import ConfigurationError

RATE_LIMIT_ENV = "FIFTHBRANCH_RATE_LIMIT"
DEFAULT_RATE_LIMIT = "50:100"
#: A bucket unused for this long is full again anyway: forget it (bounded memory).
IDLE_SECONDS = 600.0


@dataclass(frozen=True)
class RateLimit:
    """`rate` tokens per second, at most `burst` at once."""

    rate: float
    burst: float

    def describe(self) -> str:
        return f"{self.rate:g} requests/s, burst {self.burst:g}"


def parse_rate_limit(spec: str | None) -> RateLimit | None:
    """`RATE[:BURST]` as a `RateLimit`, None for `off`/`0`; `ConfigurationError` if bad."""
    text = (DEFAULT_RATE_LIMIT if spec is None or not spec.strip() else spec).strip().lower()
    if text in ("off", "0", "none", "unlimited"):
        return None
    rate_text, _, burst_text = text.partition(":")
    try:
        rate = float(rate_text)
        burst = float(burst_text) if burst_text else 2 * rate
    except ValueError:
        rate = burst = math.nan
    if not (math.isfinite(rate) and math.isfinite(burst)) or rate <= 0 or burst < 1:
        raise ConfigurationError(
            f"{RATE_LIMIT_ENV}={spec!r} is not RATE or RATE:BURST (e.g. 50:100 for 50 "
            "requests/s with bursts of 100; 'off' to disable); BURST must be at least 1")
    return RateLimit(rate, burst)


def rate_limit_from_env() -> RateLimit | None:
    return parse_rate_limit(os.environ.get(RATE_LIMIT_ENV))


class RateLimiter:
    """Token buckets per key; `take(key)` returns 0 when allowed, else seconds to wait."""

    def __init__(self, limit: RateLimit | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        #: hashed key -> (tokens, time of the last refill)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._last_sweep = clock()

    @staticmethod
    def bucket_id(key: str) -> str:
        """A non-reversible name for a key (buckets never hold the key itself)."""
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]

    def take(self, key: str) -> float:
        """Spend one token of `key`'s bucket: 0.0 if allowed, else seconds until one is."""
        limit = self.limit
        if limit is None:
            return 0.0
        name = self.bucket_id(key)
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(name, (limit.burst, now))
            tokens = min(limit.burst, tokens + (now - last) * limit.rate)
            if tokens >= 1.0:
                self._buckets[name] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[name] = (tokens, now)
                wait = (1.0 - tokens) / limit.rate
            self._sweep(now)
        return wait

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < IDLE_SECONDS:
            return
        self._last_sweep = now
        for name, (_, last) in list(self._buckets.items()):
            if now - last > IDLE_SECONDS:
                del self._buckets[name]


def retry_after(wait: float) -> str:
    """`Retry-After` holds whole seconds: round up, never 0 (a client would spin)."""
    return str(max(1, math.ceil(wait)))
