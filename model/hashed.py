"""The out-of-core variant (`fifthbranch train --out-of-core`): hashed words, SGD.

The default model learns a vocabulary and fits an exact logistic regression, which is
what an auditor reads best but grows with the history: at a million calls the fit
alone takes many minutes. This variant holds no vocabulary: word 1-2 grams (negation
scope marked, as in the default) are hashed into `2**20` columns, so features of any
chunk can be computed on its own, in parallel, and the classifier (`SGDClassifier`,
logistic loss) learns by `partial_fit` one chunk at a time. Questionnaire and call-type
blocks are the same as the default's.

What it costs: a hashed column has no word of its own. For explanations, the words seen
in the first `NAMED_ROWS` training narratives name their columns (the words that weigh
most are frequent, so they are named); two words that share a column are both shown
(`narrative: "knife" | "kniv"`), and a column no sampled word reached reads
`narrative: (hashed column 1234)`. Explanations stay exact: contributions still add up to
the score. The README's "Model choice" compares both variants.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import Pipeline
from sklearn.utils.class_weight import compute_class_weight

from data.parallel import map_frame, resolve_workers
from data.schema import RESPONDERS
from model.classifier import DEFAULT_C, LinearScorer, calibration_rows, fit_temperature
from model.features import CallFeatures

N_HASHED = 2**20
#: Training narratives whose words name hashed columns (explanations, model card): the
#: words that weigh most are frequent, and reading them is serial work in every fit.
NAMED_ROWS = 20_000
#: Rows per `partial_fit` step.
CHUNK_ROWS = 50_000
#: Passes over the rows. Weights are averaged from the second pass on (averaged SGD): the
#: last iterate of plain SGD swings with its final steps (measured: 0.79 to 0.96
#: accuracy at 400k rows between 3 and 5 passes); the average settles (0.975 at 3
#: passes, 0.976 at 5).
DEFAULT_EPOCHS = 3


class HashedCallFeatures(CallFeatures):
    """`CallFeatures` with the narrative hashed (no vocabulary; see the module docstring)."""

    def __init__(self, word_ngrams: tuple[int, int] = (1, 2), n_hashed: int = N_HASHED,
                 min_df: int = 3, use_call_type: bool = True, mark_negation: bool = True,
                 named_rows: int = NAMED_ROWS):
        super().__init__(word_ngrams=word_ngrams, char_ngrams=None, min_df=min_df,
                         use_call_type=use_call_type, mark_negation=mark_negation)
        self.n_hashed = n_hashed
        self.named_rows = named_rows

    def _fit_narrative(self, texts: list[str]) -> None:
        self.word_ = HashingVectorizer(
            n_features=self.n_hashed, analyzer=self.word_analyzer(), alternate_sign=False,
            norm="l2", dtype=np.float64)
        self.char_ = None
        self.column_terms_ = self._name_columns(texts[:self.named_rows])

    def _name_columns(self, texts: list[str]) -> dict[int, str]:
        """Column -> the words (`|`-joined, commonest first) that hash to it in `texts`."""
        analyzer = self.word_.build_analyzer()
        counts = Counter(chain.from_iterable(map(analyzer, texts)))
        kept = [term for term, count in counts.items() if count >= self.min_df]
        if not kept:
            return {}
        # The hasher HashingVectorizer applies to analysed terms (the same columns).
        hasher = FeatureHasher(n_features=self.n_hashed, input_type="string",
                               alternate_sign=False)
        columns = hasher.transform([[term] for term in kept]).indices
        named: dict[int, list[str]] = {}
        for column, term in sorted(zip(columns.tolist(), kept, strict=True),
                                   key=lambda item: -counts[item[1]]):
            named.setdefault(column, []).append(term)
        return {column: " | ".join(f'"{term}"' for term in terms[:3])
                for column, terms in named.items()}

    def _prepare_narrative(self) -> int:
        return self.n_hashed

    def _narrative_blocks(self, texts: list[str]) -> list[sp.csr_matrix]:
        return [self.word_.transform(texts)]

    def _narrative_row(self, normalised: str, indices: list[int], values: list[float]) -> None:
        row = self.word_.transform([normalised])
        indices.extend(row.indices.tolist())
        values.extend(row.data.tolist())

    def _narrative_names(self) -> list[str]:
        return [self._column_name(column) for column in range(self.n_hashed)]

    def _column_name(self, column: int) -> str:
        terms = self.column_terms_.get(column)
        return f"narrative: {terms}" if terms else f"narrative: (hashed column {column})"

    def feature_names(self) -> HashedNames:
        return HashedNames(self)


class HashedNames:
    """Feature names by column, made when read: a million hashed columns, few are read."""

    def __init__(self, features: HashedCallFeatures) -> None:
        self._features = features
        self._tail = features._tail_names()

    def __len__(self) -> int:
        return self._features.n_features_

    def __getitem__(self, column: int) -> str:
        column = int(column)
        if not 0 <= column < len(self):
            raise IndexError(f"feature column {column} out of range")
        if column < self._features.n_hashed:
            return self._features._column_name(column)
        return self._tail[column - self._features.n_hashed]


def default_alpha(rows: int) -> float:
    """L2 strength equal to the default model's (`C`) for `rows` training rows: SGD's
    `alpha` is `1 / (C * n)` of logistic regression's `C`."""
    return 1.0 / (DEFAULT_C * max(rows, 1))


