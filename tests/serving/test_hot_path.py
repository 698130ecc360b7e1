"""What keeps POST /v1/recommendations fast (issue #6: median under 5 ms with audit)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.serving.conftest import CALL, auth


def _calls(dependant: Any) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _is_async(call: Callable[..., Any]) -> bool:
    method = call if inspect.isfunction(call) else type(call).__call__
    return inspect.iscoroutinefunction(method)


@pytest.mark.parametrize(("path", "body"), [("/v1/recommendations", CALL),
                                            ("/v1/recommendations/batch", {"calls": [CALL]})])
def test_recommendation_dependencies_run_on_the_event_loop(
        make_client: Callable[..., TestClient], sqlite_url: str, path: str,
        body: dict[str, Any]) -> None:
    """FastAPI hands every plain `def` dependency to its thread pool, one hand-off per
    dependency per request; on the hot path those cost more than the checks."""
    app = make_client(sqlite_url).app  # started: the service is on app.state
    matched: list[Any] = []

    async def spy(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await app(scope, receive, send)
        matched.append(scope.get("route"))  # the router sets it on the shared scope

    answer = TestClient(spy).post(path, json=body, headers=auth("dispatch"))
    assert answer.status_code == 200
    calls = list(_calls(matched[0].dependant))
    assert {getattr(call, "__name__", type(call).__name__) for call in calls} >= {
        "known_query_only", "check", "HTTPBearer"}
    assert [call for call in calls if not _is_async(call)] == []
