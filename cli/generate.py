"""`fifthbranch generate`: write a synthetic call history (issue #3)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

DEFAULT_NOISE = 0.02  # mirrors data.generator.DEFAULT_LABEL_NOISE without importing pandas


def generate(
    rows: Annotated[int, typer.Option("--rows", min=1, help="how many calls")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 0,
    out: Annotated[Path, typer.Option("--out", help="output file (.csv or .parquet)")] = Path(
        "history.csv"),
    mix: Annotated[str | None, typer.Option(
        "--mix", help="label shares, e.g. heart=0.45,co_response=0.2,police=0.35 "
        "(must sum to 1)")] = None,
    label_noise: Annotated[float, typer.Option(
        "--label-noise", help="share of labels moved one step, never below a "
        "questionnaire floor; 0 turns it off")] = DEFAULT_NOISE,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="processes (default: one per core); the output does "
        "not depend on it")] = None,
) -> None:
    """Write a synthetic historical data set (CSV or Parquet by extension)."""
    from data.generator import parse_mix, write_history
    from data.generator.mix import validate_label_noise

    shares = parse_mix(mix) if mix is not None else None
    validate_label_noise(label_noise)
    started = time.perf_counter()
    written = write_history(out, rows, seed, shares, label_noise, workers=workers)
    elapsed = time.perf_counter() - started
    typer.echo(f"wrote {written} calls to {out} in {elapsed:.1f} s")