def build_hashed_pipeline(*, alpha: float, use_call_type: bool = True,
                          mark_negation: bool = True, word_ngrams: tuple[int, int] = (1, 2),
                          min_df: int = 3, random_state: int = 0) -> Pipeline:
    """The unfitted out-of-core Pipeline (fitted by `fit_hashed`, not `Pipeline.fit`)."""
    return Pipeline([
        ("features", HashedCallFeatures(word_ngrams=word_ngrams, min_df=min_df,
                                        use_call_type=use_call_type,
                                        mark_negation=mark_negation)),
        ("classifier", SGDClassifier(loss="log_loss", alpha=alpha, penalty="l2",
                                     learning_rate="optimal", average=False,
                                     random_state=random_state)),
    ])


def class_weights(y: np.ndarray) -> dict[str, float]:
    """`balanced` weights, computed up front (`partial_fit` cannot compute them)."""
    classes = np.asarray(RESPONDERS)
    weights = compute_class_weight("balanced", classes=classes, y=y)
    return {str(name): float(weight) for name, weight in zip(classes, weights, strict=True)}


def fit_hashed(features_frame: pd.DataFrame, y: np.ndarray, *, calibrate: bool,
               random_state: int, workers: int | None = None, epochs: int = DEFAULT_EPOCHS,
               **params: Any) -> tuple[Pipeline, float]:
    """Fit the out-of-core Pipeline on a frame whose narratives are normalised.

    Features are hashed in parallel chunks (`data.parallel`), once; the classifier
    sees them `CHUNK_ROWS` at a time, rows reshuffled every epoch. With `calibrate`, the
    model is fitted on four fifths of the rows and the held-out fifth fits the
    temperature. Unlike the default model it is not refitted on every row afterwards:
    at the sizes this variant is for, the last fifth changes little and a second fit
    doubles the cost. Returns the fitted Pipeline and the temperature.
    """
    params.setdefault("alpha", default_alpha(len(y)))
    pipeline = build_hashed_pipeline(random_state=random_state, **params)
    features: HashedCallFeatures = pipeline.named_steps["features"]
    classifier: SGDClassifier = pipeline.named_steps["classifier"]
    classifier.set_params(n_jobs=min(len(RESPONDERS), resolve_workers(workers)))
    features.fit(features_frame)
    matrix = sp.vstack(map_frame(_transform, features, features_frame, workers), format="csr")
    weights = class_weights(y)
    temperature = 1.0
    held = calibration_rows(y, random_state) if calibrate else None
    if held is None:
        _learn(classifier, matrix, y, weights, epochs, random_state)
        return pipeline, temperature
    _learn(classifier, matrix[~held], y[~held], weights, epochs, random_state)
    scores = LinearScorer.from_classifier(classifier).score_matrix(matrix[held])
    return pipeline, fit_temperature(scores, y[held])


def _transform(features: HashedCallFeatures, chunk: pd.DataFrame) -> sp.csr_matrix:
    return features.transform(chunk)


def _learn(classifier: SGDClassifier, matrix: sp.csr_matrix, y: np.ndarray,
           weights: dict[str, float], epochs: int, random_state: int) -> None:
    """`epochs` passes of `partial_fit`, `CHUNK_ROWS` rows at a time, reshuffled each pass;
    weights averaged from the second pass on."""
    classifier.set_params(average=max(len(y), 2) if epochs > 1 else False)
    rng = np.random.default_rng(random_state)
    sample_weight = np.array([weights[label] for label in y])
    classes = np.asarray(RESPONDERS)
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for lo in range(0, len(y), CHUNK_ROWS):
            rows = order[lo:lo + CHUNK_ROWS]
            classifier.partial_fit(matrix[rows], y[rows], classes=classes,
                                   sample_weight=sample_weight[rows])
