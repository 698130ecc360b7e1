"""Hostile input from the contract itself: schemathesis reads `/openapi.json` and throws
generated requests, valid and invalid, at every operation, in-process over ASGI, with an
admin key (admin may call everything). No answer may be a 5xx, and every answer must
match the status codes, headers and body schemas the document declares: the document is
what CAD vendors build their clients from.

The strategies are driven by plain Hypothesis inside one test per generation mode
(`schemathesis.pytest.from_fixture` breaks on pytest 9: it sets `Function._nodeid`), so
the app can be built from fixtures, with the session's real trained model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from data.settings import Settings
from serving.app import create_app
from tests.serving.conftest import KEY_SPEC, auth

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
#: Invalid input must be rejected with a 4xx. (The converse, `positive_data_acceptance`,
#: is not asked: some schema-valid input is rightly refused, e.g. `to` before `from`, or a
#: NUL character, which PostgreSQL cannot store.)
MODE_CHECKS = {GenerationMode.POSITIVE: [], GenerationMode.NEGATIVE: [negative_data_rejection]}
EXAMPLES = 30


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, trained_recommender: Any) -> Any:
    """The schema of a started app (schemathesis runs its lifespan) over a SQLite log."""
    home: Path = tmp_path_factory.mktemp("schemathesis-home")
    model = trained_recommender.with_identity(model_name="fifthbranch-responder",
                                              model_version="1", run_id="run-1")
    app = create_app(Settings(FIFTHBRANCH_HOME=home, FIFTHBRANCH_API_KEYS=KEY_SPEC,
                              FIFTHBRANCH_DB_URL=f"sqlite:///{home / 'audit.db'}"),
                     loader=lambda: model, rate_limit=None)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _run(operation: Any, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        case.call_and_validate(headers=auth("admin"), checks=[*CHECKS, *MODE_CHECKS[mode]])

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["valid", "invalid"])
def test_every_operation_answers_within_its_documented_contract(
        api_schema: Any, mode: GenerationMode) -> None:
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _run(operation, mode)
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # no parameter or body to make invalid
        except (Exception, BaseExceptionGroup) as error:  # every operation, not just the first
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert operations >= 9
    assert not failures, "\n\n".join(failures)
