"""Fixtures for the training tests (the MLflow store ones live in `mlflow_store`)."""

from tests.training.mlflow_store import migrated_mlflow_db, mlflow_home

__all__ = ["migrated_mlflow_db", "mlflow_home"]
