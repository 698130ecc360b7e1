"""Training against a real `mlflow server` whose backend store is the live PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from data.generator import write_history
from data.settings import get_settings
from training.pipeline import TrainOptions, train

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def tracking_server(pg_url: str, tmp_path: Path) -> Iterator[str]:
    """`mlflow server` on a free port, PostgreSQL backend, artifacts proxied to a folder."""
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--backend-store-uri", pg_url,
         "--artifacts-destination", (tmp_path / "artifacts").as_uri()],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"mlflow server exited: {(tmp_path / 'server.log').read_text()}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("mlflow server did not become healthy in 120 s")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_train_and_load_through_a_tracking_server(tracking_server: str, fb_home: Path,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from mlflow import MlflowClient

    from model.registry import load_registered

    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_server)
    history = tmp_path / "history.parquet"
    write_history(history, 1500, seed=4, workers=1)
    result = train(history, get_settings(), TrainOptions(seed=1, cross_style=False))
    assert result.verdict.promote
    client = MlflowClient(tracking_uri=tracking_server, registry_uri=tracking_server)
    name = get_settings().model_name
    assert str(client.get_model_version_by_alias(name, "champion").version) == result.model_version
    assert "model_card.md" in {item.path for item in client.list_artifacts(result.run_id)}
    served = load_registered(get_settings(), "champion")
    assert served.model_version == result.model_version
    assert served.run_id == result.run_id
