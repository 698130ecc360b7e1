"""Start and stop the two HTTP servers compared: `fifthbranch serve` and `mlflow models serve`.

Both serve the same registered champion from one temporary FIFTHBRANCH_HOME, one worker
each, on loopback ports. Each runs in its own session so that stopping it (SIGTERM, then
SIGKILL after a grace period) reaches every process it started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
READY_TIMEOUT = 180.0
STOP_GRACE = 40.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def home_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for commands that should use only `home` (no inherited stores).

    The virtualenv's bin folder leads PATH: `mlflow models serve` starts `uvicorn` by name.
    """
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FIFTHBRANCH_", "MLFLOW_"))}
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    return {**env, "FIFTHBRANCH_HOME": str(home), **extra}


def run_command(argv: list[str], env: dict[str, str], timeout: float, cwd: Path) -> float:
    """Run a command to completion; its wall seconds. Raises with its output on failure."""
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=cwd)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} failed ({done.returncode}): "
                           f"{(done.stderr or done.stdout)[-1500:]}")
    return time.perf_counter() - started


@dataclass
class Server:
    """A server process and where it answers; `log` holds its stdout and stderr."""

    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    ready_path: str
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started_in: float = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        """Start in the log's folder (so nothing lands in the repository) and wait until ready."""
        started = time.perf_counter()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(self.argv, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            cwd=self.log.parent)
        deadline = started + READY_TIMEOUT
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: "
                                   f"{self.log.read_text(errors='replace')[-1500:]}")
            try:
                if httpx.get(self.base_url + self.ready_path, timeout=2).status_code == 200:
                    self.started_in = time.perf_counter() - started
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {READY_TIMEOUT:.0f} s: "
                           f"{self.log.read_text(errors='replace')[-1500:]}")

    def stop(self) -> int | None:
        """SIGTERM the session (graceful shutdown), SIGKILL after the grace period."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            return self.process.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait()


def tracking_uri(home: Path) -> str:
    return f"sqlite:///{home / 'mlflow.db'}"


def ours(home: Path, keys: str) -> Server:
    """`fifthbranch serve` with API keys and the audit log on SQLite in `home`.

    The per-key rate limit is turned off: the bench sends from one key and measures
    capacity (the default, 50 requests/s per key, would cap every figure at that).
    MLFLOW_TRACKING_URI is set although it is the default: without it the champion's
    download asks MLflow's own default registry and the server falls back to rules only.
    """
    port = free_port()
    env = home_env(home, FIFTHBRANCH_API_KEYS=keys, FIFTHBRANCH_RATE_LIMIT="off",
                   MLFLOW_TRACKING_URI=tracking_uri(home))
    return Server("fifthbranch serve",
                  [str(BIN / "fifthbranch"), "serve", "--port", str(port), "--workers", "1"],
                  env, port, "/readyz", home / "fifthbranch-serve.log")


def mlflow_server(home: Path, model_name: str) -> Server:
    port = free_port()
    return Server("mlflow models serve",
                  [str(BIN / "mlflow"), "models", "serve", "-m", f"models:/{model_name}@champion",
                   "--env-manager", "local", "-p", str(port), "-w", "1"],
                  home_env(home, MLFLOW_TRACKING_URI=tracking_uri(home)), port, "/ping",
                  home / "mlflow-serve.log")
