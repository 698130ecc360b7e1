"""`fifthbranch promote`: a person moves `champion` to a version (issue #5)."""

from __future__ import annotations

from typing import Annotated

import typer


def promote(
    version: Annotated[str, typer.Argument(help="registered model version")],
    reason: Annotated[str, typer.Option("--reason", help="why, for the record")],
) -> None:
    """Move the `champion` alias to VERSION, recorded with who, when and why."""
    from training.promotion import promote as move_champion

    done = move_champion(version, reason)
    previous = f" (was v{done.previous})" if done.previous else ""
    typer.echo(f"{done.name} v{done.version} is now champion{previous}; "
               f"recorded: by {done.who} at {done.when}, reason: {done.why}")
