"""PostgreSQL unreachable for a while under load, then back: recommendations keep being
answered (from the spool), the spool drains, and the log holds each acknowledged decision
exactly once. The shared server is never stopped: only this service's proxy is cut."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from serving.audit.durable import WRITE_TIMEOUT
from tests.faults.audit_check import check_audit
from tests.faults.conftest import through
from tests.faults.live import KEYS, LiveServer
from tests.faults.load import verdict
from tests.faults.loadgen import BackgroundLoad, LoadConfig, calls_from_history
from tests.faults.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

CUT_AT, RESTORE_AT, LOAD_SECONDS = 2.0, 6.0, 9.0


def test_a_database_outage_is_absorbed_by_the_spool(
        servers: Callable[..., LiveServer], model_dir: Path | None, pg_url: str,
        pg_proxy: TcpProxy) -> None:
    server = servers(model_dir=model_dir, db_url=through(pg_proxy, pg_url)).start()
    load = BackgroundLoad(LoadConfig(
        base_url=server.base_url, dispatch_key=KEYS["dispatch"], auditor_key=KEYS["auditor"],
        clients=8, duration=LOAD_SECONDS, timeout=10, calls=calls_from_history(),
        seed=5)).start()
    load.at(CUT_AT)
    pg_proxy.cut()
    load.at(RESTORE_AT - 1)
    during = server.readyz()
    pg_proxy.restore()
    result = load.join()
    drained = server.wait_drained()
    server.stop()

    # Readiness said what was going on, without taking the service out of rotation.
    assert during["status"] == "degraded" and during["audit"]["store_up"] is False
    assert during["audit"]["spool_depth"] > 0
    assert any("unavailable" in reason for reason in during["reasons"])
    assert drained["status"] == "ready"
    # Recommendations were answered all along, outage included.
    outage = result.between(CUT_AT + 0.5, RESTORE_AT)
    assert outage[("single", 200)] > 0 and outage[("batch", 200)] > 0
    for (kind, status), count in result.statuses.items():
        if kind in ("single", "batch"):
            assert status == 200, f"{count} {kind} answers were {status}"
    # Auditor reads cannot be served without the database: a 503 that says so, no other.
    for (kind, status), _count in result.statuses.items():
        assert status < 500 or (kind.startswith("read") and status == 503)
    audit = check_audit(pg_url, result.acknowledged, server.home)
    print(f"\n{result.summary()}\n{audit.summary()}")
    problems = [p for p in verdict(result, audit) if "were 5xx" not in p]
    assert problems == [], f"{result.summary()}\n{audit.summary()}"
    log = server.log_text()
    assert "decisions go to the spool" in log and "drained" in log


FREEZE_AT, THAW_AT = 2.0, 8.0


def test_a_hung_database_stalls_requests_two_seconds_not_until_it_answers(
        servers: Callable[..., LiveServer], model_dir: Path | None, pg_url: str,
        pg_proxy: TcpProxy) -> None:
    """Nothing refused, nothing answered: a dropped link or a stuck server. The writes in
    flight give up after `WRITE_TIMEOUT` and spool; later decisions spool at once."""
    server = servers(model_dir=model_dir, db_url=through(pg_proxy, pg_url)).start()
    load = BackgroundLoad(LoadConfig(
        base_url=server.base_url, dispatch_key=KEYS["dispatch"], auditor_key=KEYS["auditor"],
        clients=8, duration=THAW_AT + 3, timeout=30, read_share=0.0,
        calls=calls_from_history(), seed=7)).start()
    load.at(FREEZE_AT)
    pg_proxy.freeze()
    load.at(THAW_AT)
    pg_proxy.thaw()
    result = load.join()
    server.wait_drained(timeout=60)
    server.stop()
    print(f"\n{result.summary()}")
    assert set(result.statuses) <= {("single", 200), ("batch", 200)}, result.statuses
    assert not result.transport_errors
    hung = result.between(FREEZE_AT + WRITE_TIMEOUT + 1, THAW_AT)
    assert hung[("single", 200)] > 10, f"the service stopped answering: {hung}"
    assert result.percentiles("single")["max"] < (THAW_AT - FREEZE_AT) * 1000 * 0.8
    audit = check_audit(pg_url, result.acknowledged, server.home)
    assert not audit.missing and not audit.duplicates and not audit.unacknowledged
    assert audit.verify_ok, audit.verify_output
    assert "did not answer within" in server.log_text()
