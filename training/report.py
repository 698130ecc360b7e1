"""What a person sees in the terminal: stage lines while training, a summary at the end.

The pipeline reports through the small `Progress` interface; `QuietProgress` keeps tests
and library callers silent, `ConsoleProgress` draws rich stage lines (a spinner while a
stage runs on a terminal, one line with its duration when it ends).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from training.pipeline import TrainResult

FIGURES = ("accuracy", "macro_f1", "under_triage_rate", "under_triage_police",
           "under_triage_co_response", "over_triage_rate", "brier_score", "ece")


class Progress(Protocol):
    def stage(self, text: str) -> AbstractContextManager[None]: ...

    def note(self, text: str) -> None: ...


class QuietProgress:
    """Reports nothing."""

    @contextmanager
    def stage(self, text: str) -> Iterator[None]:
        yield

    def note(self, text: str) -> None:
        return None


class ConsoleProgress:
    """Rich stage lines with durations; a spinner while a stage runs on a terminal."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)

    @contextmanager
    def stage(self, text: str) -> Iterator[None]:
        started = time.perf_counter()
        with self.console.status(f"{text}…"):
            yield
        self.console.print(f"[green]✓[/] {text} [dim]({time.perf_counter() - started:.1f} s)[/]")

    def note(self, text: str) -> None:
        self.console.print(f"  {text}")


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def summary_table(model: Mapping[str, float], final: Mapping[str, float],
                  baseline: Mapping[str, float]) -> Table:
    """Model alone vs final decision vs rules-only baseline on the same test calls."""
    table = Table(title="Test split: what the model adds", title_justify="left")
    table.add_column("figure")
    for column in ("model alone", "final (after rules)", "rules-only baseline"):
        table.add_column(column, justify="right")
    for key in FIGURES:
        style = "bold" if key == "under_triage_rate" else None
        table.add_row(key, _cell(model.get(key)), _cell(final.get(key)),
                      _cell(baseline.get(key)), style=style)
    return table


def gate_table(challenger: Mapping[str, float], champion: Mapping[str, float] | None,
               champion_version: str | None) -> Table:
    """The gate's two sets of figures side by side."""
    table = Table(title="Promotion gate (final decisions, same test calls)",
                  title_justify="left")
    table.add_column("figure")
    table.add_column("challenger", justify="right")
    table.add_column(f"champion v{champion_version}" if champion_version else "champion",
                     justify="right")
    for key, value in challenger.items():
        table.add_row(key, _cell(value), _cell((champion or {}).get(key)))
    return table


def print_summary(console: Console, result: TrainResult) -> None:
    """The end-of-run summary: figures, cross-style scores, gate verdict, where it went."""
    challenger, baseline = result.challenger, result.baseline
    console.print(summary_table(challenger.model, challenger.final, baseline.final))
    if result.cross_style:
        table = Table(title="Cross-style (train on the other styles)", title_justify="left")
        for column in ("held-out style", "final macro_f1", "final under_triage_rate"):
            table.add_column(column, justify="left" if column == "held-out style" else "right")
        for style, scores in result.cross_style.items():
            table.add_row(style, _cell(scores["macro_f1"]), _cell(scores["under_triage_rate"]))
        table.add_row("mean", _cell(result.metrics.get("cross_style_mean_macro_f1")),
                      _cell(result.metrics.get("cross_style_mean_under_triage_rate")),
                      style="bold")
        console.print(table)
    verdict = result.verdict
    if verdict.champion is not None:
        console.print(gate_table(verdict.challenger, verdict.champion,
                                 verdict.champion_version))
    colour = "green" if verdict.promote else "yellow"
    aliases = "challenger, champion" if verdict.promote else "challenger"
    console.print(f"[{colour}]gate: {verdict.outcome}[/] - {verdict.reason}")
    console.print(f"registered {result.model_name} v{result.model_version} "
                  f"(aliases: {aliases}); MLflow run {result.run_id}")
    if result.n_rejected:
        console.print(f"[yellow]{result.n_rejected} rows rejected[/], written to "
                      f"{result.rejects_path}")
