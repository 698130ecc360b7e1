"""Load a registered Recommender from the MLflow registry, with a local cache.

`load_registered(settings, ref)` takes an alias (`champion`) or a version number. The
downloaded model is kept under `FIFTHBRANCH_HOME/models/<name>/<version>/`, and the last
version each alias resolved to under `.../@<alias>`, so that:

- a numbered version (immutable in MLflow) is read from the cache without the registry;
- when the registry is unreachable, an alias falls back to the cached copy it last
  resolved to (with a warning); with no cached copy, `RegistryUnavailableError`.

Errors say which: no such model or alias (`NoChampionError`: serve rules only), a model
whose files are broken (`ModelArtifactError`) or too old (`IncompatibleModelError`), or
a registry that cannot be reached (`RegistryUnavailableError`: fail fast at start-up).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from data.errors import FifthBranchError
from data.settings import Settings
from model.manifest import IncompatibleModelError, ModelArtifactError
from model.pyfunc import ARTIFACT_KEY

log = logging.getLogger("fifthbranch.model")

__all__ = ["IncompatibleModelError", "ModelArtifactError", "NoChampionError",
           "RegistryUnavailableError", "load_registered"]

#: A tracking server that does not answer should fail start-up in seconds, not minutes.
_HTTP_DEFAULTS = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "1", "MLFLOW_HTTP_REQUEST_TIMEOUT": "10"}


class NoChampionError(FifthBranchError):
    """The registry answers but has no such model, version or alias."""


class RegistryUnavailableError(FifthBranchError):
    """The registry cannot be reached and no cached copy exists."""


def cache_root(settings: Settings) -> Path:
    return settings.home_dir / "models" / settings.model_name


def load_registered(settings: Settings, ref: str = "champion") -> Any:
    """The Recommender registered as `ref` (alias or version), labelled with its identity."""
    from model.recommender import Recommender

    ref = str(ref)
    root = cache_root(settings)
    if ref.isdigit() and (root / ref / "manifest.json").is_file():
        version, run_id = ref, _cached_run_id(root / ref)
    else:
        try:
            version, run_id = _resolve(settings, ref)
        except RegistryUnavailableError:
            version = _cached_alias(root, ref)
            if version is None:
                raise
            log.warning("registry unreachable: using the cached copy of %s@%s (version %s)",
                        settings.model_name, ref, version)
            run_id = _cached_run_id(root / version)
        if not (root / version / "manifest.json").is_file():
            _download(settings, version, run_id, root / version)
        if not ref.isdigit():
            (root / f"@{ref}").write_text(version, encoding="utf-8")
    recommender = Recommender.load(root / version)
    return recommender.with_identity(model_name=settings.model_name, model_version=version,
                                     run_id=run_id)


def _client(settings: Settings) -> Any:
    for key, value in _HTTP_DEFAULTS.items():
        os.environ.setdefault(key, value)
    from mlflow import MlflowClient

    uri = settings.mlflow_tracking_uri
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _resolve(settings: Settings, ref: str) -> tuple[str, str | None]:
    """(version, run id) of an alias or version number, from the registry."""
    from mlflow.exceptions import MlflowException

    name = settings.model_name
    try:
        client = _client(settings)
        if ref.isdigit():
            found = client.get_model_version(name, ref)
        else:
            found = client.get_model_version_by_alias(name, ref)
    except MlflowException as error:
        if _is_missing(error):
            raise NoChampionError(f"registered model {name!r} has no {_what(ref)} "
                                  f"(train one with `fifthbranch train`)") from None
        raise RegistryUnavailableError(_unreachable(settings, error)) from None
    except Exception as error:  # connection errors, a locked or corrupt SQLite file...
        raise RegistryUnavailableError(_unreachable(settings, error)) from None
    return str(found.version), found.run_id


def _is_missing(error: Any) -> bool:
    code = getattr(error, "error_code", "")
    text = str(error).lower()
    return code in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND") or "not found" in text \
        or "does not exist" in text


def _what(ref: str) -> str:
    return f"version {ref}" if ref.isdigit() else f"alias {ref!r}"


def _unreachable(settings: Settings, error: BaseException) -> str:
    return (f"the MLflow registry at {settings.mlflow_tracking_uri} cannot be reached "
            f"and no cached model exists ({type(error).__name__}: {str(error)[:200]}); "
            f"check MLFLOW_TRACKING_URI")


def _download(settings: Settings, version: str, run_id: str | None, target: Path) -> None:
    """Fetch the version's Recommender folder into the cache, atomically."""
    import mlflow

    # `models:/` URIs resolve through the *registry* URI, which is global in MLflow and
    # otherwise defaults to ./mlflow.db: point both at the settings' store.
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    mlflow.set_registry_uri(settings.mlflow_tracking_uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".download-") as folder:
        try:
            local = mlflow.artifacts.download_artifacts(
                artifact_uri=f"models:/{settings.model_name}/{version}", dst_path=folder,
                tracking_uri=settings.mlflow_tracking_uri)
        except Exception as error:
            raise ModelArtifactError(f"model version {version}: cannot download its files "
                                     f"({type(error).__name__}: {str(error)[:200]})") from None
        source = Path(local) / "artifacts" / ARTIFACT_KEY
        if not (source / "manifest.json").is_file():
            raise ModelArtifactError(f"model version {version}: no Recommender in its "
                                     f"files (expected artifacts/{ARTIFACT_KEY})")
        (source / "run_id").write_text(run_id or "", encoding="utf-8")
        staged = Path(folder) / "staged"
        shutil.move(str(source), staged)
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)


def _cached_alias(root: Path, alias: str) -> str | None:
    pointer = root / f"@{alias}"
    if alias.isdigit() or not pointer.is_file():
        return None
    version = pointer.read_text(encoding="utf-8").strip()
    return version if (root / version / "manifest.json").is_file() else None


def _cached_run_id(folder: Path) -> str | None:
    path = folder / "run_id"
    return (path.read_text(encoding="utf-8").strip() or None) if path.is_file() else None
