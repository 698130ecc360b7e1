"""Batch work on every core: a frame cut into chunks, each handled in a forked worker.

Scoring a history is per-row Python (normalisation, negation-aware rules, tokens), so
one process uses one core. Workers are *forked*, not spawned: they inherit the loaded
Recommender with its compiled rules (compiling them takes seconds) instead of
unpickling a copy each. Where fork is unavailable (Windows, macOS defaults aside) or
the frame is small, the work runs in this process; the result is the same either way
(a test holds it so).

Not for the HTTP server: forking a process that runs threads is unsafe, and requests
are small. `fifthbranch predict`, training evaluation and the benchmarks use it.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pandas as pd

#: Below this many rows per worker, starting processes costs more than it saves.
MIN_ROWS_PER_WORKER = 5_000
#: Chunks per worker: a few, so one slow chunk does not leave a core idle at the end.
CHUNKS_PER_WORKER = 4

T = TypeVar("T")

#: What forked workers read: (function, state, frame) by key, set before the pool starts.
_SHARED: dict[int, tuple[Callable[..., Any], Any, Any]] = {}
_KEYS = itertools.count()


def cpu_workers() -> int:
    """The cores this process may use (its CPU affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def resolve_workers(workers: int | None) -> int:
    """`None` or 0 means every usable core; a negative or zero count is refused."""
    if workers is None or workers == 0:
        return cpu_workers()
    if workers < 0:
        raise ValueError(f"workers must be a positive number of processes, not {workers}")
    return workers


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_frame(function: Callable[[Any, Any], T], state: Any, frame: pd.DataFrame | pd.Series,
              workers: int | None = 1) -> list[T]:
    """`function(state, chunk)` for consecutive chunks of `frame`, results in frame order.

    One chunk (the whole frame) when `workers` is 1, the frame is small, or fork is not
    available. `function` must be a module-level function. `state` and the frame are
    inherited by the workers, never pickled: a task is a pair of row bounds, and only the
    results travel back.
    """
    count = min(resolve_workers(workers), len(frame) // MIN_ROWS_PER_WORKER)
    if count <= 1 or not can_fork():
        return [function(state, frame)]
    bounds = np.linspace(0, len(frame), count * CHUNKS_PER_WORKER + 1).astype(int)
    key = next(_KEYS)
    _SHARED[key] = (function, state, frame)
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_run, key, lo, hi)
                       for lo, hi in itertools.pairwise(bounds.tolist()) if hi > lo]
            return [future.result() for future in futures]
    finally:
        del _SHARED[key]


def _run(key: int, lo: int, hi: int) -> Any:
    function, state, frame = _SHARED[key]
    return function(state, frame.iloc[lo:hi])
