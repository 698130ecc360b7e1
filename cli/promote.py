"""`fifthbranch promote`: a person moves `champion` to a version (issue #5)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.pending import not_yet


def promote(
    version: Annotated[str, typer.Argument(help="registered model version")],
    reason: Annotated[str, typer.Option("--reason", help="why, for the record")],
) -> None:
    """Move the `champion` alias to VERSION, recorded with who, when and why."""
    not_yet("promote", 5, "training and MLflow")
