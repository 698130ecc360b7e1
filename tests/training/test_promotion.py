"""A person's promotion moves `champion` and is recorded on the version."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.errors import FifthBranchError
from data.settings import get_settings
from training import aliases, tracking
from training.promotion import promote


def _register_versions(home: Path, count: int) -> None:
    client = tracking.configure(get_settings())
    name = get_settings().model_name
    client.create_registered_model(name)
    source = home / "fake-model"
    source.mkdir()
    (source / "MLmodel").write_text("flavors: {}\n")
    for _ in range(count):
        client.create_model_version(name, source.as_uri())


def test_promote_moves_champion_and_records_who_when_why(
        mlflow_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "dana")
    _register_versions(mlflow_home, 2)
    promote("1", "first pick")
    done = promote("2", "  reviewed by the board  ")
    client = tracking.configure(get_settings())
    name = get_settings().model_name
    assert aliases.version_for_alias(client, name, aliases.CHAMPION) == "2"
    tags = client.get_model_version(name, "2").tags
    assert tags["champion_promoted_by"] == "dana"
    assert tags["champion_reason"] == "reviewed by the board"
    assert tags["champion_previous_version"] == "1"
    assert tags["champion_promoted_how"] == "manual"
    assert tags["champion_promoted_at"] == done.when and done.when.endswith("Z")


def test_unknown_version_names_the_versions_that_exist(mlflow_home: Path) -> None:
    _register_versions(mlflow_home, 2)
    with pytest.raises(aliases.UnknownVersionError, match="no version 7; registered "
                                                          "versions: 1, 2"):
        promote("7", "typo")
    with pytest.raises(aliases.UnknownVersionError, match="not a model version number"):
        promote("latest", "typo")


def test_nothing_registered_says_to_train_first(mlflow_home: Path) -> None:
    with pytest.raises(aliases.UnknownVersionError, match="fifthbranch train"):
        promote("1", "why not")


def test_blank_reason_is_refused(mlflow_home: Path) -> None:
    with pytest.raises(FifthBranchError, match="--reason"):
        promote("1", "   ")
