"""`fifthbranch audit ...`: verify, replay, report and export labels (issues #6, #7).

Each command opens the audit log named by `FIFTHBRANCH_DB_URL` read-only in effect (it
never appends) and refuses to create an empty SQLite file where none exists: a typo in
the path should say "no audit log here", not "0 rows, all fine".
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from serving.audit.store import AuditStore

audit_app = typer.Typer(help="Read and check the audit log.", no_args_is_help=True)


def open_store() -> AuditStore:
    """The audit store of the settings; an error naming the file if a SQLite log is missing."""
    from sqlalchemy.engine import make_url

    from data.errors import ConfigurationError
    from data.settings import get_settings
    from serving.audit.store import AuditStore

    url = get_settings().db_url
    try:
        parsed = make_url(url)
    except Exception:
        parsed = None
    if parsed is not None and parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not Path(database).expanduser().exists():
            raise ConfigurationError(
                f"no audit log at {database}: nothing has been recorded there yet "
                "(set FIFTHBRANCH_DB_URL or FIFTHBRANCH_HOME to the server's)")
    return AuditStore.from_url(url)


@audit_app.command("verify")
def verify() -> None:
    """Check the audit log's hash chain; name the first broken row; exit non-zero if broken."""
    store = open_store()
    try:
        result = store.verify()
    finally:
        store.close()
    if result.ok:
        typer.echo(f"audit log intact: {result.checked} rows checked (decisions and "
                   f"outcomes) in {store.safe_url}")
        return
    broken = result.first_broken
    assert broken is not None
    where = f"{broken.table} row {broken.seq}"
    if broken.decision_id:
        where += f" (decision {broken.decision_id})"
    typer.secho(f"audit log BROKEN at {where}: {broken.why}; {result.checked} rows read "
                f"in {store.safe_url}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


@audit_app.command("replay")
def replay(
    decision_id: Annotated[str, typer.Argument(help="the decision to re-decide")],
    with_: Annotated[str | None, typer.Option(
        "--with", help="'champion': today's champion instead of the recorded version "
        "(what-if)")] = None,
) -> None:
    """Re-decide a stored call with the recorded (or today's) model and rules.

    Prints "identical" or each field that differs; exits 1 when anything differs.
    """
    from data.settings import get_settings
    from serving.replay import replay as run_replay

    if with_ not in (None, "champion"):
        raise typer.BadParameter(f"only 'champion' is accepted, not {with_!r}",
                                 param_hint="--with")
    store = open_store()
    try:
        result = run_replay(store, get_settings(), decision_id,
                            with_champion=with_ == "champion")
    finally:
        store.close()
    typer.echo(result.summary())
    if not result.identical:
        raise typer.Exit(1)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a day (YYYY-MM-DD)",
                                 param_hint=option) from None


@audit_app.command("report")
def report(
    from_: Annotated[str, typer.Option("--from", help="first day (YYYY-MM-DD, UTC)")],
    to: Annotated[str, typer.Option("--to", help="last day, included (YYYY-MM-DD, UTC)")],
    out: Annotated[Path, typer.Option("--out", help="report file (.html)")],
) -> None:
    """Write the program report as one self-contained HTML file (CSS and charts inline)."""
    from serving.pages.report_render import render_report_file
    from serving.reports import build_report, facts_from_store, period_bounds

    first, last = _day(from_, "--from"), _day(to, "--to")
    if last < first:
        raise typer.BadParameter(f"the period ends ({last}) before it starts ({first})",
                                 param_hint="--to")
    start, end = period_bounds(first, last)
    store = open_store()
    try:
        program = build_report(facts_from_store(store, start, end), start, end)
    finally:
        store.close()
    _write_atomically(out, render_report_file(program))
    typer.echo(f"wrote the report for {first} to {last} ({program.total} decisions) to {out}")


def _write_atomically(out: Path, text: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, out)


@audit_app.command("export-labels")
def export_labels(
    out: Annotated[Path, typer.Option("--out", help="training rows (.csv or .parquet)")],
) -> None:
    """Export decisions with reported outcomes as training rows (the training-file layout).

    The label comes from the latest outcome (policy in serving/export_labels.py): e.g. a
    HEART call that needed police backup is labelled co_response (under-triage).
    """
    from serving.export_labels import check_format, collect, rows_to_frame, write_export

    check_format(out)
    store = open_store()
    try:
        export = collect(store)
    finally:
        store.close()
    write_export(rows_to_frame(export.rows), out)
    skipped = (f"; {export.unlabelled} gave no label (nobody was sent)"
               if export.unlabelled else "")
    typer.echo(f"wrote {len(export.rows)} training rows to {out} from "
               f"{export.with_outcome} decisions with an outcome{skipped}")
