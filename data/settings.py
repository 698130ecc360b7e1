"""One settings object read from the environment, with embedded defaults under one folder.

Lives in `data/` because every layer needs it and `data/` is the layer everything may
import. Paths default under `FIFTHBRANCH_HOME` (default `./.fifthbranch`).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL_NAME = "fifthbranch-responder"


class Settings(BaseSettings):
    """Where things live and who may call; see README "Configuration"."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    home: Path = Field(default=Path(".fifthbranch"),
                       validation_alias=AliasChoices("FIFTHBRANCH_HOME"))
    mlflow_tracking_uri_env: str | None = Field(
        default=None, validation_alias=AliasChoices("MLFLOW_TRACKING_URI"))
    db_url_env: str | None = Field(default=None,
                                   validation_alias=AliasChoices("FIFTHBRANCH_DB_URL"))
    api_keys: str = Field(default="", validation_alias=AliasChoices("FIFTHBRANCH_API_KEYS"))
    model_name: str = Field(default=DEFAULT_MODEL_NAME,
                            validation_alias=AliasChoices("FIFTHBRANCH_MODEL_NAME"))

    @cached_property
    def home_dir(self) -> Path:
        """The absolute home folder (created on first use by whoever writes there)."""
        return self.home.expanduser().resolve()

    @property
    def mlflow_tracking_uri(self) -> str:
        """`MLFLOW_TRACKING_URI`, or a SQLite file in the home folder."""
        return self.mlflow_tracking_uri_env or f"sqlite:///{self.home_dir / 'mlflow.db'}"

    @property
    def mlflow_artifact_root(self) -> Path:
        """Where runs store artifacts when the tracking store is the local default."""
        return self.home_dir / "mlartifacts"

    @property
    def db_url(self) -> str:
        """`FIFTHBRANCH_DB_URL`, or a SQLite file in the home folder (the audit log)."""
        return self.db_url_env or f"sqlite:///{self.home_dir / 'audit.db'}"


def get_settings() -> Settings:
    """Settings as the environment says now (not cached: tests change the environment)."""
    return Settings()
