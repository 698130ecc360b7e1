"""`fifthbranch train`, end to end: load, split, fit, evaluate, log, register, gate.

Everything that can be wrong with the data file is checked before an MLflow run exists
(loading, validation, the split), so a bad file leaves no half-made run behind. Fitting
and everything after happen inside the run, so a failure there is recorded as a failed
run rather than lost.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.errors import DataFileError
from data.loaders import LoadResult, load_calls, write_rejects
from data.parallel import resolve_workers
from data.settings import Settings, get_settings
from data.table import LABEL_COLUMN
from training import aliases, artifacts, model_card, plots, tracking
from training.evaluate import Evaluation, evaluate
from training.gate import GateVerdict, champion_unavailable, first_champion, judge
from training.metrics import confusion
from training.report import Progress, QuietProgress
from training.split import DEFAULT_TEST_FRACTION, Split, split_calls, style_folds

#: Rows a cross-style fold trains and is scored on at most (a seeded random sample): enough
#: for a stable estimate, and cheap at a million rows. Each fold's row counts are logged.
CROSS_STYLE_MAX_TRAIN_ROWS = 60_000
CROSS_STYLE_MAX_TEST_ROWS = 25_000


@dataclass(frozen=True)
class TrainOptions:
    """Knobs of one training run; `fit_params` go to `Recommender.fit` unchanged."""

    seed: int = 0
    test_fraction: float = DEFAULT_TEST_FRACTION
    cross_style: bool = True
    cross_style_max_train_rows: int = CROSS_STYLE_MAX_TRAIN_ROWS
    cross_style_max_test_rows: int = CROSS_STYLE_MAX_TEST_ROWS
    experiment: str | None = None  # default: the registered model name
    fit_params: dict[str, Any] = field(default_factory=dict)
    #: The vocabulary-free model that scales to millions of rows (`model.hashed`).
    out_of_core: bool = False
    #: Processes for normalising, hashing and evaluating (None: every core).
    workers: int | None = None


@dataclass
class TrainResult:
    """What a run produced, for the terminal summary and for tests."""

    run_id: str
    experiment_id: str
    model_name: str
    model_version: str
    verdict: GateVerdict
    split: Split
    challenger: Evaluation
    baseline: Evaluation
    metrics: dict[str, float]
    cross_style: dict[str, dict[str, float]] = field(default_factory=dict)
    rejects_path: Path | None = None
    n_rejected: int = 0
    promoted: aliases.Promotion | None = None


def load_training_data(path: Path, settings: Settings, workers: int | None = 1
                       ) -> tuple[LoadResult, Path | None]:
    """Load and validate; write rejects under `FIFTHBRANCH_HOME/rejects`; refuse an empty set."""
    loaded = load_calls(path, require_label=True, workers=workers)
    rejects = write_rejects(loaded, settings.home_dir / "rejects" / path.name)
    if loaded.frame.empty:
        raise DataFileError(f"{path}: no valid rows ({len(loaded.rejects)} rejected, "
                            f"reasons in {rejects})")
    return loaded, rejects


def train(data_path: Path | str, settings: Settings | None = None,
          options: TrainOptions | None = None,
          progress: Progress | None = None) -> TrainResult:
    """Train on `data_path`, log the run, register a version and apply the gate."""
    settings = settings or get_settings()
    options = options or TrainOptions()
    progress = progress or QuietProgress()
    path = Path(data_path)

    with progress.stage(f"loading {path}"):
        loaded, rejects_path = load_training_data(path, settings, options.workers)
        split = split_calls(loaded.frame, test_fraction=options.test_fraction,
                            seed=options.seed, source=str(path))
        sha256 = tracking.file_sha256(path)
    progress.note(loaded.summary())
    if rejects_path is not None:
        progress.note(f"rejected rows written to {rejects_path}")
    progress.note(f"split: {split.description}")

    import mlflow

    with progress.stage("connecting to MLflow"):
        client = tracking.configure(settings)
        experiment_id = tracking.ensure_experiment(client, settings,
                                                   options.experiment or settings.model_name)
        champion_version = aliases.version_for_alias(client, settings.model_name,
                                                     aliases.CHAMPION)
    data_params = tracking.data_params(path, loaded.frame, sha256, len(loaded.rejects))

    with mlflow.start_run(experiment_id=experiment_id,
                          run_name=f"train-{path.stem}") as run:
        mlflow.set_tags(tracking.environment_tags())
        mlflow.log_params({**data_params, **_run_params(split, options)})
        tracking.log_dataset(path, loaded.frame, data_params)

        with progress.stage("normalising narratives"):
            texts = _Normalised(split, options.workers)
        with progress.stage(f"fitting on {len(split.train)} calls"):
            started = time.perf_counter()
            recommender = _fit(split.train, options, texts.train)
            fit_seconds = time.perf_counter() - started
        mlflow.log_params(_recommender_params(recommender))

        with progress.stage(f"evaluating on {len(split.test)} calls"):
            challenger = evaluate(recommender, split.test, options.workers, texts.test)
            baseline = evaluate(_rules_only(), split.test, options.workers, texts.test)
        cross_style = {}
        if options.cross_style:
            with progress.stage("cross-style folds"):
                cross_style = _cross_style(split, options, texts)

        figures = _metrics(challenger, baseline, cross_style)
        figures["duration_fit_seconds"] = fit_seconds
        mlflow.log_metrics(figures)

        with progress.stage("promotion gate: scoring the champion" if champion_version
                            else "promotion gate"):
            verdict = _gate(challenger, champion_version, settings, split.test,
                            options.workers, texts.test)
            mlflow.log_metrics(verdict.metrics())
            mlflow.set_tags(verdict.tags())

        with progress.stage("writing reports"):
            _log_artifacts(run.info.run_id, settings, recommender, split, challenger,
                           baseline, cross_style, data_params, verdict, rejects_path,
                           options)

        with progress.stage("logging and registering the model"):
            info = _log_model(recommender, split.test, settings)
            version = str(info.registered_model_version)
            mlflow.set_tag("model_version", version)
            aliases.set_challenger(client, settings.model_name, version)
            for key, value in _version_tags(figures, verdict, data_params, run.info.run_id):
                client.set_model_version_tag(settings.model_name, version, key, value)
            promoted = None
            if verdict.promote:
                promoted = aliases.crown(client, settings.model_name, version,
                                         why=verdict.reason, how="gate")

    return TrainResult(run_id=run.info.run_id, experiment_id=experiment_id,
                       model_name=settings.model_name, model_version=version,
                       verdict=verdict, split=split, challenger=challenger, baseline=baseline,
                       metrics={**figures, **verdict.metrics()}, cross_style=cross_style,
                       rejects_path=rejects_path, n_rejected=len(loaded.rejects),
                       promoted=promoted)


class _Normalised:
    """The split's narratives normalised once, reused by every fit and evaluation of the
    run (rows of a fold are found by their index in the split's train or test frame)."""

    def __init__(self, split: Split, workers: int | None) -> None:
        from model.recommender import normalise_all

        self.train = np.asarray(normalise_all(split.train["narrative"], workers), dtype=object)
        self.test = np.asarray(normalise_all(split.test["narrative"], workers), dtype=object)

    @staticmethod
    def rows(texts: np.ndarray, frame: pd.DataFrame) -> list[str]:
        return texts[frame.index.to_numpy()].tolist()


def _fit(frame: pd.DataFrame, options: TrainOptions,
         normalised: Sequence[str] | None = None) -> Any:
    from model.recommender import Recommender

    return Recommender.fit(frame, frame[LABEL_COLUMN], random_state=options.seed,
                           out_of_core=options.out_of_core, workers=options.workers,
                           normalised=normalised, **options.fit_params)


def _rules_only() -> Any:
    from model.recommender import Recommender

    return Recommender.rules_only("rules-only baseline", questionnaire_only=True)


def _run_params(split: Split, options: TrainOptions) -> dict[str, Any]:
    params: dict[str, Any] = {
        "seed": options.seed, "test_fraction": options.test_fraction,
        "split_kind": split.kind, "split_description": split.description[:500],
        "train_rows": len(split.train), "test_rows": len(split.test),
        "cross_style": options.cross_style, "out_of_core": options.out_of_core,
        "workers": resolve_workers(options.workers),
    }
    params.update({f"fit_{key}": value for key, value in options.fit_params.items()})
    return params


def _recommender_params(recommender: Any) -> dict[str, Any]:
    """The Recommender's own description of itself (params, rules version), if it has one."""
    params: dict[str, Any] = {}
    own = getattr(recommender, "params", None)
    if isinstance(own, dict):
        params.update({f"model_{key}": value for key, value in own.items()})
    rules_version = getattr(recommender, "rules_version", None)
    if isinstance(rules_version, str):
        params["rules_version"] = rules_version
    return {key: str(value)[:500] for key, value in params.items()}


def _cross_style(split: Split, options: TrainOptions,
                 texts: _Normalised) -> dict[str, dict[str, float]]:
    """Final-decision and model figures per held-out style (train on the others)."""
    scores: dict[str, dict[str, float]] = {}
    for fold in style_folds(split):
        train = _at_most(fold.train, options.cross_style_max_train_rows, options.seed)
        test = _at_most(fold.test, options.cross_style_max_test_rows, options.seed)
        model = _fit(train, options, texts.rows(texts.train, train))
        evaluation = evaluate(model, test, options.workers, texts.rows(texts.test, test))
        scores[fold.style] = {
            "macro_f1": evaluation.final["macro_f1"],
            "under_triage_rate": evaluation.final["under_triage_rate"],
            "model_macro_f1": evaluation.model.get("macro_f1", float("nan")),
            "train_rows": float(len(train)),
            "test_rows": float(len(test)),
        }
    return scores


def _at_most(frame: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    """`frame`, or a seeded random sample of `rows` of it (in the frame's order)."""
    if len(frame) <= rows:
        return frame
    return frame.sample(n=rows, random_state=seed).sort_index()


def _metrics(challenger: Evaluation, baseline: Evaluation,
             cross_style: dict[str, dict[str, float]]) -> dict[str, float]:
    """All logged figures; the final decision's headline figures also without a prefix."""
    figures = challenger.flat()
    for key in ("accuracy", "macro_f1", "under_triage_rate", "under_triage_police",
                "under_triage_co_response", "over_triage_rate"):
        figures[key] = challenger.final[key]
    figures.update({f"baseline_{key}": value for key, value in baseline.final.items()})
    if cross_style:
        for style, scores in cross_style.items():
            for key, value in scores.items():
                figures[f"cross_style_{style}_{key}"] = value
        for key in ("macro_f1", "under_triage_rate", "model_macro_f1"):
            values = [scores[key] for scores in cross_style.values()]
            figures[f"cross_style_mean_{key}"] = sum(values) / len(values)
    return figures


def _log_model(recommender: Any, test: pd.DataFrame, settings: Settings) -> Any:
    from model.pyfunc import log_recommender

    example = test.drop(columns=[LABEL_COLUMN], errors="ignore").head(5)
    return log_recommender(recommender, name="model",
                           registered_model_name=settings.model_name,
                           input_example_rows=example)


def _gate(challenger: Evaluation, champion_version: str | None, settings: Settings,
          test: pd.DataFrame, workers: int | None,
          normalised: Sequence[str]) -> GateVerdict:
    if champion_version is None:
        return first_champion(challenger)
    try:
        from model.registry import load_registered

        champion = load_registered(settings, champion_version)
        champion_eval = evaluate(champion, test, workers, normalised)
    except Exception as error:  # any failure to load or score blocks automatic promotion
        return champion_unavailable(challenger, champion_version,
                                    f"{type(error).__name__}: {error}"[:300])
    return judge(challenger, champion_eval, champion_version)


def _version_tags(figures: dict[str, float], verdict: GateVerdict,
                  data_params: dict[str, str], run_id: str) -> list[tuple[str, str]]:
    """Headline figures on the model version, so the registry alone tells its story."""
    tags = [(key, f"{figures[key]:.6f}") for key in ("macro_f1", "under_triage_rate",
                                                      "over_triage_rate")]
    tags += [("gate_verdict", verdict.outcome), ("data_sha256", data_params["data_sha256"]),
             ("training_run_id", run_id)]
    return tags


def _log_artifacts(run_id: str, settings: Settings, recommender: Any, split: Split,
                   challenger: Evaluation, baseline: Evaluation,
                   cross_style: dict[str, dict[str, float]], data_params: dict[str, str],
                   verdict: GateVerdict, rejects_path: Path | None,
                   options: TrainOptions) -> None:
    import mlflow

    matrices = {"model alone": confusion(challenger.y_true, challenger.model_pred),
                "final (after rules)": confusion(challenger.y_true, challenger.final_pred),
                "rules-only baseline": confusion(baseline.y_true, baseline.final_pred)}
    with tempfile.TemporaryDirectory(prefix="fifthbranch-run-") as folder:
        out = Path(folder)
        (out / "plots").mkdir()
        (out / "reports").mkdir()
        (out / "rules").mkdir()
        plots.confusion_matrices(matrices, out / "plots" / "confusion_matrix.png")
        plots.calibration_plot(challenger.y_true, challenger.proba,
                               out / "plots" / "calibration.png")
        artifacts.write_classification_report(
            out / "reports" / "classification_report.txt",
            {"challenger": challenger, "rules-only baseline": baseline})
        artifacts.write_json(out / "reports" / "confusion_matrices.json",
                             artifacts.confusion_payload(matrices))
        artifacts.write_json(out / "reports" / "gate.json", {
            "outcome": verdict.outcome, "promote": verdict.promote, "reason": verdict.reason,
            "challenger": verdict.challenger, "champion": verdict.champion,
            "champion_version": verdict.champion_version})
        artifacts.write_top_features(out / "reports", artifacts.top_features(recommender))
        artifacts.copy_rules_file(recommender, out / "rules")
        card = model_card.CardFacts(
            model_name=settings.model_name, run_id=run_id, data=data_params,
            split=split.description, train_rows=len(split.train), test_rows=len(split.test),
            model=challenger.model, final=challenger.final, baseline=baseline.final,
            overrides={k: v for k, v in challenger.overrides.items() if k != "any"},
            params={"seed": str(options.seed), **{k: str(v) for k, v in
                                                  options.fit_params.items()}},
            cross_style=cross_style, gate=verdict.reason,
            rules_version=str(getattr(recommender, "rules_version", "") or ""))
        (out / "model_card.md").write_text(model_card.render(card), encoding="utf-8")
        if rejects_path is not None:
            (out / "rejects").mkdir()
            (out / "rejects" / rejects_path.name).write_bytes(rejects_path.read_bytes())
        mlflow.log_artifacts(str(out))
