"""SIGKILL under load: whatever a client was told (200), the audit log holds, and the chain
verifies after a restart. Two ways: straight into SQLite, and while the decisions are
waiting in the spool because PostgreSQL is cut off (the spool's fsync is the promise)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.audit_check import check_audit
from tests.faults.conftest import through
from tests.faults.live import KEYS, LiveServer
from tests.faults.loadgen import BackgroundLoad, LoadConfig, LoadResult, calls_from_history
from tests.faults.tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow


#: After the restart, load goes on this long (the restart itself takes what it takes).
AFTER_RESTART = 2.0


def _load(server: LiveServer) -> BackgroundLoad:
    return BackgroundLoad(LoadConfig(
        base_url=server.base_url, dispatch_key=KEYS["dispatch"], auditor_key=KEYS["auditor"],
        clients=8, duration=120, timeout=10, calls=calls_from_history(), seed=3)).start()


def _restart_under_load(server: LiveServer, load: BackgroundLoad) -> tuple[float, LoadResult]:
    """Start the killed server again; keep the load on a while; (restart time, result)."""
    server.start()
    restarted = time.monotonic() - load.started
    time.sleep(AFTER_RESTART)
    return restarted, load.stop()


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
    load = _load(server)
    load.at(2.5)
    server.kill()
    restarted, result = _restart_under_load(server, load)
    server.stop()
    assert result.transport_errors, "the kill went unnoticed: nothing was tested"
    assert result.between(0, 2.5)[("single", 200)] > 0, "no answers before the kill"
    assert result.between(restarted, 999)[("single", 200)] > 0, "no answers after the restart"
    _check(server, server.db_url, result)


@pytest.mark.postgres
def test_sigkill_while_spooling_loses_nothing_once_the_database_returns(
        servers: Callable[..., LiveServer], model_dir: Path | None, pg_url: str,
        pg_proxy: TcpProxy) -> None:
    server = servers(model_dir=model_dir, db_url=through(pg_proxy, pg_url)).start()
    load = _load(server)
    load.at(1.5)
    pg_proxy.cut()
    load.at(3.0)
    assert server.readyz()["audit"]["spool_depth"] > 0, "nothing was spooled"
    server.kill()
    pg_proxy.restore()
    _, result = _restart_under_load(server, load)  # start-up drains the dead one's spool
    server.wait_drained()
    server.stop()
    assert result.transport_errors, "the kill went unnoticed: nothing was tested"
    assert "drained" in server.log_text()
    _check(server, pg_url, result)
