"""A broken model artifact and a broken rules file, as the service meets them at start-up.

A corrupt or missing model must not stop dispatch advice: the service starts with rules
only, and says so (`/readyz` degraded with the reason, `degraded: true` and the reason on
every decision). A rules file that cannot be read is different: the rules are the
safety floor, so the service refuses to start, naming the rule and the field.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

import model.rules
from data.settings import Settings
from model.registry import NoChampionError
from model.rules import RulesFileError
from serving.app import create_app
from serving.lifecycle import ModelHolder
from tests.faults.live import KEY_SPEC, KEYS, ROOT, LiveServer, clean_env, free_port
from tests.faults.serve_model import folder_loader

DISPATCH = {"Authorization": f"Bearer {KEYS['dispatch']}"}
CALL = {"call_id": "deg-1", "narrative": "caller says her son has a knife and wants to die",
        "questionnaire": {"weapons": "yes", "self_harm": "yes"}}


def _break_model(model_dir: Path, target: Path, how: str) -> Path:
    """A copy of the saved model, broken in one way."""
    shutil.copytree(model_dir, target)
    joblib = target / "recommender.joblib"
    if how == "corrupt":
        joblib.write_bytes(joblib.read_bytes()[: joblib.stat().st_size // 3])
    elif how == "missing-file":
        joblib.unlink()
    elif how == "missing-folder":
        shutil.rmtree(target)
    return target


def _break_rules(path: Path) -> str:
    """Give the first rule with a floor an impossible one (`heart`); its id."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"- id: (?P<id>[a-z0-9-]+)\n(?:(?!\s*- id:).*\n)*?\s*floor: (\w+)", text)
    assert found, "no rule with a floor in the rules file"
    start, end = found.span(2)
    path.write_text(text[:start] + "heart" + text[end:], encoding="utf-8")
    return found.group("id")


@pytest.fixture
def real_model(model_dir: Path | None) -> Path:
    if model_dir is None:
        pytest.skip("needs the real saved model, not the stand-in")
    return model_dir


@pytest.mark.slow
def test_a_corrupt_model_serves_rules_only_and_says_why(
        servers: Callable[..., LiveServer], real_model: Path, tmp_path: Path) -> None:
    broken = _break_model(real_model, tmp_path / "corrupt-model", "corrupt")
    server = servers(model_dir=broken).start()
    ready = httpx.get(f"{server.base_url}/readyz", timeout=10)
    assert ready.status_code == 200, ready.text  # still in rotation: advice goes on
    body = ready.json()
    assert body["status"] == "degraded" and body["model"]["degraded"] is True
    reason = body["model"]["degraded_reason"]
    assert "recommender.joblib" in reason and "cannot be read" in reason
    assert any(r.startswith("rules only: ") for r in body["reasons"])
    assert httpx.get(f"{server.base_url}/readyz?strict=true", timeout=10).status_code == 503
    answer = httpx.post(f"{server.base_url}/v1/recommendations", json=CALL, headers=DISPATCH,
                        timeout=10)
    assert answer.status_code == 200, answer.text
    decision = answer.json()
    assert decision["degraded"] is True and decision["model_recommendation"] is None
    assert "cannot be read" in decision["degraded_reason"]
    assert decision["recommendation"] in ("co_response", "police")  # the floors still hold
    assert server.stop() in (0, -15)
    assert "DEGRADED: serving with RULES ONLY" in server.log_text()


@pytest.mark.parametrize(("how", "says"), [("missing-file", "recommender.joblib is missing"),
                                           ("missing-folder", "not a saved model")])
def test_a_missing_model_serves_rules_only_and_says_why(
        real_model: Path, tmp_path: Path, how: str, says: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    broken = _break_model(real_model, tmp_path / "model", how)
    monkeypatch.setenv("FIFTHBRANCH_TEST_MODEL_DIR", str(broken))
    home = tmp_path / "home"
    settings = Settings(FIFTHBRANCH_HOME=home, FIFTHBRANCH_API_KEYS=KEY_SPEC,
                        FIFTHBRANCH_DB_URL=f"sqlite:///{home / 'audit.db'}")
    app = create_app(settings, loader=folder_loader(settings), rate_limit=None)
    with TestClient(app) as client:
        ready = client.get("/readyz").json()
        assert ready["status"] == "degraded" and says in ready["model"]["degraded_reason"]
        decision = client.post("/v1/recommendations", json=CALL, headers=DISPATCH).json()
        assert decision["degraded"] is True and says in decision["degraded_reason"]
        assert client.get("/v1/model", headers=DISPATCH).json()["degraded"] is True


@pytest.mark.slow
def test_an_invalid_rules_file_in_the_model_refuses_to_start_naming_the_rule(
        real_model: Path, tmp_path: Path) -> None:
    broken = _break_model(real_model, tmp_path / "model", "copy")
    rule_id = _break_rules(broken / "rules.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "tests.faults.serve_model", "--port", str(free_port())],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=clean_env(tmp_path / "home", FIFTHBRANCH_API_KEYS=KEY_SPEC,
                      FIFTHBRANCH_TEST_MODEL_DIR=str(broken)))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"rule {rule_id!r}" in lines[0] and "floor" in lines[0] and "heart" in lines[0]
    assert "Uvicorn running" not in result.stdout + result.stderr


def test_invalid_packaged_rules_refuse_a_rules_only_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "rules.yaml"
    shutil.copyfile(model.rules.DEFAULT_RULES_PATH, bad)
    rule_id = _break_rules(bad)
    monkeypatch.setattr(model.rules, "DEFAULT_RULES_PATH", bad)

    def no_champion() -> Any:
        raise NoChampionError("registered model 'fifthbranch-responder' has no alias "
                              "'champion'")

    with pytest.raises(RulesFileError, match=re.escape(f"rule {rule_id!r}")):
        ModelHolder(no_champion).load_initial()
    home = tmp_path / "home"
    app = create_app(Settings(FIFTHBRANCH_HOME=home, FIFTHBRANCH_API_KEYS=KEY_SPEC,
                              FIFTHBRANCH_DB_URL=f"sqlite:///{home / 'audit.db'}"),
                     loader=no_champion)
    with pytest.raises(RulesFileError, match="field 'floor'"), TestClient(app):
        pass
