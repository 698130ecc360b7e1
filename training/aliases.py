"""Registry aliases: `challenger` for every new version, `champion` for the one served.

Aliases replace MLflow's deprecated stages. Every move of `champion`, by the gate or by a
person, is recorded as tags on the version that receives it (who, when in UTC, why, how,
and which version was champion before), so the registry itself is the promotion log.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from data.errors import FifthBranchError

if TYPE_CHECKING:
    from mlflow import MlflowClient

CHAMPION = "champion"
CHALLENGER = "challenger"


class UnknownVersionError(FifthBranchError):
    """A registered model version that does not exist."""


@dataclass(frozen=True)
class Promotion:
    """A move of `champion`, as recorded on the version."""

    name: str
    version: str
    previous: str | None
    who: str
    when: str
    why: str
    how: str  # "gate" or "manual"

    def tags(self) -> dict[str, str]:
        return {"champion_promoted_by": self.who, "champion_promoted_at": self.when,
                "champion_reason": self.why, "champion_promoted_how": self.how,
                "champion_previous_version": self.previous or "none"}


def current_user() -> str:
    """Who is acting: `$USER`, else the login name, else "unknown"."""
    user = os.environ.get("USER") or os.environ.get("USERNAME")
    if user:
        return user
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def version_for_alias(client: MlflowClient, name: str, alias: str) -> str | None:
    """The version holding `alias`, or `None` when the model or the alias does not exist."""
    from mlflow.exceptions import MlflowException

    try:
        return str(client.get_model_version_by_alias(name, alias).version)
    except MlflowException:
        return None


def set_challenger(client: MlflowClient, name: str, version: str) -> None:
    client.set_registered_model_alias(name, CHALLENGER, version)


def crown(client: MlflowClient, name: str, version: str, *, why: str, how: str) -> Promotion:
    """Move `champion` to `version` and record the move as tags on that version."""
    check_version(client, name, version)
    promotion = Promotion(
        name=name, version=str(version),
        previous=version_for_alias(client, name, CHAMPION), who=current_user(),
        when=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), why=why, how=how)
    client.set_registered_model_alias(name, CHAMPION, str(version))
    for key, value in promotion.tags().items():
        client.set_model_version_tag(name, str(version), key, value)
    return promotion


def check_version(client: MlflowClient, name: str, version: str) -> None:
    """Raise `UnknownVersionError`, naming the versions that exist, for a bad version."""
    from mlflow.exceptions import MlflowException

    if not str(version).isdigit():
        raise UnknownVersionError(
            f"{version!r} is not a model version number; {_known(client, name)}")
    try:
        client.get_model_version(name, str(version))
    except MlflowException:
        raise UnknownVersionError(
            f"model {name!r} has no version {version}; {_known(client, name)}") from None


def _known(client: MlflowClient, name: str) -> str:
    from mlflow.exceptions import MlflowException

    try:
        versions = sorted(int(v.version) for v in
                          client.search_model_versions(f"name = '{name}'"))
    except MlflowException:
        versions = []
    if not versions:
        return f"no versions of {name!r} are registered yet (run `fifthbranch train`)"
    return f"registered versions: {', '.join(map(str, versions))}"
