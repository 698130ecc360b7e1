"""Fault-test fixtures: a real saved model, live servers that are always cleaned up, and a
cuttable proxy in front of the shared PostgreSQL (which itself is never stopped)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy.engine import make_url

from tests.faults.live import LiveServer
from tests.faults.tcp_proxy import TcpProxy

if TYPE_CHECKING:
    from model.recommender import Recommender

#: Set to 1 to run the live-server tests with the serving tests' stand-in model
#: (iterating on the serving layer without training); CI uses the real model.
STUB_ENV = "FIFTHBRANCH_FAULTS_STUB"


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory,
              request: pytest.FixtureRequest) -> Path | None:
    """The session's trained Recommender, saved as the registry keeps it."""
    if os.environ.get(STUB_ENV, "") not in ("", "0"):
        return None
    recommender: Recommender = request.getfixturevalue("trained_recommender")
    target = tmp_path_factory.mktemp("fault-model") / "model"
    recommender.save(target)
    return target


@pytest.fixture
def recommender_loader(request: pytest.FixtureRequest) -> Callable[[], Any]:
    """A loader for in-process apps: the session's trained Recommender (or the stub)."""
    if os.environ.get(STUB_ENV, "") not in ("", "0"):
        from tests.serving.stub_recommender import StubRecommender

        return StubRecommender
    recommender = request.getfixturevalue("trained_recommender")
    labelled = recommender.with_identity(model_name="fifthbranch-responder",
                                         model_version="1", run_id="fault-test-run")
    return lambda: labelled


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """`servers(db_url=..., **kwargs)`: an unstarted LiveServer, stopped after the test."""
    made: list[LiveServer] = []

    def make(**kwargs: Any) -> LiveServer:
        kwargs.setdefault("home", tmp_path / "home")
        kwargs.setdefault("db_url", f"sqlite:///{kwargs['home'] / 'audit.db'}")
        server = LiveServer(**kwargs)
        made.append(server)
        return server

    yield make
    for server in made:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=30)


@pytest.fixture
def pg_proxy(pg_server_url: str) -> Iterator[TcpProxy]:
    """A proxy in front of the test PostgreSQL that the test can cut and restore."""
    url = make_url(pg_server_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


def through(proxy: TcpProxy, db_url: str) -> str:
    """`db_url` reached through `proxy` instead of directly."""
    return make_url(db_url).set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)
