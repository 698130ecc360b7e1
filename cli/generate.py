"""`fifthbranch generate`: write a synthetic call history (issue #3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.pending import not_yet


def generate(
    rows: Annotated[int, typer.Option("--rows", min=1, help="how many calls")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="random seed")] = 0,
    out: Annotated[Path, typer.Option("--out", help="output file (.csv or .parquet)")] = Path(
        "history.csv"),
) -> None:
    """Write a synthetic historical data set (CSV or Parquet by extension)."""
    not_yet("generate", 3, "the synthetic call history")
