"""A person's override of the gate: `fifthbranch promote VERSION --reason TEXT`."""

from __future__ import annotations

from data.errors import FifthBranchError
from data.settings import Settings, get_settings
from training import aliases, tracking


def promote(version: str, reason: str, settings: Settings | None = None) -> aliases.Promotion:
    """Move `champion` to `version`, recorded as tags (who, when, why, previous champion).

    A blank reason is refused: the record exists so that someone can later ask why.
    Promoting the version that already holds `champion` is allowed and recorded again
    (re-affirming a champion after review is a decision worth keeping).
    """
    settings = settings or get_settings()
    if not reason.strip():
        raise FifthBranchError("--reason must say why the champion changes (it is recorded)")
    client = tracking.configure(settings)
    return aliases.crown(client, settings.model_name, version.strip(), why=reason.strip(),
                         how="manual")
