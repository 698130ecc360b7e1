"""Saving, loading, the MLflow pyfunc and the registry cache, on a real SQLite MLflow store."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from data.settings import get_settings
from data.table import LABEL_COLUMN, frame_to_records
from model.manifest import (
    MANIFEST_FILE,
    MODEL_FILE,
    IncompatibleModelError,
    ModelArtifactError,
)
from model.recommender import Recommender
from tests.training.mlflow_store import migrated_mlflow_db, mlflow_home

__all__ = ["migrated_mlflow_db", "mlflow_home"]


def _same_decisions(first: Recommender, second: Recommender, frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(first.decide_frame(frame), second.decide_frame(frame))


def test_save_and_load_give_identical_decisions(trained_recommender: Recommender,
                                                training_frame: pd.DataFrame,
                                                tmp_path: Path) -> None:
    trained_recommender.save(tmp_path / "m")
    loaded = Recommender.load(tmp_path / "m")
    assert loaded.rules_version == trained_recommender.rules_version
    _same_decisions(trained_recommender, loaded, training_frame.head(200))
    record = frame_to_records(training_frame.head(1))[0]
    assert (loaded.decide(record).explanation
            == trained_recommender.decide(record).explanation)


def test_a_model_from_another_version_fails_clearly(trained_recommender: Recommender,
                                                    tmp_path: Path) -> None:
    trained_recommender.save(tmp_path / "m")
    manifest_path = tmp_path / "m" / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text())
    manifest["versions"]["scikit-learn"] = "0.24.2"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IncompatibleModelError, match=r"scikit-learn 0\.24\.2"):
        Recommender.load(tmp_path / "m")
    manifest["format_version"] = 999
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IncompatibleModelError, match="format 999"):
        Recommender.load(tmp_path / "m")



def test_a_model_of_the_previous_format_still_loads(trained_recommender: Recommender,
                                                    training_frame: pd.DataFrame,
                                                    tmp_path: Path) -> None:
    """Format 1 (scikit-learn's own word analyzer) is read as it was written."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from model.features import TOKEN_PATTERN, negation_marked

    features = trained_recommender._features
    old_style = TfidfVectorizer(ngram_range=(1, 2), min_df=features.min_df, sublinear_tf=True,
                                lowercase=True, token_pattern=TOKEN_PATTERN,
                                preprocessor=negation_marked)
    old_style.vocabulary_, old_style.idf_ = features.word_.vocabulary_, features.word_.idf_
    features_state = features.word_
    try:
        features.word_ = old_style
        trained_recommender.save(tmp_path / "m")
    finally:
        features.word_ = features_state
    manifest_path = tmp_path / "m" / MANIFEST_FILE
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = 1
    manifest_path.write_text(json.dumps(manifest))
    loaded = Recommender.load(tmp_path / "m")
    sample = training_frame.head(100)
    pd.testing.assert_frame_equal(loaded.decide_frame(sample),
                                  trained_recommender.decide_frame(sample))

def test_a_corrupt_or_altered_model_fails_clearly(trained_recommender: Recommender,
                                                  tmp_path: Path) -> None:
    trained_recommender.save(tmp_path / "m")
    (tmp_path / "m" / MODEL_FILE).write_bytes(b"not a pickle")
    with pytest.raises(ModelArtifactError, match=MODEL_FILE):
        Recommender.load(tmp_path / "m")
    trained_recommender.save(tmp_path / "n")
    rules = tmp_path / "n" / "rules.yaml"
    rules.write_text(rules.read_text() + "\n# edited\n")
    with pytest.raises(ModelArtifactError, match="altered"):
        Recommender.load(tmp_path / "n")
    with pytest.raises(ModelArtifactError, match="not a saved model"):
        Recommender.load(tmp_path / "empty")


@pytest.fixture
def registered(mlflow_home: Path, trained_recommender: Recommender,
               training_frame: pd.DataFrame) -> str:
    """The shared test model logged as a pyfunc, registered and made `champion`."""
    import mlflow

    from model.pyfunc import log_recommender

    settings = get_settings()
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    mlflow.set_registry_uri(settings.mlflow_tracking_uri)
    with mlflow.start_run():
        info = log_recommender(trained_recommender, name="model",
                               registered_model_name=settings.model_name,
                               input_example_rows=training_frame.head(3))
    version = str(info.registered_model_version)
    mlflow.MlflowClient().set_registered_model_alias(settings.model_name, "champion", version)
    return version


def test_pyfunc_answers_as_the_recommender_does(registered: str,
                                                trained_recommender: Recommender,
                                                training_frame: pd.DataFrame) -> None:
    import mlflow

    settings = get_settings()
    pyfunc = mlflow.pyfunc.load_model(f"models:/{settings.model_name}@champion")
    sample = training_frame.sample(300, random_state=3).drop(columns=[LABEL_COLUMN])
    answers = pyfunc.predict(sample)
    expected = trained_recommender.decide_frame(sample)["recommendation"].tolist()
    assert list(answers) == expected
    bad = sample.head(2).assign(q_weapons=["yes", "maybe"])
    with pytest.raises(mlflow.exceptions.MlflowException, match=r"row 2: q_weapons"):
        pyfunc.predict(bad)


def test_registry_loads_the_champion_and_falls_back_to_its_cache(
        registered: str, training_frame: pd.DataFrame, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import mlflow

    from model.registry import RegistryUnavailableError, load_registered

    # MLflow's global registry URI must not matter. (Its tracking URI is our setting:
    # `mlflow.set_tracking_uri` writes MLFLOW_TRACKING_URI.)
    elsewhere = tmp_path / "elsewhere.db"
    mlflow.set_registry_uri(f"sqlite:///{elsewhere}")
    loaded = load_registered(get_settings(), "champion")
    assert not elsewhere.exists()
    assert loaded.model_version == registered and loaded.run_id
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:9/")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "2")
    cached = load_registered(get_settings(), "champion")
    assert cached.model_version == registered and cached.run_id == loaded.run_id
    _same_decisions(loaded, cached, training_frame.head(50))
    with pytest.raises(RegistryUnavailableError, match="cannot be reached"):
        load_registered(get_settings(), "challenger")


def test_registry_without_a_champion_says_so(mlflow_home: Path) -> None:
    from model.registry import NoChampionError, load_registered

    with pytest.raises(NoChampionError, match="champion"):
        load_registered(get_settings(), "champion")
