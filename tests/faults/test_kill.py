"""SIGKILL under load: whatever a client was told (200), the audit log holds, and the chain
verifies after a restart. Two ways: straight into SQLite, and while the decisions are
waiting in the spool because PostgreSQL is cut off (the spool's fsync is the promise)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.audit_check import check_audit
from tests.faults.conftest import through
from tests.faults.live import KEYS, LiveServer
from tests.faults.loadgen import BackgroundLoad, LoadConfig, LoadResult, calls_from_history
from tests.faults.tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow


def _load(server: LiveServer, seconds: float) -> BackgroundLoad:
    return BackgroundLoad(LoadConfig(
        base_url=server.base_url, dispatch_key=KEYS["dispatch"], auditor_key=KEYS["auditor"],
        clients=8, duration=seconds, timeout=10, calls=calls_from_history(), seed=3)).start()


def _check(server: LiveServer, direct_url: str, result: LoadResult) -> None:
    audit = check_audit(direct_url, result.acknowledged, server.home)
    print(f"\n{result.summary()}\n{audit.summary()}")
    assert not audit.missing, f"acknowledged but lost: {sorted(audit.missing)[:5]}"
    assert not audit.duplicates
    assert audit.verify_ok, audit.verify_output
    assert result.server_errors == 0 or all(
        kind.startswith("read") for (kind, status) in result.statuses if status >= 500)
    # Only decisions in flight at the kill may be stored without an acknowledgement.
    assert len(audit.unacknowledged) <= 8 * 8
    assert not result.bad_bodies and result.duplicated_ids == 0


def test_sigkill_under_load_loses_no_acknowledged_decision(
        servers: Callable[..., LiveServer], model_dir: Path | None) -> None:
    server = servers(model_dir=model_dir).start()
    load = _load(server, seconds=7)
    load.at(2.5)
    server.kill()
    server.start()
    result = load.join()
    server.stop()
    assert result.transport_errors, "the kill went unnoticed: nothing was tested"
    assert result.between(load_restart := 3.0, 99)[("single", 200)] > 0, (
        f"no answers after the restart (from {load_restart} s)")
    _check(server, server.db_url, result)


@pytest.mark.postgres
def test_sigkill_while_spooling_loses_nothing_once_the_database_returns(
        servers: Callable[..., LiveServer], model_dir: Path | None, pg_url: str,
        pg_proxy: TcpProxy) -> None:
    server = servers(model_dir=model_dir, db_url=through(pg_proxy, pg_url)).start()
    load = _load(server, seconds=7)
    load.at(1.5)
    pg_proxy.cut()
    load.at(3.0)
    assert server.readyz()["audit"]["spool_depth"] > 0, "nothing was spooled"
    server.kill()
    pg_proxy.restore()
    server.start()  # the start-up drains what the killed process had spooled
    result = load.join()
    server.wait_drained()
    server.stop()
    assert result.transport_errors, "the kill went unnoticed: nothing was tested"
    assert "drained" in server.log_text()
    _check(server, pg_url, result)
