"""A live `fifthbranch serve` in a subprocess that a test can start, kill and restart.

The server is the real command (through `tests.faults.serve_model`, which only swaps
where the model comes from) on 127.0.0.1 and a free port. Its output goes to a file,
not a pipe: under load the server logs a line per request, and a pipe nobody reads
would fill and stall it. Restarts reuse the same home folder, database and port.
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
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"dispatch": "fault-dispatch-key-0123456789", "auditor": "fault-auditor-key-0123456789",
        "admin": "fault-admin-key-0123456789"}
KEY_SPEC = ",".join(f"{role}:{key}" for role, key in KEYS.items())
#: Variables of the caller's environment that must not leak into a test server.
_CLEARED = ("MLFLOW_TRACKING_URI", "FIFTHBRANCH_DB_URL", "FIFTHBRANCH_API_KEYS",
            "FIFTHBRANCH_RATE_LIMIT", "FIFTHBRANCH_TEST_MODEL_DIR", "FIFTHBRANCH_HOME")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The process environment without project settings, plus `home` and `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    return {**env, "FIFTHBRANCH_HOME": str(home), "PYTHONUNBUFFERED": "1", **extra}


@dataclass
class LiveServer:
    """One server: `start`, `wait_ready`, `kill` (SIGKILL), `stop` (SIGTERM)."""

    home: Path
    db_url: str
    model_dir: Path | None = None
    rate_limit: str = "off"
    extra_env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.home / "server.log"

    def env(self) -> dict[str, str]:
        extra = {"FIFTHBRANCH_DB_URL": self.db_url, "FIFTHBRANCH_API_KEYS": KEY_SPEC,
                 "FIFTHBRANCH_RATE_LIMIT": self.rate_limit, **self.extra_env}
        if self.model_dir is not None:
            extra["FIFTHBRANCH_TEST_MODEL_DIR"] = str(self.model_dir)
        return clean_env(self.home, **extra)

    def start(self, *, wait: bool = True, timeout: float = 90) -> LiveServer:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.serve_model", "--port", str(self.port)],
                cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 90) -> dict[str, Any]:
        """Wait for /readyz to answer 200; its body. Fails with the log if the server dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"the server exited ({self.process.returncode}):\n"
                                     f"{self.log_tail()}")
            try:
                answer = httpx.get(f"{self.base_url}/readyz", timeout=2)
                if answer.status_code == 200:
                    return answer.json()
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the server was not ready in {timeout} s:\n{self.log_tail()}")

    def readyz(self) -> dict[str, Any]:
        return httpx.get(f"{self.base_url}/readyz", timeout=5).json()

    def wait_drained(self, timeout: float = 30) -> dict[str, Any]:
        """Wait until the audit database is up and the spool is empty; /readyz's body."""
        deadline = time.monotonic() + timeout
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            body = self.readyz()
            if body["audit"]["store_up"] and body["audit"]["spool_depth"] == 0:
                return body
            time.sleep(0.2)
        raise AssertionError(f"the spool did not drain in {timeout} s: {body}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no final drain, as in a crash or an OOM kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, timeout: float = 60) -> int | None:
        """SIGTERM and wait (graceful: in-flight requests finish, the spool drains)."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=30)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")
