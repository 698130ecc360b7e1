"""Where a call spends its time: cProfile, summarised by what the function calls directly.

`breakdown(func, name)` profiles one call of `func` and returns, for each function that
`name` (the profiled entry point) calls directly, the cumulative seconds spent in it and
its share of the whole. A list comprehension is named after what it mostly calls.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from typing import Any

Key = tuple[str, int, str]


def _label(key: Key) -> str:
    filename, line, function = key
    short = filename.rsplit("/", 1)[-1]
    return f"{function} ({short}:{line})" if short != "~" else function


def _callees(stats: dict[Key, Any], caller: Key) -> dict[Key, float]:
    """Cumulative seconds of each function when called from `caller`."""
    return {key: row[4][caller][3] for key, row in stats.items() if caller in row[4]}


#: Functions that only pass the call on (comprehensions, decorators): named after their
#: main callee instead.
PASS_THROUGH = ("<listcomp>", "<genexpr>", "<dictcomp>", "wrapped", "wrapper")


def _inside(stats: dict[Key, Any], key: Key, total: float, top: int = 3) -> list[str]:
    """The biggest callees of `key`, as `name share` strings."""
    callees = sorted(_callees(stats, key).items(), key=lambda item: -item[1])[:top]
    return [f"{_label(inner)} {seconds / total:.0%}" for inner, seconds in callees]


def breakdown(func: Callable[[], Any], entry: str, top: int = 8) -> dict[str, Any]:
    """Profile `func()`; split the time of the function named `entry` among its callees."""
    profiler = cProfile.Profile()
    profiler.runcall(func)
    stats: dict[Key, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    entries = [key for key in stats if key[2] == entry]
    if not entries:
        return {"entry": entry, "total_seconds": None, "parts": []}
    root = max(entries, key=lambda key: stats[key][3])
    total = stats[root][3]
    parts = []
    for key, seconds in _callees(stats, root).items():
        label, looked_at = _label(key), key
        if key[2] in PASS_THROUGH:
            inner = _callees(stats, key)
            if inner:
                looked_at = max(inner, key=inner.__getitem__)
                label = _label(looked_at)
        parts.append({"part": label, "seconds": round(seconds, 4),
                      "share": round(seconds / total, 3) if total else None,
                      "inside": _inside(stats, looked_at, total)})
    parts.sort(key=lambda part: -part["seconds"])
    return {"entry": entry, "total_seconds": round(total, 4), "parts": parts[:top],
            "note": "cProfile adds overhead; read the shares, not the absolute times"}


def summary(result: dict[str, Any], top: int = 4) -> str:
    """`normalise_narrative 41%, evaluate_frame 30%, ...` for a note."""
    return ", ".join(f"{part['part'].split(' (')[0]} {part['share']:.0%}"
                     for part in result["parts"][:top] if part["share"] is not None)
