"""Files written for a run's artifacts: reports, top features, the rules file.

Kept apart from the pipeline so each file can be checked on its own, and so the
pipeline reads as a list of stages. Everything lands in one local folder, which the
pipeline then logs to MLflow in one call.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import classification_report

from data.schema import RESPONDERS
from training.evaluate import Evaluation

TOP_FEATURES = 20


def write_classification_report(path: Path, deciders: Mapping[str, Evaluation]) -> Path:
    """scikit-learn's text report for the model alone, the final decision and the baseline."""
    parts = []
    for title, evaluation in deciders.items():
        for kind, pred in (("model alone", evaluation.model_pred if evaluation.has_model
                            else None), ("final decision", evaluation.final_pred)):
            if pred is None:
                continue
            report = classification_report(evaluation.y_true, pred, labels=list(RESPONDERS),
                                           digits=4, zero_division=0)
            parts.append(f"== {title}: {kind} ==\n{report}")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def write_json(path: Path, payload: Any) -> Path:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, default=_jsonable) + "\n",
                    encoding="utf-8")
    return path


def confusion_payload(matrices: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """Confusion matrices as nested lists with their row/column labels."""
    return {"labels": list(RESPONDERS),
            "rows_are": "true responder", "columns_are": "decided responder",
            **{name: matrix.tolist() for name, matrix in matrices.items()}}


def top_features(recommender: Any, n: int = TOP_FEATURES) -> pd.DataFrame:
    """Per-class strongest positive features: `class, rank, feature, weight`.

    Asks the Recommender (`top_features(n)`) when it offers it; otherwise reads the
    linear classifier's `coef_` and the feature names of the fitted pipeline. Returns
    an empty frame for a model without linear coefficients.
    """
    columns = ["class", "rank", "feature", "weight"]
    own = getattr(recommender, "top_features", None)
    if callable(own):
        frame = pd.DataFrame(own(n))
        return frame if set(columns) <= set(frame.columns) else _normalise(frame, columns)
    pipeline = getattr(recommender, "pipeline", None)
    if pipeline is None or not hasattr(pipeline, "steps"):
        return pd.DataFrame(columns=columns)
    classifier = pipeline.steps[-1][1]
    coef = getattr(classifier, "coef_", None)
    if coef is None:
        return pd.DataFrame(columns=columns)
    names = pipeline[:-1].get_feature_names_out()
    rows = []
    for index, label in enumerate(classifier.classes_):
        weights = np.asarray(coef[index]).ravel()
        for rank, feature in enumerate(np.argsort(-weights)[:n], start=1):
            rows.append({"class": str(label), "rank": rank, "feature": str(names[feature]),
                         "weight": float(weights[feature])})
    return pd.DataFrame(rows, columns=columns)


def _normalise(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Accept a Recommender's own naming (`class_`, `contribution`/`coefficient`)."""
    renamed = frame.rename(columns={"class_": "class", "coefficient": "weight",
                                    "contribution": "weight", "name": "feature"})
    if "rank" not in renamed.columns and "class" in renamed.columns:
        renamed["rank"] = renamed.groupby("class").cumcount() + 1
    return renamed.reindex(columns=columns)


def write_top_features(directory: Path, frame: pd.DataFrame) -> list[Path]:
    """The top features as CSV (for tools) and Markdown (for people)."""
    csv_path = directory / "top_features.csv"
    frame.to_csv(csv_path, index=False)
    lines = ["# Top features per class", "",
             "Largest positive coefficients of the linear classifier: the features that "
             "push a call towards each responder.", ""]
    for label, group in frame.groupby("class", sort=False):
        lines += [f"## {label}", "", "| rank | feature | weight |", "|---|---|---|"]
        lines += [f"| {int(row['rank'])} | {str(row['feature']).replace('|', '/')} "
                  f"| {float(row['weight']):.4f} |" for _, row in group.iterrows()]
        lines.append("")
    md_path = directory / "top_features.md"
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return [csv_path, md_path]


def copy_rules_file(recommender: Any, directory: Path) -> Path | None:
    """Copy the rules file the Recommender decided with, if it names one."""
    rules = getattr(recommender, "rules", None)
    for candidate in (getattr(recommender, "rules_path", None), getattr(rules, "path", None),
                      getattr(rules, "source", None)):
        if candidate and Path(candidate).is_file():
            target = directory / Path(candidate).name
            shutil.copyfile(candidate, target)
            return target
    text = getattr(rules, "text", None) or getattr(rules, "yaml", None)
    if isinstance(text, str):
        target = directory / "rules.yaml"
        target.write_text(text, encoding="utf-8")
        return target
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)
