"""`fifthbranch train` end to end on a real SQLite MLflow store, with real models."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from data.errors import DataFileError
from data.generator import write_history
from data.settings import get_settings
from model.recommender import Recommender
from training.evaluate import evaluate
from training.gate import judge
from training.pipeline import TrainOptions, train

if TYPE_CHECKING:
    from mlflow import MlflowClient


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "history.csv"
    write_history(path, 1500, seed=21, workers=1)
    return path


def _client() -> MlflowClient:
    from mlflow import MlflowClient

    uri = get_settings().mlflow_tracking_uri
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def test_train_logs_registers_and_crowns_then_gates(history: Path, mlflow_home: Path) -> None:
    settings = get_settings()
    first = train(history, settings, TrainOptions(seed=3))
    client = _client()
    name = settings.model_name
    assert first.model_version == "1" and first.verdict.outcome == "first-champion"
    assert str(client.get_model_version_by_alias(name, "champion").version) == "1"
    assert str(client.get_model_version_by_alias(name, "challenger").version) == "1"

    run = client.get_run(first.run_id)
    for key in ("macro_f1", "under_triage_rate", "under_triage_police",
                "under_triage_co_response", "over_triage_rate", "model_macro_f1",
                "model_brier_score", "model_ece", "baseline_macro_f1", "baseline_under_triage_rate",
                "cross_style_mean_macro_f1", "gate_passed"):
        assert key in run.data.metrics, key
    assert run.data.metrics["macro_f1"] > run.data.metrics["baseline_macro_f1"]
    assert run.data.params["data_rows"] == "1500"
    assert run.data.tags["git_commit"]
    artifacts = {item.path for folder in ("", "plots", "reports", "rules")
                 for item in client.list_artifacts(first.run_id, folder)}
    for path in ("model_card.md", "plots/confusion_matrix.png", "plots/calibration.png",
                 "reports/classification_report.txt", "reports/gate.json"):
        assert path in artifacts, path
    assert any(path.startswith("rules/") for path in artifacts)
    assert run.inputs.dataset_inputs, "the data set is logged as an MLflow input"

    second = train(history, settings, TrainOptions(seed=3, cross_style=False))
    assert second.model_version == "2"
    for key in ("macro_f1", "under_triage_rate", "accuracy"):
        assert second.metrics[key] == pytest.approx(first.metrics[key]), "reproducible"
    assert second.verdict.outcome == "passed", second.verdict.reason
    assert str(client.get_model_version_by_alias(name, "champion").version) == "2"


def test_a_broken_file_fails_before_any_run_exists(tmp_path: Path, mlflow_home: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("call_id,responder\n1,heart\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="narrative"):
        train(broken, get_settings(), TrainOptions())
    client = _client()
    experiment = client.get_experiment_by_name(get_settings().model_name)
    assert experiment is None or not client.search_runs([experiment.experiment_id])


def test_gate_refuses_a_deliberately_less_safe_challenger(training_frame: pd.DataFrame,
                                                          trained_recommender: Recommender
                                                          ) -> None:
    from data.generator import generate_frame
    from data.loaders import validate_frame

    test = validate_frame(generate_frame(2000, seed=77), require_label=True).frame
    champion = evaluate(trained_recommender, test)
    # Drop most co-response and police examples: the model learns to send less force.
    keep = training_frame[(training_frame["responder"] == "heart")
                          | (training_frame.index % 10 == 0)]
    unsafe = Recommender.fit(keep, keep["responder"], random_state=0)
    challenger = evaluate(unsafe, test)
    assert challenger.final["under_triage_rate"] > champion.final["under_triage_rate"]
    verdict = judge(challenger, champion, "1")
    assert not verdict.promote and verdict.outcome == "refused"
    same = judge(evaluate(trained_recommender, test), champion, "1")
    assert same.promote and same.outcome == "passed"
