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
    out_of_core: Annotated[bool, typer.Option(
        "--out-of-core", help="hashed words and SGD in chunks: no vocabulary, for millions "
        "of rows (less accurate below about 200,000; README 'Model choice')")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=0, help="processes for normalising, hashing and evaluating "
        "(0: every core); results do not depend on it")] = 0,
) -> None:
    """Train, evaluate, log to MLflow, register a version; promote it if it passes the gate."""
    from rich.console import Console

    from training.pipeline import TrainOptions
    from training.pipeline import train as run_training
    from training.report import ConsoleProgress, print_summary

    console = Console(stderr=True)
    options = TrainOptions(seed=seed, test_fraction=test_fraction, cross_style=cross_style,
                           out_of_core=out_of_core, workers=workers or None)
    result = run_training(data, options=options, progress=ConsoleProgress(console))
    print_summary(Console(), result)
