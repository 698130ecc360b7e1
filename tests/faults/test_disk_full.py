"""The disk under the spool is full while the audit database is away: a 503 that says so,
readiness says so, and nothing a client was told about is ever missing afterwards.

In-process, the spool's writes fail with ENOSPC (a monkeypatched `os`); on a live server,
the spool is a really tiny tmpfs (root only: the test mounts it) and PostgreSQL is cut.
"""

from __future__ import annotations

import errno
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

import serving.audit.spool as spool_module
from data.settings import Settings
from serving.app import create_app
from serving.audit import AuditStore
from serving.audit.store import AuditUnavailableError
from tests.faults.audit_check import check_audit
from tests.faults.conftest import through
from tests.faults.live import KEY_SPEC, KEYS, LiveServer
from tests.faults.tcp_proxy import TcpProxy

DISPATCH = {"Authorization": f"Bearer {KEYS['dispatch']}"}


class SwitchableStore(AuditStore):
    """An audit store whose database can be switched off (every operation unavailable)."""

    down = False

    @contextmanager
    def _unavailable_as_error(self) -> Iterator[None]:
        if self.down:
            raise AuditUnavailableError(f"audit database {self.safe_url} is unavailable: "
                                        "switched off by the test")
        with super()._unavailable_as_error():
            yield


class FullDisk:
    """`os` as the spool sees it on a full disk: every write fails with ENOSPC."""

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    @staticmethod
    def write(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _call(call_id: str) -> dict[str, Any]:
    return {"call_id": call_id, "narrative": "caller says her son is sleeping on the porch",
            "questionnaire": {"weapons": "no"}}


def test_a_full_spool_disk_is_a_503_with_the_reason_and_never_a_silent_loss(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        recommender_loader: Callable[[], Any]) -> None:
    home = tmp_path / "home"
    settings = Settings(FIFTHBRANCH_HOME=home, FIFTHBRANCH_API_KEYS=KEY_SPEC,
                        FIFTHBRANCH_DB_URL=f"sqlite:///{home / 'audit.db'}")
    store = SwitchableStore.from_url(settings.db_url)
    app = create_app(settings, loader=recommender_loader, store=store, drain_interval=3600,
                     rate_limit=None)
    with TestClient(app, raise_server_exceptions=False) as client:
        audit = app.state.service.audit
        store.down = True
        monkeypatch.setattr(spool_module, "os", FullDisk())
        refused = client.post("/v1/recommendations", json=_call("full-1"), headers=DISPATCH)
        assert refused.status_code == 503, refused.text
        message = refused.json()["message"]
        assert "no space left on the device" in message and "nothing was decided" in message
        assert "audit database unavailable" in message
        assert int(refused.headers["Retry-After"]) >= 1
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "not ready"
        assert any("no space left" in reason for reason in ready.json()["reasons"])
        batch = client.post("/v1/recommendations/batch",
                            json={"calls": [_call("full-2"), _call("full-3")]},
                            headers=DISPATCH)
        assert batch.status_code == 503

        monkeypatch.undo()  # space is freed
        audit.maintain()
        assert client.get("/readyz").json()["status"] == "degraded"
        accepted = client.post("/v1/recommendations", json=_call("after"), headers=DISPATCH)
        assert accepted.status_code == 200
        store.down = False
        audit.maintain()
        stored = [row.call_id for row in store.iter_decisions()]
        assert stored == ["after"]  # the refused calls were never decided, so never stored
        assert stored_ids(store) == {accepted.json()["decision_id"]}
        assert client.get("/readyz").json()["status"] == "ready"


def stored_ids(store: AuditStore) -> set[str]:
    return {row.decision_id for row in store.iter_decisions()}


@contextmanager
def tiny_tmpfs(where: Path, size: str = "64k") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (root only), unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                              str(where)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_really_full_spool_filesystem_under_a_live_server(
        servers: Callable[..., LiveServer], model_dir: Path | None, pg_url: str,
        pg_proxy: TcpProxy, tmp_path: Path) -> None:
    home = tmp_path / "home"
    with tiny_tmpfs(home / "spool"):
        server = servers(home=home, model_dir=model_dir,
                         db_url=through(pg_proxy, pg_url)).start()
        pg_proxy.cut()
        acknowledged: list[str] = []
        refusals: list[httpx.Response] = []
        with httpx.Client(base_url=server.base_url, headers=DISPATCH, timeout=30) as http:
            for index in range(400):  # 64 KiB fills after a few dozen decisions
                answer = http.post("/v1/recommendations", json=_call(f"t{index}"))
                if answer.status_code == 200:
                    acknowledged.append(answer.json()["decision_id"])
                else:
                    refusals.append(answer)
                    if len(refusals) >= 5:
                        break
            print(f"\n{len(acknowledged)} decisions spooled before the disk was full")
            assert acknowledged, "the spool took nothing: the test proves nothing"
            assert len(refusals) == 5 and {r.status_code for r in refusals} == {503}
            assert "no space left on the device" in refusals[0].json()["message"]
            ready = http.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["audit"]["spool_failure"]

            pg_proxy.restore()  # the drain empties the spool and frees the space
            deadline = time.monotonic() + 30
            while http.get("/readyz").json()["status"] != "ready":
                assert time.monotonic() < deadline, http.get("/readyz").text
                time.sleep(0.2)
            after = http.post("/v1/recommendations", json=_call("after"))
            assert after.status_code == 200
            acknowledged.append(after.json()["decision_id"])
        server.stop()
        assert not list((home / "spool").glob("rejected-*")), "a torn spool line"
    audit = check_audit(pg_url, set(acknowledged), home)
    assert not audit.missing and not audit.duplicates and audit.verify_ok, audit.summary()
    assert audit.rows == len(acknowledged)
