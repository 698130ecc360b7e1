"""What the parent runs in a child process (so each size gets its own peak memory).

`python -m bench.child generate --rows N --seed S --out FILE` and
`python -m bench.child train --data FILE` print JSON event lines on stdout: a `stage`
line as each stage starts and ends, then one `result` line.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.measure import emit


class EventProgress:
    """The training pipeline's `Progress`, reporting stages as JSON lines with durations."""

    def __init__(self) -> None:
        self.stages: list[dict[str, float | str]] = []

    @contextmanager
    def stage(self, text: str) -> Iterator[None]:
        emit("stage", name=text, state="start")
        started = time.perf_counter()
        yield
        seconds = time.perf_counter() - started
        self.stages.append({"name": text, "seconds": round(seconds, 3)})
        emit("stage", name=text, state="end", seconds=seconds)

    def note(self, text: str) -> None:
        emit("note", text=text)


def generate(rows: int, seed: int, out: Path) -> None:
    from data.generator import write_history

    emit("stage", name=f"write_history {rows:,} rows", state="start")
    started = time.perf_counter()
    written = write_history(out, rows, seed)
    seconds = time.perf_counter() - started
    emit("result", rows=written, seconds=seconds, bytes=out.stat().st_size)


def train(data: Path, out_of_core: bool = False) -> None:
    from training.pipeline import TrainOptions
    from training.pipeline import train as run_training

    progress = EventProgress()
    started = time.perf_counter()
    result = run_training(data, options=TrainOptions(seed=0, out_of_core=out_of_core),
                          progress=progress)
    seconds = time.perf_counter() - started
    emit("result", seconds=seconds, stages=progress.stages,
         train_rows=len(result.split.train), test_rows=len(result.split.test),
         fit_seconds=result.metrics.get("duration_fit_seconds"),
         macro_f1=result.metrics.get("macro_f1"), model_version=result.model_version)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate")
    gen.add_argument("--rows", type=int, required=True)
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--out", type=Path, required=True)
    fit = commands.add_parser("train")
    fit.add_argument("--data", type=Path, required=True)
    fit.add_argument("--out-of-core", action="store_true")
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.rows, args.seed, args.out)
    else:
        train(args.data, args.out_of_core)


if __name__ == "__main__":
    main()
