"""`fifthbranch audit ...`: verify, replay, report and export labels (issues #6, #7)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.pending import not_yet

audit_app = typer.Typer(help="Read and check the audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify() -> None:
    """Check the audit log's hash chain; name the first broken row; exit non-zero if broken."""
    not_yet("audit verify", 6, "the audit log")


@audit_app.command("replay")
def replay(
    decision_id: Annotated[str, typer.Argument(help="the decision to re-decide")],
    with_: Annotated[str | None, typer.Option("--with", help="'champion' for what-if")] = None,
) -> None:
    """Re-decide a stored call with the recorded (or today's) model and rules."""
    not_yet("audit replay", 7, "auditor tools")


@audit_app.command("report")
def report(
    from_: Annotated[str, typer.Option("--from", help="first day (YYYY-MM-DD)")],
    to: Annotated[str, typer.Option("--to", help="last day (YYYY-MM-DD)")],
    out: Annotated[Path, typer.Option("--out", help="report file (.html)")],
) -> None:
    """Write the program report as one self-contained HTML file."""
    not_yet("audit report", 7, "auditor tools")


@audit_app.command("export-labels")
def export_labels(
    out: Annotated[Path, typer.Option("--out", help="training rows (.csv or .parquet)")],
) -> None:
    """Export decisions with reported outcomes as training rows."""
    not_yet("audit export-labels", 7, "auditor tools")
