"""Fixtures shared by every test package: an isolated home folder and the live PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import pandas as pd

    from model.recommender import Recommender

DEFAULT_TEST_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def fb_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh `FIFTHBRANCH_HOME` with every location at its embedded default."""
    home = tmp_path / "fbhome"
    home.mkdir()
    monkeypatch.setenv("FIFTHBRANCH_HOME", str(home))
    for name in ("MLFLOW_TRACKING_URI", "FIFTHBRANCH_DB_URL", "FIFTHBRANCH_API_KEYS"):
        monkeypatch.delenv(name, raising=False)
    return home


def _libpq(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://`) as psycopg's own connection string."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """The live PostgreSQL's URL; skip without it, but fail when CI requires it."""
    import psycopg

    url = os.environ.get("FIFTHBRANCH_TEST_PG_URL", DEFAULT_TEST_PG_URL)
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3) as connection:
            connection.execute("select 1")
    except psycopg.Error as error:
        message = f"PostgreSQL at {url} is unreachable: {error}"
        if os.environ.get("FIFTHBRANCH_REQUIRE_PG", "") not in ("", "0"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    name = f"fb_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(pg_server_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = pg_server_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_libpq(pg_server_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


#: Rows of the generated history the shared test model is trained on.
TRAINED_ROWS = 4000


@pytest.fixture(scope="session")
def training_frame() -> pd.DataFrame:
    """A validated, generated history: the file layout plus `responder` and `style`."""
    from data.generator import generate_frame
    from data.loaders import validate_frame

    return validate_frame(generate_frame(TRAINED_ROWS, seed=5), require_label=True).frame


@pytest.fixture(scope="session")
def trained_recommender(training_frame: pd.DataFrame) -> Recommender:
    """One real Recommender per test session, trained on `training_frame`."""
    from model.recommender import Recommender

    return Recommender.fit(training_frame, training_frame["responder"], random_state=0)
