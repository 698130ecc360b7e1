"""MLflow set-up for a training run: where runs go, what data they used, what code ran.

`import mlflow` costs close to two seconds, so it happens inside these functions, never
at module import. The tracking URI comes from the settings (`MLFLOW_TRACKING_URI`, or a
SQLite file under `FIFTHBRANCH_HOME`). When the store is a local database or folder, the
experiment keeps its artifacts under `FIFTHBRANCH_HOME/mlartifacts` instead of MLflow's
default `./mlruns` beside wherever the command happened to run; with a tracking server
the server decides (its `--default-artifact-root` or artifact proxy).
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
import warnings
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from data.schema import RESPONDERS
from data.settings import Settings
from data.table import LABEL_COLUMN

if TYPE_CHECKING:
    from mlflow import MlflowClient

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VERSIONED_PACKAGES: tuple[str, ...] = ("fifthbranch", "mlflow", "scikit-learn", "pandas",
                                       "numpy", "scipy", "pyarrow", "pydantic")


def is_local_store(uri: str) -> bool:
    """A SQLite database or a plain folder on this machine (not a tracking server)."""
    return uri.startswith(("sqlite:", "file:")) or "://" not in uri


def configure(settings: Settings) -> MlflowClient:
    """Point MLflow (tracking and registry) at the settings' URI; return a client for it."""
    import mlflow
    from mlflow import MlflowClient

    uri = settings.mlflow_tracking_uri
    if is_local_store(uri):
        settings.home_dir.mkdir(parents=True, exist_ok=True)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def ensure_experiment(client: MlflowClient, settings: Settings, name: str) -> str:
    """The experiment's id, creating it (with a local artifact root if local) when new."""
    existing = client.get_experiment_by_name(name)
    if existing is not None:
        return existing.experiment_id
    location = None
    if is_local_store(settings.mlflow_tracking_uri):
        settings.mlflow_artifact_root.mkdir(parents=True, exist_ok=True)
        location = settings.mlflow_artifact_root.as_uri()
    return client.create_experiment(name, artifact_location=location)


def file_sha256(path: Path) -> str:
    """The file's SHA-256, so anyone can check a run's data with `sha256sum`."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def label_shares(frame: pd.DataFrame) -> dict[str, float]:
    """Share of each responder among the valid rows, in escalation order."""
    counts = frame[LABEL_COLUMN].value_counts(normalize=True)
    return {label: round(float(counts.get(label, 0.0)), 6) for label in RESPONDERS}


def data_params(path: Path, frame: pd.DataFrame, sha256: str, n_rejected: int) -> dict[str, str]:
    """Run params describing the training file (also used as the dataset input's tags)."""
    params = {"data_path": str(path.resolve()), "data_rows": str(len(frame)),
              "data_rejected_rows": str(n_rejected), "data_sha256": sha256}
    for label, share in label_shares(frame).items():
        params[f"data_share_{label}"] = f"{share:.6f}"
    return params


#: Rows MLflow's dataset schema is inferred from (see `log_dataset`).
SCHEMA_SAMPLE_ROWS = 10_000


def log_dataset(path: Path, frame: pd.DataFrame, params: dict[str, str]) -> None:
    """Log the valid rows as the run's training input, with the file as its source.

    MLflow infers a dataset's schema by reading every value (about 30 s at a million
    rows). Validated rows have one type per column, so the schema is inferred from the
    first `SCHEMA_SAMPLE_ROWS` instead; the row count, digest and source are the whole
    file's.
    """
    import mlflow
    from mlflow.data.dataset_source_registry import resolve_dataset_source
    from mlflow.models import infer_signature

    with warnings.catch_warnings():  # MLflow's hints about source kinds and int columns
        warnings.simplefilter("ignore", UserWarning)
        dataset = _sampled_schema_dataset()(
            df=frame, source=resolve_dataset_source(str(path.resolve())),
            targets=LABEL_COLUMN, name=path.name)
        dataset.sampled_schema = infer_signature(frame.head(SCHEMA_SAMPLE_ROWS)).inputs
        mlflow.log_input(dataset, context="training",
                         tags={key: value for key, value in params.items()
                               if key != "data_path"})


@cache
def _sampled_schema_dataset() -> type:
    """MLflow's `PandasDataset` with a schema given, not inferred (defined on first use:
    importing MLflow takes seconds)."""
    from mlflow.data.pandas_dataset import PandasDataset

    class SampledSchemaDataset(PandasDataset):
        sampled_schema = None

        @property
        def schema(self):  # type: ignore[override]
            return self.sampled_schema

    return SampledSchemaDataset


def environment_tags() -> dict[str, str]:
    """Package versions, Python and the git commit: what is needed to rebuild the run."""
    tags = {"python_version": platform.python_version()}
    for package in VERSIONED_PACKAGES:
        try:
            tags[f"version_{package}"] = metadata.version(package)
        except metadata.PackageNotFoundError:
            tags[f"version_{package}"] = "not installed"
    commit, dirty = git_state()
    if commit:
        tags["git_commit"] = commit
        tags["mlflow.source.git.commit"] = commit
        tags["git_dirty"] = "true" if dirty else "false"
    return tags


def git_state(root: Path = PROJECT_ROOT) -> tuple[str | None, bool]:
    """The checked-out commit and whether tracked files differ from it; `None` outside git."""
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                                capture_output=True, text=True, timeout=10).stdout.strip()
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                 "--untracked-files=no"], check=True, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None, False
    return commit or None, bool(status)
