"""`fifthbranch train`: train, evaluate, log and register in MLflow (issue #5)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.pending import not_yet


def train(
    data: Annotated[Path, typer.Option("--data", help="historical calls (.csv or .parquet)")],
) -> None:
    """Train, evaluate, log to MLflow, register a version; promote it if it passes the gate."""
    not_yet("train", 5, "training and MLflow")
