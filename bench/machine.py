"""The machine a figure was measured on: cores, memory, CPU, Python, packages, git."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("numpy", "scipy", "pandas", "pyarrow", "scikit-learn", "pydantic", "mlflow",
            "fastapi", "uvicorn", "httpx", "orjson", "sqlalchemy")
ROOT = Path(__file__).resolve().parent.parent


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_bytes() -> int | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return None


def _cgroup_limits() -> dict[str, Any]:
    """CPU and memory limits of the container (cgroup v2), when there are any."""
    limits: dict[str, Any] = {}
    quota = _read("/sys/fs/cgroup/cpu.max").split()
    if len(quota) == 2 and quota[0] != "max":
        limits["cpus"] = round(int(quota[0]) / int(quota[1]), 2)
    memory = _read("/sys/fs/cgroup/memory.max").strip()
    if memory and memory != "max":
        limits["memory_bytes"] = int(memory)
    return limits


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def describe() -> dict[str, Any]:
    """Everything a reader needs to weigh a figure; JSON-ready."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 1
    memory = _memory_bytes()
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "cores": usable,
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_bytes": memory,
        "memory_gb": None if memory is None else round(memory / 2**30, 1),
        "cgroup_limits": _cgroup_limits(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "executable": sys.executable,
        "packages": {name: _version(name) for name in PACKAGES},
        "load_average_1m": round(os.getloadavg()[0], 2),  # other work on the machine
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": None if status is None else bool(status),
    }
