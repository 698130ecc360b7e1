"""MLflow stores for tests: migrate one SQLite store per session, copy it per test.

Creating a SQLite tracking store runs every migration (about 2.5 s); copying a migrated
file takes milliseconds. Import the fixtures into a test module or conftest to use them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def migrated_mlflow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with MLflow's tracking and registry tables, created once."""
    from mlflow.store.model_registry.sqlalchemy_store import (
        SqlAlchemyStore as RegistryStore,
    )
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    folder = tmp_path_factory.mktemp("mlflow-template")
    path = folder / "mlflow.db"
    uri = f"sqlite:///{path}"
    SqlAlchemyStore(uri, (folder / "artifacts").as_uri())
    RegistryStore(uri)
    return path


def copy_store(template: Path, home: Path) -> Path:
    """Place a migrated store where the settings' default URI looks for it."""
    home.mkdir(parents=True, exist_ok=True)
    target = home / "mlflow.db"
    shutil.copyfile(template, target)
    return target


@pytest.fixture
def mlflow_home(fb_home: Path, migrated_mlflow_db: Path) -> Path:
    """`fb_home` with an already-migrated default MLflow store in it."""
    copy_store(migrated_mlflow_db, fb_home)
    return fb_home
