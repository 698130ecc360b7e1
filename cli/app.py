"""The `fifthbranch` command: sub-commands registered from one small module each.

Heavy imports (pandas, scikit-learn, MLflow, FastAPI) happen inside the commands, so
`fifthbranch --help` answers at once. A `FifthBranchError` is printed as one line and
exits 2; any other exception is a bug, reported in one line unless `--debug` is given.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from cli import audit, generate, predict, promote, serve, train
from data.errors import FifthBranchError

app = typer.Typer(
    name="fifthbranch",
    help="Fifth Branch: recommends HEART, co-response or police for a 911 call.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="show tracebacks on errors")] = False,
) -> None:
    """Fifth Branch: recommends HEART, co-response or police for a 911 call."""


app.command("generate")(generate.generate)
app.command("train")(train.train)
app.command("serve")(serve.serve)
app.command("predict")(predict.predict)
app.command("promote")(promote.promote)
app.add_typer(audit.audit_app, name="audit")


def _debugging(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("FIFTHBRANCH_DEBUG", "") not in ("", "0")


def main() -> None:
    """Console entry point: run the app, turning errors into one-line messages."""
    try:
        app()
    except FifthBranchError as error:
        if _debugging(sys.argv):
            raise
        typer.secho(f"error: {error}", fg=typer.colors.RED, err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        typer.secho("interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # a bug: say so plainly, the traceback is one flag away
        if _debugging(sys.argv):
            raise
        typer.secho(
            f"internal error: {type(error).__name__}: {error} "
            "(run again with --debug for the traceback, and please report it)",
            fg=typer.colors.RED, err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
