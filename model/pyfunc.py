"""Log a Recommender to MLflow as a pyfunc model and register it under one name.

The model is logged from code (`model/pyfunc_model.py`) with the saved Recommender as
its one artifact, an explicit signature (the columns the decision reads: `call_id`,
`narrative`, the `q_<key>` answers and `call_type`, all but the first two optional) and
explicit pip requirements (inferring them costs seconds per run). Loading it needs the
`fifthbranch` package installed (`mlflow models serve --env-manager local`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from data.table import ID_COLUMN, Q_COLUMNS, TEXT_COLUMN

MODEL_CODE = Path(__file__).with_name("pyfunc_model.py")
ARTIFACT_KEY = "recommender"
REQUIREMENTS = ("scikit-learn", "pandas", "numpy", "scipy", "pyyaml", "pydantic", "joblib")


def signature() -> Any:
    """Inputs the decision reads, one string column each; output: the final recommendation."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema

    inputs = [ColSpec("string", ID_COLUMN), ColSpec("string", TEXT_COLUMN)]
    inputs += [ColSpec("string", column, required=False) for column in (*Q_COLUMNS,
                                                                        "call_type")]
    return ModelSignature(inputs=Schema(inputs), outputs=Schema([ColSpec("string")]))


def _requirements() -> list[str]:
    from importlib import metadata

    pins = []
    for name in REQUIREMENTS:
        try:
            pins.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pins.append(name)
    return pins


def example_input(frame: pd.DataFrame) -> pd.DataFrame:
    """The signature's columns of a few rows, as plain strings (JSON-friendly)."""
    columns = [c for c in (ID_COLUMN, TEXT_COLUMN, *Q_COLUMNS, "call_type") if c in frame]
    return frame[columns].astype(object).where(frame[columns].notna(), None)


def log_recommender(recommender: Any, *, name: str, registered_model_name: str | None,
                    input_example_rows: pd.DataFrame) -> Any:
    """Log (and register, when a name is given) within the active run; the ModelInfo."""
    import mlflow

    with tempfile.TemporaryDirectory(prefix="fifthbranch-model-") as folder:
        saved = Path(folder) / ARTIFACT_KEY
        recommender.save(saved)
        return mlflow.pyfunc.log_model(
            name=name, python_model=str(MODEL_CODE), artifacts={ARTIFACT_KEY: str(saved)},
            signature=signature(), input_example=example_input(input_example_rows),
            registered_model_name=registered_model_name, pip_requirements=_requirements())
