"""Serving fixtures: an app over a real audit database (SQLite file or live PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from data.settings import get_settings
from serving.app import create_app
from serving.audit import AuditStore
from tests.serving.stub_recommender import StubRecommender

KEYS = {"dispatch": "disp-key-0123456789", "auditor": "audi-key-0123456789",
        "admin": "admin-key-0123456789"}
KEY_SPEC = ",".join(f"{role}:{key}" for role, key in KEYS.items())


def auth(role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


CALL = {"call_id": "2026-000001", "narrative": "RP states man sleeping in vestibule",
        "questionnaire": {"weapons": "no"}, "district": "D2"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, fb_home: Path) -> str:
    """The audit database: a SQLite file in the home folder, or a fresh PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite:///{fb_home / 'audit.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def sqlite_url(fb_home: Path) -> str:
    return f"sqlite:///{fb_home / 'audit.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[AuditStore]:
    audit = AuditStore.from_url(db_url)
    audit.migrate()
    yield audit
    audit.close()


@pytest.fixture
def make_client(monkeypatch: pytest.MonkeyPatch, fb_home: Path
                ) -> Iterator[Callable[..., TestClient]]:
    """Build a started app: `make_client(db_url, keys=KEY_SPEC, loader=..., **kwargs)`."""
    clients: list[TestClient] = []

    def make(db_url: str, *, keys: str = KEY_SPEC, loader: Callable[[], Any] | None = None,
             **kwargs: Any) -> TestClient:
        monkeypatch.setenv("FIFTHBRANCH_DB_URL", db_url)
        monkeypatch.setenv("FIFTHBRANCH_API_KEYS", keys)
        app = create_app(get_settings(), loader=loader or StubRecommender, **kwargs)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient], db_url: str) -> TestClient:
    return make_client(db_url)
