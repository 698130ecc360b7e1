"""Contract commands whose issue has not landed say so plainly and exit non-zero."""

from __future__ import annotations

from typing import NoReturn

from data.errors import NotYetAvailableError


def not_yet(command: str, issue: int, what: str) -> NoReturn:
    """Refuse honestly: name the command and the issue that brings it."""
    raise NotYetAvailableError(
        f"`fifthbranch {command}` is not available yet: it lands with issue #{issue} ({what})"
    )
