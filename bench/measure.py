"""Run a child process under a time limit and measure its memory.

Two memory figures per child: `peak_rss` is the kernel's own peak resident set of the
largest single process in the tree (`ru_maxrss` from `wait4`, exact), and
`peak_tree_rss` is the largest memory of the child and all its descendants together,
sampled every `SAMPLE_SECONDS` (it catches process pools). Each process counts its
proportional set size (PSS, `/proc/PID/smaps_rollup`): a page shared by forked workers
is split between them, so the sum is the memory the tree really holds. Summing resident
sets instead counts the parent's pages once per forked worker (a 3.4 GB training process
with two workers read as 7 GB). Where PSS is unavailable, the resident set is used.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SAMPLE_SECONDS = 0.1
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class ChildRun:
    """How a child process went; `events` are the JSON lines it printed on stdout."""

    argv: list[str]
    wall_seconds: float
    returncode: int | None
    timed_out: bool
    peak_rss: int
    peak_tree_rss: int
    cpu_seconds: float = 0.0  # user + system, the child and every descendant it reaped
    events: list[dict[str, Any]] = field(default_factory=list)
    stderr_tail: str = ""

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.returncode == 0

    def result(self) -> dict[str, Any] | None:
        """The child's last `{"event": "result", ...}` line, if it printed one."""
        found = [event for event in self.events if event.get("event") == "result"]
        return found[-1] if found else None


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss(pid: int) -> int:
    """Bytes held by `pid` and every descendant now (PSS, see the module docstring)."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError, IndexError, ValueError):  # it just ended
            total += _process_memory(current)
        todo.extend(tree.get(current, ()))
    return total


def _process_memory(pid: int) -> int:
    """A process's proportional set size, or its resident set where PSS is unavailable."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


def _parse_lines(text: str) -> list[dict[str, Any]]:
    events = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return events


def run_child(argv: list[str], *, timeout: float, env: dict[str, str] | None = None,
              cwd: Path | None = None,
              on_event: Callable[[dict[str, Any]], None] | None = None) -> ChildRun:
    """Run `argv` in its own session; kill the whole group after `timeout` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd,
                                   start_new_session=True)
        peak_tree, timed_out, seen = 0, False, 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak_tree = max(peak_tree, tree_rss(process.pid))
            if on_event is not None:
                seen = _forward(out.fileno(), seen, on_event)
            if time.perf_counter() - started > timeout:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(SAMPLE_SECONDS)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        events = _parse_lines(_read_all(out.fileno()))
        stderr_tail = _read_all(err.fileno())[-2000:]
    return ChildRun(argv=argv, wall_seconds=wall,
                    returncode=None if timed_out else process.returncode,
                    timed_out=timed_out, peak_rss=usage.ru_maxrss * 1024,
                    peak_tree_rss=max(peak_tree, usage.ru_maxrss * 1024),
                    cpu_seconds=usage.ru_utime + usage.ru_stime, events=events,
                    stderr_tail=stderr_tail)


def _read_all(fd: int) -> str:
    return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace")


def _forward(fd: int, seen: int, on_event: Callable[[dict[str, Any]], None]) -> int:
    """Pass the complete lines written since byte `seen` to `on_event`; the new offset."""
    fresh = os.pread(fd, os.fstat(fd).st_size - seen, seen)
    complete = fresh[:fresh.rfind(b"\n") + 1]
    for event in _parse_lines(complete.decode("utf-8", "replace")):
        on_event(event)
    return seen + len(complete)


def python_child(module_args: list[str]) -> list[str]:
    """argv to run `python -m bench.child ...` with this interpreter."""
    return [sys.executable, "-m", "bench.child", *module_args]


def emit(event: str, **fields: Any) -> None:
    """Print one JSON event line for the parent (used in the child)."""
    print(json.dumps({"event": event, "t": time.perf_counter(), **fields}, default=str),
          flush=True)
