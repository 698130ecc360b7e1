"""A short version of the load run (`python -m tests.faults.load` is the long one):
8 clients for 5 s against a live `fifthbranch serve`, then the audit log is checked
against what the clients were told."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.audit_check import check_audit
from tests.faults.live import KEYS, LiveServer
from tests.faults.load import verdict
from tests.faults.loadgen import LoadConfig, calls_from_history, run_load

pytestmark = pytest.mark.slow

CLIENTS, SECONDS = 8, 5.0


def test_load_gets_no_5xx_and_one_audit_row_per_acknowledged_decision(
        servers: Callable[..., LiveServer], model_dir: Path | None) -> None:
    server = servers(model_dir=model_dir).start()
    result = asyncio.run(run_load(LoadConfig(
        base_url=server.base_url, dispatch_key=KEYS["dispatch"], auditor_key=KEYS["auditor"],
        clients=CLIENTS, duration=SECONDS, calls=calls_from_history())))
    assert server.stop() in (0, -15), server.log_tail()
    audit = check_audit(server.db_url, result.acknowledged, server.home)
    print(f"\n{result.summary()}\n{audit.summary()}")
    assert verdict(result, audit) == [], f"{result.summary()}\n{audit.summary()}"
    for kind in ("single", "batch", "read_list", "read_one"):
        assert result.statuses[(kind, 200)] > 0, f"no successful {kind} request"
    assert audit.rows == len(result.acknowledged) > 0
