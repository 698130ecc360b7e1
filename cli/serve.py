"""`fifthbranch serve`: the HTTP API with the champion model (issue #6)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.pending import not_yet


def serve(
    host: Annotated[str, typer.Option("--host", help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to bind")] = 8000,
) -> None:
    """Serve the HTTP API with the `champion` model."""
    not_yet("serve", 6, "the recommendation API")
