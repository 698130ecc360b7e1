"""The MLflow pyfunc wrapper, logged as "Models from Code" (no cloudpickled object).

Input: a DataFrame in the training-file layout (`call_id`, `narrative`, `q_<key>`,
`call_type`; other columns are ignored). Output: the final recommendation per row, after
rules, from the same `Recommender.decide_frame` the API and training evaluation use, so
`mlflow models serve` and `mlflow.pyfunc.load_model(...)` answer as our API does.
A row that fails validation is a client error naming the row and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mlflow
import pandas as pd


class RecommenderPyfunc(mlflow.pyfunc.PythonModel):
    """Loads the saved Recommender from the model's `recommender` artifact."""

    def load_context(self, context: Any) -> None:
        from model.recommender import Recommender

        self.recommender = Recommender.load(Path(context.artifacts["recommender"]))

    def predict(self, context: Any, model_input: pd.DataFrame,
                params: dict[str, Any] | None = None) -> list[str]:
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

        from data.errors import DataFileError
        from data.loaders import validate_frame

        try:
            checked = validate_frame(pd.DataFrame(model_input), "input")
        except DataFileError as error:
            raise MlflowException(str(error), error_code=INVALID_PARAMETER_VALUE) from None
        if len(checked.rejects):
            first = checked.rejects.iloc[0]
            raise MlflowException(
                f"{len(checked.rejects)} invalid row(s); row {first['source_row']}: "
                f"{first['reject_reason']}", error_code=INVALID_PARAMETER_VALUE)
        decisions = self.recommender.decide_frame(checked.frame)
        return decisions["recommendation"].astype(str).tolist()


mlflow.models.set_model(RecommenderPyfunc())
