"""`fifthbranch train`: train, evaluate, log and register in MLflow (issue #5)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def train(
    data: Annotated[Path, typer.Option("--data", help="historical calls (.csv or .parquet)")],
    seed: Annotated[int, typer.Option("--seed", help="random seed (split and model)")] = 0,
    test_fraction: Annotated[float, typer.Option(
        "--test-fraction", min=0.05, max=0.5, help="share of calls held out for testing")] = 0.2,
    cross_style: Annotated[bool, typer.Option(
        "--cross-style/--no-cross-style",
        help="also score train-on-other-styles folds when the data has a style column")] = True,
) -> None:
    """Train, evaluate, log to MLflow, register a version; promote it if it passes the gate."""
    from rich.console import Console

    from training.pipeline import TrainOptions
    from training.pipeline import train as run_training
    from training.report import ConsoleProgress, print_summary

    console = Console(stderr=True)
    options = TrainOptions(seed=seed, test_fraction=test_fraction, cross_style=cross_style)
    result = run_training(data, options=options, progress=ConsoleProgress(console))
    print_summary(Console(), result)
