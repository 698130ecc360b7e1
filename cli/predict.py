"""`fifthbranch predict`: batch scoring of a file with the champion (issue #4)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.pending import not_yet


def predict(
    data: Annotated[Path, typer.Option("--data", help="call records (.csv or .parquet)")],
    out: Annotated[Path, typer.Option("--out", help="decisions file (.csv or .parquet)")],
) -> None:
    """Score a file of call records offline with the champion (rules applied)."""
    not_yet("predict", 4, "the Recommender")
