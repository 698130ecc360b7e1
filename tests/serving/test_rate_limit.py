"""Per-key rate limits: token buckets, the 429 with Retry-After, and the env setting."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from data.errors import ConfigurationError
from serving.audit import AuditStore
from serving.ratelimit import (
    DEFAULT_RATE_LIMIT,
    RATE_LIMIT_ENV,
    RateLimit,
    RateLimiter,
    parse_rate_limit,
    retry_after,
)
from tests.serving.conftest import CALL, KEYS, auth


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("spec", "expected"), [
    (None, parse_rate_limit(DEFAULT_RATE_LIMIT)),
    ("", parse_rate_limit(DEFAULT_RATE_LIMIT)),
    ("10", RateLimit(10, 20)),
    (" 2.5:4 ", RateLimit(2.5, 4)),
    ("off", None),
    ("0", None),
])
def test_the_setting_reads_rate_and_burst(spec: str | None, expected: RateLimit | None) -> None:
    assert parse_rate_limit(spec) == expected


def test_the_default_is_documented_and_generous() -> None:
    assert parse_rate_limit(None) == RateLimit(50, 100)


@pytest.mark.parametrize("spec", ["fast", "-1", "10:0", "nan", "inf", "10:x", "5:2:1"])
def test_a_bad_setting_is_refused_with_its_name(spec: str) -> None:
    with pytest.raises(ConfigurationError, match=RATE_LIMIT_ENV):
        parse_rate_limit(spec)


def test_a_bucket_allows_its_burst_then_refills_at_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(rate=2, burst=3), clock=clock)
    assert [limiter.take("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("k") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.take("k") == 0.0
    assert limiter.take("k") > 0
    clock.now += 60  # never more than the burst, however long the pause
    assert [limiter.take("k") for _ in range(4)][-1] > 0


def test_keys_have_separate_buckets_named_by_hash() -> None:
    limiter = RateLimiter(RateLimit(rate=1, burst=1), clock=FakeClock())
    assert limiter.take("secret-a") == 0.0
    assert limiter.take("secret-a") > 0
    assert limiter.take("secret-b") == 0.0
    assert all("secret" not in name for name in limiter._buckets)


def test_idle_buckets_are_forgotten() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(rate=1, burst=1), clock=clock)
    for index in range(50):
        limiter.take(f"key-{index}")
    clock.now += 10_000
    limiter.take("fresh")
    assert len(limiter._buckets) == 1


def test_retry_after_is_whole_seconds_and_never_zero() -> None:
    assert [retry_after(w) for w in (0.001, 0.5, 1.0, 1.2, 7.9)] == ["1", "1", "1", "2", "8"]


def test_unlimited_never_waits() -> None:
    limiter = RateLimiter(None)
    assert all(limiter.take("k") == 0.0 for _ in range(1000))


def _count(sqlite_url: str) -> int:
    store = AuditStore.from_url(sqlite_url)
    try:
        return store.list_decisions(limit=1)[1]
    finally:
        store.close()


def test_over_the_limit_is_429_with_retry_after_and_nothing_recorded(
        make_client: Callable[..., TestClient], sqlite_url: str) -> None:
    client = make_client(sqlite_url, rate_limit=RateLimit(rate=0.2, burst=2))
    answers = [client.post("/v1/recommendations", json={**CALL, "call_id": f"r{i}"},
                           headers=auth("dispatch")) for i in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 5
    body = refused.json()
    assert "rate limit" in body["message"] and "per server process" in body["message"]
    assert KEYS["dispatch"] not in refused.text
    assert _count(sqlite_url) == 2
    # Refused before the body is read: a bad body is still a 429, not a 422.
    assert client.post("/v1/recommendations", content=b"{",
                       headers={"Content-Type": "application/json",
                                **auth("dispatch")}).status_code == 429
    # Another key has its own budget; a key without rights is refused by role first.
    assert client.get("/v1/decisions", headers=auth("auditor")).status_code == 200
    metrics = client.get("/metrics").text
    assert 'fifthbranch_rate_limited_total{role="dispatch"} 2.0' in metrics


def test_the_environment_sets_the_limit(make_client: Callable[..., TestClient],
                                        sqlite_url: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(RATE_LIMIT_ENV, "0.1:1")
    client = make_client(sqlite_url)
    statuses = [client.get("/v1/model", headers=auth("auditor")).status_code for _ in range(2)]
    assert statuses == [200, 429]


def test_unknown_keys_are_401_not_rate_limited(make_client: Callable[..., TestClient],
                                               sqlite_url: str) -> None:
    client = make_client(sqlite_url, rate_limit=RateLimit(rate=0.1, burst=1))
    statuses = {client.get("/v1/model", headers={"Authorization": "Bearer nope"}).status_code
                for _ in range(3)}
    assert statuses == {401}


def test_a_bad_setting_stops_the_app_before_it_starts(monkeypatch: pytest.MonkeyPatch,
                                                      fb_home: object) -> None:
    from serving.app import create_app

    monkeypatch.setenv(RATE_LIMIT_ENV, "lots")
    with pytest.raises(ConfigurationError, match="FIFTHBRANCH_RATE_LIMIT='lots'"):
        create_app()
