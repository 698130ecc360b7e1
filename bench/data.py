"""Inputs for the benchmarks: cached histories, held-out calls, a fitted Recommender."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.config import HELD_OUT_SEED, TRAIN_SEED

if TYPE_CHECKING:
    import pandas as pd

    from data.schema import CallRecord
    from model.recommender import Recommender

GENERATOR_DIR = Path(__file__).resolve().parent.parent / "data" / "generator"


def generator_fingerprint() -> str:
    """A hash of the generator's source, so a cached history is redone when it changes."""
    digest = hashlib.sha256()
    for path in sorted(GENERATOR_DIR.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def history_path(work_dir: Path, rows: int, seed: int = TRAIN_SEED) -> Path:
    return work_dir / f"history-{rows}-s{seed}-{generator_fingerprint()}.csv"


def history(work_dir: Path, rows: int, seed: int = TRAIN_SEED) -> Path:
    """A CSV history of `rows` calls, generated once and reused while the generator is unchanged."""
    from data.generator import write_history

    path = history_path(work_dir, rows, seed)
    if not path.exists():
        write_history(path, rows, seed)
    return path


def held_out_frame(rows: int, seed: int = HELD_OUT_SEED) -> pd.DataFrame:
    """Validated calls (file layout, no label) from a seed the model was not trained on."""
    from data.generator import generate_frame
    from data.loaders import validate_frame

    raw = generate_frame(rows, seed).drop(columns=["responder"])
    checked = validate_frame(raw, "held-out calls")
    assert not len(checked.rejects), checked.rejects.head()
    return checked.frame


def held_out_records(rows: int, seed: int = HELD_OUT_SEED) -> list[CallRecord]:
    from data.table import frame_to_records

    return frame_to_records(held_out_frame(rows, seed))


def fitted_recommender(work_dir: Path, rows: int) -> tuple[Recommender, dict[str, Any]]:
    """`Recommender.fit` on a validated history of `rows` calls; (model, how it went).

    This is set-up, not a figure: BLAS is held to one thread while fitting because that
    is several times faster on a small, busy machine (see the `train` bench). What is
    measured afterwards runs with the libraries' default threads, as the service does.
    """
    import time

    from threadpoolctl import threadpool_limits

    from data.loaders import load_calls
    from model.recommender import Recommender

    loaded = load_calls(history(work_dir, rows), require_label=True)
    started = time.perf_counter()
    with threadpool_limits(1):
        recommender = Recommender.fit(loaded.frame, loaded.frame["responder"],
                                      random_state=0)
    info = {"train_rows": len(loaded.frame), "fit_seconds": time.perf_counter() - started,
            "n_features": recommender.params.get("n_features")}
    return recommender, info
