"""Saving and loading a Recommender: the fitted pipeline, its rules file and a manifest.

A saved Recommender is a folder:

- `recommender.joblib`: the fitted scikit-learn Pipeline, the calibration temperature,
  the training parameters and the explanation size;
- `rules.yaml`: a byte-for-byte copy of the rules file it was trained and evaluated
  with, so the model and its `rules_version` travel together (replaying a stored
  decision with the recorded model version gives the recorded rules too);
- `manifest.json`: the format version and the package versions that wrote it.

Choice: a model refuses to load under a different format version or a different
scikit-learn minor version (pickled estimators are not guaranteed to survive one), with a
message naming both versions and what to do, rather than deciding subtly differently.
joblib files are pickles: load only models from your own registry.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from data.errors import FifthBranchError

if TYPE_CHECKING:
    from model.recommender import Recommender

#: Bump when the saved layout or the meaning of its parts changes. Format 2: word features
#: analysed by `model.features.word_terms`, and the out-of-core variant (`model.hashed`);
#: this code still reads format 1.
FORMAT_VERSION = 2
READABLE_FORMATS = frozenset({1, 2})
MODEL_FILE = "recommender.joblib"
RULES_FILE = "rules.yaml"
MANIFEST_FILE = "manifest.json"


class ModelArtifactError(FifthBranchError):
    """A saved model folder that is missing parts or cannot be read."""


class IncompatibleModelError(FifthBranchError):
    """A model written by a format or library version this code cannot load faithfully."""


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def save_recommender(recommender: Recommender, directory: Path) -> None:
    """Write `recommender` to `directory` (created if needed)."""
    import joblib

    if recommender.pipeline is None:
        raise ModelArtifactError("a rules-only Recommender has no model to save")
    directory.mkdir(parents=True, exist_ok=True)
    payload = {"pipeline": recommender.pipeline, "temperature": recommender.temperature,
               "params": recommender.params, "top_k": recommender.top_k}
    joblib.dump(payload, directory / MODEL_FILE, compress=3)
    rules_path = recommender.rules_path
    if rules_path is None or not rules_path.is_file():
        raise ModelArtifactError("the Recommender's rules file is missing; cannot save")
    shutil.copyfile(rules_path, directory / RULES_FILE)
    copied = "sha256:" + hashlib.sha256((directory / RULES_FILE).read_bytes()).hexdigest()
    if copied != recommender.rules_version:
        raise ModelArtifactError(
            f"{rules_path} changed since the model was built (now {copied}, the model was "
            f"evaluated with {recommender.rules_version}); train again")
    manifest = {
        "format_version": FORMAT_VERSION,
        "rules_version": recommender.rules_version,
        "saved_at": datetime.now(UTC).isoformat(),
        "versions": {name: _version(name) for name in ("fifthbranch", "scikit-learn",
                                                       "numpy", "scipy")},
        "params": {key: str(value) for key, value in recommender.params.items()},
    }
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a saved model; `ModelArtifactError` if absent or unreadable."""
    path = directory / MANIFEST_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelArtifactError(f"{directory}: not a saved model (no {MANIFEST_FILE})") from None
    except (OSError, ValueError) as error:
        raise ModelArtifactError(f"{path}: unreadable manifest ({error})") from None


def check_compatible(manifest: dict[str, Any], where: Path) -> None:
    """Refuse a model this code cannot load faithfully, saying why and what to do."""
    found = manifest.get("format_version")
    writer = manifest.get("versions", {}).get("fifthbranch", "?")
    if found not in READABLE_FORMATS:
        readable = ", ".join(str(value) for value in sorted(READABLE_FORMATS))
        raise IncompatibleModelError(
            f"{where}: model format {found} cannot be loaded by this version of fifthbranch "
            f"(it reads formats {readable}); retrain with `fifthbranch train` or install "
            f"the fifthbranch version that wrote it ({writer})")
    trained = str(manifest.get("versions", {}).get("scikit-learn", "unknown"))
    installed = _version("scikit-learn")
    if _minor(trained) != _minor(installed):
        raise IncompatibleModelError(
            f"{where}: model trained with scikit-learn {trained}, but {installed} is "
            f"installed; install scikit-learn=={trained} or retrain the model")


def load_recommender(directory: Path) -> Recommender:
    """Load what `save_recommender` wrote, after checking it is compatible."""
    import joblib

    from model.recommender import Recommender
    from model.rules import RuleSet

    manifest = read_manifest(directory)
    check_compatible(manifest, directory)
    try:
        payload = joblib.load(directory / MODEL_FILE)
    except FileNotFoundError:
        raise ModelArtifactError(f"{directory}: {MODEL_FILE} is missing") from None
    except Exception as error:  # a truncated or corrupt pickle raises almost anything
        raise ModelArtifactError(f"{directory / MODEL_FILE}: cannot be read "
                                 f"({type(error).__name__}: {error})") from None
    rules = RuleSet.load(directory / RULES_FILE)
    if rules.version != manifest.get("rules_version"):
        raise ModelArtifactError(
            f"{directory / RULES_FILE}: its hash {rules.version} differs from the manifest's "
            f"{manifest.get('rules_version')}; the model folder was altered")
    return Recommender(pipeline=payload["pipeline"], rules=rules,
                       temperature=payload["temperature"], params=payload["params"],
                       top_k=payload["top_k"])
