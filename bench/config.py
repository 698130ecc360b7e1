"""Sizes and limits of a full run and of a `--quick` (smoke) run."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Seeds: histories for training and generator figures, and calls the model never saw.
TRAIN_SEED = 7
HELD_OUT_SEED = 2026


@dataclass(frozen=True)
class Config:
    quick: bool
    generator_rows: tuple[int, ...]
    variety_rows: int
    train_rows: tuple[int, ...]
    train_timeout: float
    model_rows: int  # the model behind the batch and latency figures
    batch_rows: int
    batch_repeats: int
    latency_records: int
    http_train_rows: int
    http_requests: int  # per server and concurrency level
    http_concurrency: tuple[int, ...]
    work_dir: Path

    @property
    def mode(self) -> str:
        return "quick" if self.quick else "full"


def work_dir() -> Path:
    """Where histories are cached between runs (`BENCH_WORK_DIR` overrides)."""
    default = Path(tempfile.gettempdir()) / "fifthbranch-bench"
    return Path(os.environ.get("BENCH_WORK_DIR", default))


def make_config(quick: bool, *, train_timeout: float | None = None) -> Config:
    if quick:
        return Config(quick=True, generator_rows=(20_000,), variety_rows=20_000,
                      train_rows=(2_000,), train_timeout=train_timeout or 180,
                      model_rows=2_000, batch_rows=5_000, batch_repeats=1,
                      latency_records=300, http_train_rows=2_000, http_requests=100,
                      http_concurrency=(1, 8, 32), work_dir=work_dir())
    return Config(quick=False, generator_rows=(100_000, 1_000_000), variety_rows=100_000,
                  train_rows=(10_000, 100_000, 1_000_000),
                  train_timeout=train_timeout or 600, model_rows=20_000,
                  batch_rows=100_000, batch_repeats=2, latency_records=3_000,
                  http_train_rows=20_000, http_requests=1_000,
                  http_concurrency=(1, 8, 32), work_dir=work_dir())
