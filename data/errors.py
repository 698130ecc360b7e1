"""User-facing errors: a message a person can act on, never a traceback.

Every package raises a subclass of `FifthBranchError` for a mistake in what it was
given (a file, a setting, a version); the CLI prints the message on one line and exits
with status 2. Anything else is a bug and is reported as one.
"""

from __future__ import annotations


class FifthBranchError(Exception):
    """A problem the user can fix; `str(error)` says what and how."""

    exit_code = 2


class DataFileError(FifthBranchError):
    """A data file that cannot be used at all (unreadable, empty, missing a column)."""


class ConfigurationError(FifthBranchError):
    """A setting or environment variable with a value that cannot work."""


class NotYetAvailableError(FifthBranchError):
    """A contract command whose issue has not landed; says which issue brings it."""

    exit_code = 3
