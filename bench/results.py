"""Figures, sections and the results file (`bench/results/latest.json`).

A section is what one sub-command measured: its figures (each with the target it is
held to, if any, and whether it was met), free-form details (percentiles, stage times,
profiles) and the machine. Saving merges the section into the file, so running one
sub-command refreshes its own rows and keeps the others.
"""

from __future__ import annotations

import json
import math
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SCHEMA_VERSION = 1


@dataclass
class Figure:
    """One measured number. `value` is None when it could not be measured (see `note`)."""

    key: str
    label: str
    value: float | None
    unit: str
    target: str | None = None
    met: bool | None = None
    note: str = ""

    def display(self) -> str:
        if self.value is None or (isinstance(self.value, float) and math.isnan(self.value)):
            return self.note or "not measured"
        return format_value(self.value, self.unit)


@dataclass
class Section:
    """The figures of one sub-command, with the machine and when they were measured."""

    name: str
    mode: str
    machine: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    measured_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(
        timespec="seconds"))
    seconds: float = 0.0
    _started: float = field(default_factory=time.perf_counter, repr=False)

    def add(self, key: str, label: str, value: float | None, unit: str, *,
            target: str | None = None, met: bool | None = None, note: str = "") -> Figure:
        figure = Figure(f"{self.name}.{key}", label, value, unit, target, met, note)
        self.figures.append(figure)
        return figure

    def finish(self) -> Section:
        self.seconds = round(time.perf_counter() - self._started, 1)
        self.machine["load_average_1m_end"] = round(os.getloadavg()[0], 2)
        return self

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_started")
        return data


def format_value(value: float, unit: str) -> str:
    """Numbers as a person reads them: `1.23 s`, `52,300 rec/s`, `0.41 ms`, `93.1 %`."""
    if unit == "B":
        return f"{value / 2**20:,.0f} MB" if value < 2**30 else f"{value / 2**30:.2f} GB"
    if isinstance(value, int):
        return f"{value:,} {unit}".strip()
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "x":
        return f"{value:.1f}x"
    if abs(value) >= 1000:
        return f"{value:,.0f} {unit}"
    if abs(value) >= 100:
        return f"{value:.0f} {unit}"
    if abs(value) >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def default_path(quick: bool) -> Path:
    return RESULTS_DIR / ("quick.json" if quick else "latest.json")


def load(path: Path) -> dict[str, Any]:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"schema": SCHEMA_VERSION, "sections": {}}


def save(path: Path, section: Section) -> dict[str, Any]:
    """Merge `section` into the results file (written atomically); the whole file's data."""
    data = load(path)
    data["schema"] = SCHEMA_VERSION
    data["updated_at"] = section.measured_at
    data["machine"] = section.machine
    data.setdefault("sections", {})[section.name] = section.to_json()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n",
                       encoding="utf-8")
    os.replace(partial, path)
    return data


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
