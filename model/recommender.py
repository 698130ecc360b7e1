"""The one object that decides: classifier + rules override layer + explanations.

Training evaluation, `fifthbranch predict`, the MLflow pyfunc and the HTTP API all call
`Recommender`, so what is measured is what is served. The final recommendation is
computed in exactly one way, `escalate(model_choice, floors)`: rules only ever raise.

`decide` is the per-request path (no DataFrame, no matrix); `decide_frame` is the
vectorised batch path. Both read the same normalised narrative, feature row and rules,
and a test holds them equal row for row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data.errors import FifthBranchError
from data.parallel import map_frame
from data.schema import QUESTION_KEYS, RESPONDERS, CallRecord
from data.table import Q_COLUMNS
from model.decision import Decision, Override
from model.explain import DEFAULT_TOP_K, explain_decision
from model.medical import medical_advised, medical_advised_frame
from model.rules import RuleSet, escalate
from model.text import normalise_narrative

#: Columns `decide_frame` returns, one row per input row, same order.
DECISION_COLUMNS: tuple[str, ...] = (
    "call_id",
    "recommendation",
    "model_recommendation",
    "p_heart",
    "p_co_response",
    "p_police",
    "overrides",  # fired rule ids joined with ";" ("" when none)
    "medical_advised",
)
PROBABILITY_COLUMNS: tuple[str, ...] = tuple(f"p_{name}" for name in RESPONDERS)


class TrainingDataError(FifthBranchError):
    """Training rows that cannot make a three-class model (a class missing, too few rows)."""


class Recommender:
    """Classifier + rules override layer + explanations, saved and loaded as one unit."""

    model_name: str | None
    model_version: str | None
    run_id: str | None

    def __init__(self, *, pipeline: Any | None, rules: RuleSet, temperature: float = 1.0,
                 params: dict[str, Any] | None = None, degraded_reason: str | None = None,
                 top_k: int = DEFAULT_TOP_K) -> None:
        from model.classifier import LinearScorer

        self.pipeline = pipeline
        self.rules = rules
        self.params = dict(params or {})
        self.degraded_reason = degraded_reason
        self.top_k = top_k
        self.model_name = None
        self.model_version = None
        self.run_id = None
        self.temperature = float(temperature)
        self._features = None
        self._scorer = None
        self._names = None
        if pipeline is not None:
            self._features = pipeline.named_steps["features"]
            self._scorer = LinearScorer.from_pipeline(pipeline, self.temperature)
            self._names = self._features.feature_names()

    # -- construction ----------------------------------------------------------------
    @classmethod
    def fit(cls, frame: pd.DataFrame, labels: pd.Series, *, random_state: int = 0,
            calibrate: bool = True, rules: RuleSet | None = None, out_of_core: bool = False,
            workers: int | None = 1, normalised: Sequence[str] | None = None,
            **params: Any) -> Recommender:
        """Train on a validated frame in the file layout (see `data.table`).

        `params` go to `model.classifier.build_pipeline` (`C`, `char_ngrams`,
        `word_ngrams`, `use_call_type`, `min_df`), or with `out_of_core` to
        `model.hashed.build_hashed_pipeline` (`alpha`, `epochs`, ...). With `calibrate`, a
        temperature is fitted on a held-out fifth first, then the model is refitted on
        every row (out of core, the model fitted on the other four fifths is kept; see
        `model.hashed.fit_hashed`). `workers`: processes for normalising (and, out of
        core, hashing); the model is the same for any number. `normalised`: the
        narratives already normalised, row for row (training reuses them across fits).
        `district` is never read.
        """
        from model.classifier import build_pipeline, calibration_rows, fit_temperature

        y = pd.Series(labels).astype(str).str.strip().str.lower().to_numpy()
        if len(y) != len(frame):
            raise TrainingDataError(f"{len(frame)} rows but {len(y)} labels")
        missing = [name for name in RESPONDERS if not (y == name).any()]
        if missing:
            raise TrainingDataError(
                f"training data has no rows labelled {', '.join(missing)}; the model needs "
                f"examples of every responder ({', '.join(RESPONDERS)})")
        unknown = sorted(set(y) - set(RESPONDERS))
        if unknown:
            raise TrainingDataError(f"unknown responder label {unknown[0]!r}")
        features = _feature_frame(frame, _checked(normalised, frame), workers)
        temperature = 1.0
        if out_of_core:
            from model.hashed import fit_hashed

            pipeline, temperature = fit_hashed(features, y, calibrate=calibrate,
                                               random_state=random_state, workers=workers,
                                               **params)
            kind = "hashed-sgd"
            params = {**params, "alpha": pipeline.named_steps["classifier"].alpha}
        else:
            held = calibration_rows(y, random_state) if calibrate else None
            if held is not None:
                probe = build_pipeline(random_state=random_state, **params).fit(
                    features[~held], y[~held])
                temperature = fit_temperature(_scores(probe, features[held]), y[held])
            pipeline = build_pipeline(random_state=random_state, **params).fit(features, y)
            kind = "vocabulary-logreg"
        described = {"model_kind": kind, **params,
                     "calibration": "temperature" if calibrate else "none",
                     "temperature": round(temperature, 6), "random_state": random_state,
                     "n_features": pipeline.named_steps["features"].n_features_}
        return cls(pipeline=pipeline, rules=rules or RuleSet.load(), temperature=temperature,
                   params=described)

    @classmethod
    def rules_only(cls, reason: str, *, questionnaire_only: bool = False,
                   rules: RuleSet | None = None) -> Recommender:
        """A degraded Recommender with no model: rules decide, `heart` is the default.

        `questionnaire_only` keeps only the questionnaire floors (the training baseline:
        what the call-taker's answers alone would send).
        """
        ruleset = rules or RuleSet.load()
        if questionnaire_only:
            ruleset = ruleset.questionnaire_only()
        return cls(pipeline=None, rules=ruleset, degraded_reason=reason)

    @property
    def degraded(self) -> bool:
        return self.pipeline is None

    @property
    def rules_version(self) -> str:
        return self.rules.version

    @property
    def rules_path(self) -> Path | None:
        path = getattr(self.rules, "path", None)
        return Path(path) if path else None

    def with_identity(self, *, model_name: str | None, model_version: str | None,
                      run_id: str | None) -> Recommender:
        """The same Recommender labelled with its registry identity (set after loading)."""
        labelled = object.__new__(Recommender)
        labelled.__dict__.update(self.__dict__)
        labelled.model_name = model_name
        labelled.model_version = None if model_version is None else str(model_version)
        labelled.run_id = run_id
        return labelled

    # -- deciding --------------------------------------------------------------------
    def decide(self, record: CallRecord, *, explain: bool = True) -> Decision:
        """One decision, with explanation unless `explain=False`."""
        normalised = normalise_narrative(record.narrative)
        overrides: list[Override] = list(self.rules.evaluate(record, normalised))
        floors = [override.floor for override in overrides]
        probabilities: dict[str, float] = {}
        explanation = []
        if self._scorer is None:
            model_choice = None
            recommendation = escalate("heart", floors)
        else:
            answers = [getattr(record.questionnaire, key) for key in QUESTION_KEYS]
            row = self._features.row(normalised, answers, record.call_type)
            scores = self._scorer.score_row(row)
            model_choice = RESPONDERS[int(np.argmax(scores))]
            recommendation = escalate(model_choice, floors)
            probs = self._scorer.probabilities(scores)
            probabilities = {name: round(float(p), 6) for name, p in zip(RESPONDERS, probs,
                                                                         strict=True)}
            if explain:
                explanation = explain_decision(self._scorer, row, self._names,
                                               recommendation, model_choice, self.top_k)
        return Decision(
            decision_id=str(uuid.uuid4()), call_id=record.call_id,
            recommendation=recommendation, model_recommendation=model_choice,
            probabilities=probabilities, overrides=overrides, explanation=explanation,
            medical_advised=bool(medical_advised(record, normalised)),
            model_name=self.model_name, model_version=self.model_version,
            rules_version=self.rules_version, degraded=self.degraded,
            degraded_reason=self.degraded_reason, created_at=datetime.now(UTC),
        )

    def decide_frame(self, frame: pd.DataFrame, *, workers: int | None = 1,
                     normalised: Sequence[str] | None = None) -> pd.DataFrame:
        """Vectorised decisions for a validated frame; agrees with `decide` row for row.

        No explanations (use `decide` for those). Probability columns are NaN and
        `model_recommendation` is None when degraded. `workers`: processes to use for a
        large frame (`None` = every core; see `data.parallel`); the decisions are the
        same for any number. `normalised`: `normalise_narrative` of each row's narrative,
        when the caller has it already (training scores several deciders on one split).
        """
        checked = _checked(normalised, frame)
        given = checked is not None
        if given:  # carried through the chunks beside the rows it belongs to
            frame = frame.assign(**{_NORMALISED: checked})
        if workers == 1:
            return _decide_part((self, given), frame)
        parts = map_frame(_decide_part, (self, given), frame, workers)
        return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)

    def _decide_chunk(self, frame: pd.DataFrame,
                      normalised: list[str] | None = None) -> pd.DataFrame:
        n = len(frame)
        if normalised is None:
            normalised = _normalise_chunk(None, frame["narrative"])
        fired = self.rules.evaluate_frame(frame, normalised)
        floors = [[override.floor for override in row] for row in fired]
        out = pd.DataFrame({"call_id": frame["call_id"].astype(str).to_numpy()})
        if self._scorer is None:
            model_choice = [None] * n
            final = [escalate("heart", row) for row in floors]
            probs = np.full((n, len(RESPONDERS)), np.nan)
        else:
            features = _feature_frame(frame, normalised)
            scores = self._scorer.score_matrix(self._features.transform(features))
            picks = scores.argmax(axis=1)
            model_choice = [RESPONDERS[i] for i in picks]
            final = [escalate(choice, row) for choice, row in zip(model_choice, floors,
                                                                   strict=True)]
            probs = self._scorer.probabilities(scores)
        out["recommendation"] = final
        out["model_recommendation"] = model_choice
        for column, values in zip(PROBABILITY_COLUMNS, probs.T, strict=True):
            out[column] = values
        out["overrides"] = [";".join(o.rule_id for o in row) for row in fired]
        out["medical_advised"] = _medical_frame(frame, normalised)
        return out

    # -- introspection ---------------------------------------------------------------
    def top_features(self, n: int = 20) -> list[dict[str, Any]]:
        """Per class, the `n` features with the largest positive weights (model card)."""
        if self._scorer is None:
            return []
        rows = []
        for column, name in enumerate(RESPONDERS):
            weights = self._scorer.weights[:, column]
            for rank, index in enumerate(np.argsort(-weights)[:n], start=1):
                rows.append({"class": name, "rank": rank, "feature": str(self._names[index]),
                             "weight": float(weights[index])})
        return rows

    # -- packaging -------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write the model, a copy of its rules file and `manifest.json` to `directory`."""
        from model.manifest import save_recommender

        save_recommender(self, Path(directory))

    @classmethod
    def load(cls, directory: Path) -> Recommender:
        """Load what `save` wrote; a model from an incompatible version fails clearly."""
        from model.manifest import load_recommender

        return load_recommender(Path(directory))


#: Where `decide_frame` carries given normalised narratives through its chunks: set by
#: `decide_frame` itself on its own copy, never read from a caller's frame.
_NORMALISED = "__fifthbranch_normalised__"


def _decide_part(state: tuple[Recommender, bool], frame: pd.DataFrame) -> pd.DataFrame:
    """`decide_frame` on one part of the frame, here or in a worker process
    (`data.parallel`): unpacks the given normalised narratives, then `_decide_chunk`."""
    recommender, given = state
    if given:
        return recommender._decide_chunk(frame.drop(columns=[_NORMALISED]),
                                         frame[_NORMALISED].tolist())
    return recommender._decide_chunk(frame)


def _checked(normalised: Sequence[str] | None, frame: pd.DataFrame) -> list[str] | None:
    if normalised is None:
        return None
    if len(normalised) != len(frame):
        raise ValueError(f"{len(frame)} rows but {len(normalised)} normalised narratives")
    return list(normalised)


def normalise_all(narratives: pd.Series, workers: int | None = 1) -> list[str]:
    """`normalise_narrative` of every narrative, in `workers` processes for a long column."""
    parts = map_frame(_normalise_chunk, None, narratives, workers)
    return parts[0] if len(parts) == 1 else [text for part in parts for text in part]


def _normalise_chunk(_: None, narratives: pd.Series) -> list[str]:
    return [normalise_narrative(text) for text in narratives.astype(str)]


def _feature_frame(frame: pd.DataFrame, normalised: list[str] | None = None,
                   workers: int | None = 1) -> pd.DataFrame:
    """The columns the features read, the narrative normalised as the rules read it."""
    if normalised is None:
        normalised = normalise_all(frame["narrative"], workers)
    data: dict[str, Any] = {"narrative": normalised}
    for column in (*Q_COLUMNS, "call_type"):
        if column in frame.columns:
            data[column] = frame[column].to_numpy(dtype=object)
    return pd.DataFrame(data, index=frame.index)


def _scores(pipeline: Any, features: pd.DataFrame) -> np.ndarray:
    from model.classifier import LinearScorer

    scorer = LinearScorer.from_pipeline(pipeline)
    return scorer.score_matrix(pipeline.named_steps["features"].transform(features))


def _medical_frame(frame: pd.DataFrame, normalised: list[str]) -> list[bool]:
    """`medical_advised` per row, from the same normalised narratives the rules read."""
    return [bool(value) for value in medical_advised_frame(frame, normalised)]
