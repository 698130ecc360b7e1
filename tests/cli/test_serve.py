"""`fifthbranch serve`: refusals before anything starts, and a real server's life cycle."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from cli.app import app
from data.errors import FifthBranchError
from tests.cli.test_app import run_cli
from tests.serving.stub_recommender import StubRecommender

ROOT = Path(__file__).resolve().parents[2]
KEYS = "dispatch:d-key-0123456789,auditor:a-key-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MLFLOW_TRACKING_URI", "FIFTHBRANCH_DB_URL", "FIFTHBRANCH_API_KEYS")}
    return {**env, "FIFTHBRANCH_HOME": str(home), **extra}


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "dispatch.example"])
def test_serving_beyond_loopback_without_keys_is_refused(tmp_path: Path, host: str) -> None:
    result = run_cli("serve", "--host", host, env=_env(tmp_path), cwd=ROOT)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "refusing to serve on" in lines[0]
    assert "FIFTHBRANCH_API_KEYS" in lines[0]


def test_malformed_keys_are_refused(tmp_path: Path) -> None:
    result = run_cli("serve", env=_env(tmp_path, FIFTHBRANCH_API_KEYS="dispatch"), cwd=ROOT)
    assert result.returncode == 2 and "has no ':'" in result.stderr


@pytest.fixture
def uvicorn_calls(monkeypatch: pytest.MonkeyPatch, fb_home: Path) -> list[dict[str, Any]]:
    """uvicorn.run recorded instead of run; the model check served by the stand-in."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda target, **kw: calls.append({"app": target, **kw}))
    monkeypatch.setattr("serving.lifecycle.registry_loader", lambda settings: StubRecommender)
    for name in ("FIFTHBRANCH_RELOAD_INTERVAL", "FIFTHBRANCH_SESSION_SECRET"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_serve_runs_the_app_factory_with_graceful_shutdown(
        uvicorn_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIFTHBRANCH_API_KEYS", KEYS)
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9123",
                                      "--workers", "3", "--reload-interval", "60"])
    assert result.exit_code == 0, result.output
    (call,) = uvicorn_calls
    assert call["app"] == "serving.app:app_factory" and call["factory"] is True
    assert (call["host"], call["port"], call["workers"]) == ("0.0.0.0", 9123, 3)
    assert call["timeout_graceful_shutdown"] > 0 and call["access_log"] is False
    assert "fifthbranch" in call["log_config"]["loggers"]
    assert os.environ["FIFTHBRANCH_RELOAD_INTERVAL"] == "60.0"
    assert os.environ["FIFTHBRANCH_SESSION_SECRET"]  # shared by the workers


def test_loopback_may_run_without_keys(uvicorn_calls: list[dict[str, Any]]) -> None:
    assert CliRunner().invoke(app, ["serve"]).exit_code == 0
    assert uvicorn_calls[0]["host"] == "127.0.0.1"


class RegistryDown(FifthBranchError):
    """Stands in for the registry's "unreachable and nothing cached" error."""


def test_an_unreachable_registry_with_nothing_cached_fails_fast(
        uvicorn_calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    def loader(settings: object) -> Any:
        def load() -> Any:
            raise RegistryDown("the registry at http://mlflow:5000 cannot be reached and no "
                               "cached model exists")
        return load

    monkeypatch.setattr("serving.lifecycle.registry_loader", loader)
    monkeypatch.setattr("serving.lifecycle.unavailable_errors", lambda: (RegistryDown,))
    result = CliRunner().invoke(app, ["serve"])
    assert isinstance(result.exception, FifthBranchError)
    assert str(result.exception).startswith("cannot start: the registry at http://mlflow:5000")
    assert uvicorn_calls == []


def _wait_ready(base: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {process.communicate()[1]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not become ready")


def test_a_real_server_answers_records_and_stops_gracefully(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.cli.serve_with_stub", "--port", str(port)],
        cwd=ROOT, env=_env(tmp_path, FIFTHBRANCH_API_KEYS=KEYS), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_ready(base, process)
        answer = httpx.post(f"{base}/v1/recommendations", timeout=10, json={
            "call_id": "live-1", "narrative": "PRIVATE-NARRATIVE man sleeping"},
            headers={"Authorization": "Bearer d-key-0123456789"})
        assert answer.status_code == 200
        assert httpx.get(f"{base}/audit/decisions", follow_redirects=False).status_code == 303
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    # uvicorn finishes the shutdown, then re-raises SIGTERM so the exit says why it ended.
    assert process.returncode in (0, -signal.SIGTERM), log
    assert "decision decision_id=" in log
    assert log.index("Shutting down") < log.index("stopped") < log.index(
        "Application shutdown complete")
    assert "PRIVATE-NARRATIVE" not in log and "0123456789" not in log
    verified = run_cli("audit", "verify", env=_env(tmp_path), cwd=ROOT)
    assert verified.returncode == 0 and "1 rows checked" in verified.stdout
