"""The dependency-audit gate: vulnerabilities fail it, an unreachable PyPI does not, and
it never reports "no known vulnerabilities" for packages it could not check."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.security import audit_dependencies


def _pip_audit_answers(monkeypatch: pytest.MonkeyPatch, stdout: str, stderr: str = "",
                       code: int = 0) -> None:
    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        assert "--skip-editable" in command and "json" in command
        return subprocess.CompletedProcess(command, code, stdout, stderr)

    monkeypatch.setattr(subprocess, "run", run)


def test_a_known_vulnerability_fails_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    _pip_audit_answers(monkeypatch, json.dumps({"dependencies": [
        {"name": "jinja2", "version": "3.0.0", "vulns": [
            {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}]},
        {"name": "orjson", "version": "3.10.0", "vulns": []}]}), code=1)
    status, text = audit_dependencies.audit([])
    assert status == 1
    assert "jinja2 3.0.0: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in text
    assert "1 with known vulnerabilities" in text


def test_an_unreachable_pypi_is_reported_and_does_not_fail(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _pip_audit_answers(monkeypatch, "", "requests.exceptions.ConnectionError: no route", 1)
    status, text = audit_dependencies.audit([])
    assert status == 0 and "could not be reached" in text and "SKIPPED" in text


def test_nothing_auditable_is_not_called_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    _pip_audit_answers(monkeypatch, json.dumps({"dependencies": [
        {"name": "orjson", "skip_reason": "Dependency not found on PyPI"}]}))
    status, text = audit_dependencies.audit([])
    assert status == 0 and "0 packages audited" in text and "SKIPPED" in text


def test_a_clean_audit_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    _pip_audit_answers(monkeypatch, json.dumps({"dependencies": [
        {"name": "orjson", "version": "3.10.0", "vulns": []}]}))
    status, text = audit_dependencies.audit([])
    assert status == 0 and "1 packages audited" in text and "SKIPPED" not in text
