"""Features of a call: narrative n-grams, questionnaire one-hot, call type; district never.

`CallFeatures` is an ordinary scikit-learn transformer (it sits first in the classifier
`Pipeline` and is fitted there), with a second, allocation-light path for one record:
`row(...)` builds the same feature row as `transform` directly from the fitted
vocabularies, as plain index and value arrays, with no DataFrame, no ColumnTransformer
and no scipy matrix. The HTTP API decides one call at a time, and that path costs tens
of microseconds instead of the milliseconds a DataFrame round trip costs. Tests check
that both paths give the same row.

Blocks, in column order: word 1-2 grams (TF-IDF), character n-grams inside word
boundaries (TF-IDF, catches typos such as "knif"), one column per questionnaire answer
(`weapons = yes|no|unknown`), the canonical call-type group, and the words of the raw
call-type text. Narratives arrive already normalised (`model.text.normalise_narrative`)
so the rules and the model read the same words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise, repeat

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from data.call_types import canonical_call_type
from data.schema import ANSWERS, QUESTION_KEYS
from data.table import Q_COLUMNS

NO_CALL_TYPE = "(none)"
TOKEN_PATTERN = r"(?u)\b\w+\b"
#: The same tokens as `TOKEN_PATTERN` (a maximal run of word characters is bounded by
#: `\b` on both sides), found faster: a pattern that starts with a character class lets
#: the regex engine skip ahead.
_TOKEN = re.compile(r"(?u)\w+")


@dataclass(frozen=True)
class FeatureRow:
    """One record's feature row: sorted column indices and their values."""

    indices: np.ndarray
    values: np.ndarray


class CallFeatures(TransformerMixin, BaseEstimator):
    """Narrative, questionnaire and call type of a frame in the file layout, as one matrix.

    Parameters
    ----------
    word_ngrams, char_ngrams : n-gram ranges; `char_ngrams=None` leaves the character
        block out (one of the variants compared in the README).
    min_df : a term must appear in this many training narratives (drops one-off typos
        and names, which would otherwise be memorised).
    use_call_type : include the call-type blocks.
    """

    def __init__(self, word_ngrams: tuple[int, int] = (1, 2),
                 char_ngrams: tuple[int, int] | None = (3, 4), min_df: int = 3,
                 max_char_features: int | None = 20_000, use_call_type: bool = True,
                 mark_negation: bool = True):
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.max_char_features = max_char_features
        self.use_call_type = use_call_type
        self.mark_negation = mark_negation

    # -- fitting ---------------------------------------------------------------------
    def fit(self, frame, y=None):
        self._fit_narrative(_texts(frame))
        self.call_type_groups_: list[str] = []
        self.call_type_words_ = None
        if self.use_call_type:
            raw = _call_types(frame)
            groups = {_group(value) for value in raw}
            self.call_type_groups_ = sorted(groups | {NO_CALL_TYPE})
            self.call_type_words_ = CountVectorizer(
                binary=True, lowercase=True, token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
                min_df=self.min_df, dtype=np.float64,
            ).fit([value or "" for value in raw])
        for vectorizer in (getattr(self, "word_", None), getattr(self, "char_", None),
                           self.call_type_words_):
            if vectorizer is not None and hasattr(vectorizer, "stop_words_"):
                del vectorizer.stop_words_  # every pruned term: large, only for introspection
        self._prepare()
        return self

    def _fit_narrative(self, texts: list[str]) -> None:
        """The narrative blocks' vocabularies (word n-grams, optional character n-grams)."""
        self.word_ = TfidfVectorizer(
            analyzer=self.word_analyzer(), min_df=self.min_df, sublinear_tf=True,
            dtype=np.float64,
        ).fit(texts)
        self.char_ = None
        if self.char_ngrams is not None:
            self.char_ = TfidfVectorizer(
                analyzer="char_wb", ngram_range=tuple(self.char_ngrams), min_df=self.min_df,
                sublinear_tf=True, lowercase=True, max_features=self.max_char_features,
                dtype=np.float64,
            ).fit(texts)

    def word_analyzer(self) -> partial[list[str]]:
        """The narrative's terms: `word_terms` with this transformer's settings."""
        low, high = self.word_ngrams
        return partial(word_terms, low=int(low), high=int(high), mark=bool(self.mark_negation))

    def _prepare(self) -> None:
        """Lookup tables for the one-record path (rebuilt after unpickling too)."""
        offset = self._prepare_narrative()
        self._q_offset = offset
        offset += len(QUESTION_KEYS) * len(ANSWERS)
        self._group_offset = offset
        self._group_index = {name: i for i, name in enumerate(self.call_type_groups_)}
        self._group_cache: dict[str | None, int] = {}
        offset += len(self.call_type_groups_)
        self._ct_word_offset = offset
        if self.call_type_words_ is not None:
            self._ct_analyzer = self.call_type_words_.build_analyzer()
            self._ct_vocab = self.call_type_words_.vocabulary_
            offset += len(self._ct_vocab)
        self.n_features_ = offset

    def _prepare_narrative(self) -> int:
        """The narrative blocks' lookup tables; returns their width (columns)."""
        self._word_analyzer = self.word_.build_analyzer()
        self._word_vocab = self.word_.vocabulary_
        self._word_idf = self.word_.idf_
        offset = len(self._word_vocab)
        self._char_offset = offset
        if self.char_ is not None:
            self._char_analyzer = self.char_.build_analyzer()
            self._char_vocab = self.char_.vocabulary_
            self._char_idf = self.char_.idf_
            offset += len(self._char_vocab)
        return offset

    def __setstate__(self, state):
        super().__setstate__(state)
        if hasattr(self, "word_"):
            self._prepare()

    def __getstate__(self):
        """Leave the derived lookup tables out of the pickle; `_prepare` rebuilds them."""
        state = super().__getstate__()
        return {key: value for key, value in state.items() if key not in _TRANSIENT}

    # -- batch path ------------------------------------------------------------------
    def transform(self, frame) -> sp.csr_matrix:
        """The feature matrix of a frame (`narrative` already normalised)."""
        texts = _texts(frame)
        n = len(texts)
        blocks = self._narrative_blocks(texts)
        blocks.append(self._answers_block(frame, n))
        if self.use_call_type:
            raw = _call_types(frame)
            groups = [self._group_column(value) for value in raw]
            blocks.append(sp.csr_matrix(
                (np.ones(n), (np.arange(n), groups)), shape=(n, len(self.call_type_groups_))))
            blocks.append(self.call_type_words_.transform([value or "" for value in raw]))
        return sp.hstack(blocks, format="csr", dtype=np.float64)

    def _narrative_blocks(self, texts: list[str]) -> list[sp.csr_matrix]:
        blocks = [tfidf_matrix(texts, self._word_analyzer, self._word_vocab, self._word_idf)]
        if self.char_ is not None:
            blocks.append(tfidf_matrix(texts, self._char_analyzer, self._char_vocab,
                                       self._char_idf))
        return blocks

    def _answers_block(self, frame, n: int) -> sp.csr_matrix:
        width = len(ANSWERS)
        columns = np.empty((n, len(QUESTION_KEYS)), dtype=np.int64)
        lookup = {answer: i for i, answer in enumerate(ANSWERS)}
        unknown = lookup["unknown"]
        for k, column in enumerate(Q_COLUMNS):
            if column in frame:
                values = frame[column].astype(object).tolist()
                columns[:, k] = [k * width + lookup.get(v, unknown) for v in values]
            else:
                columns[:, k] = k * width + unknown
        rows = np.repeat(np.arange(n), len(QUESTION_KEYS))
        return sp.csr_matrix((np.ones(rows.size), (rows, columns.ravel())),
                             shape=(n, len(QUESTION_KEYS) * width))

    def _group_column(self, call_type: str | None) -> int:
        """The call-type group's column, memoised: CAD systems use a few hundred codes."""
        column = self._group_cache.get(call_type)
        if column is None:
            group = _group(call_type)
            column = self._group_index.get(group, self._group_index[NO_CALL_TYPE])
            if len(self._group_cache) < 10_000:
                self._group_cache[call_type] = column
        return column

    # -- one-record path -------------------------------------------------------------
    def row(self, normalised: str, answers: Sequence[str], call_type: str | None) -> FeatureRow:
        """The same row `transform` builds, for one record, without matrices or frames.

        `answers` are the questionnaire answers in `QUESTION_KEYS` order.
        """
        if not isinstance(call_type, str):  # NaN from a frame cell means missing
            call_type = None
        indices: list[int] = []
        values: list[float] = []
        self._narrative_row(normalised, indices, values)
        width = len(ANSWERS)
        for k, answer in enumerate(answers):
            indices.append(self._q_offset + k * width + _ANSWER_INDEX.get(answer, 2))
            values.append(1.0)
        if self.use_call_type:
            indices.append(self._group_offset + self._group_column(call_type))
            values.append(1.0)
            for term in set(self._ct_analyzer(call_type or "")):
                column = self._ct_vocab.get(term)
                if column is not None:
                    indices.append(self._ct_word_offset + column)
                    values.append(1.0)
        index_array = np.asarray(indices, dtype=np.int64)
        order = np.argsort(index_array, kind="stable")
        return FeatureRow(index_array[order], np.asarray(values, dtype=np.float64)[order])

    def _narrative_row(self, normalised: str, indices: list[int], values: list[float]) -> None:
        """Append the narrative blocks' columns and values of one text."""
        _tfidf(self._word_analyzer(normalised), self._word_vocab, self._word_idf, 0,
               indices, values)
        if self.char_ is not None:
            _tfidf(self._char_analyzer(normalised), self._char_vocab, self._char_idf,
                   self._char_offset, indices, values)

    # -- names -----------------------------------------------------------------------
    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names an auditor can read: `narrative: "knife"`, `questionnaire: weapons = yes`."""
        return np.asarray(self._narrative_names() + self._tail_names(), dtype=object)

    def _tail_names(self) -> list[str]:
        """Names of the columns after the narrative blocks (questionnaire, call type)."""
        names = [f"questionnaire: {key} = {answer}"
                 for key in QUESTION_KEYS for answer in ANSWERS]
        if self.use_call_type:
            names += [f"call_type: {group}" for group in self.call_type_groups_]
            names += [f'call_type: "{term}"'
                      for term in self.call_type_words_.get_feature_names_out()]
        return names

    def feature_names(self):
        """What explanations index by column: here the `get_feature_names_out` array."""
        return self.get_feature_names_out()

    def _narrative_names(self) -> list[str]:
        names = [f'narrative: "{term}"' for term in self.word_.get_feature_names_out()]
        if self.char_ is not None:
            names += [f'narrative: chars "{term}"' for term in self.char_.get_feature_names_out()]
        return names


#: Words that open a negation scope in a normalised narrative (`neg` is spelt out).
_NEGATION_CUE = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|without|denies|denied|deny|denying|negative|"
    r"[a-z]+n't|doesnt|dont|didnt|isnt|wasnt|hasnt|havent|wont|cant)\b")
#: What closes it: clause punctuation, or a word that turns the sentence.
_SCOPE_END = re.compile(r"[.;:!?,\"]|\b(?:but|however|update|now|then|although)\b")
NEGATION_SCOPE_WORDS = 4
_WORD = re.compile(r"[a-z0-9']+")


def word_terms(text: str, low: int = 1, high: int = 2, mark: bool = True) -> list[str]:
    """Word `low`..`high`-grams of a normalised narrative, negation scope marked if `mark`.

    What `TfidfVectorizer(ngram_range=(low, high), token_pattern=TOKEN_PATTERN,
    preprocessor=negation_marked)` (or, unmarked, `lowercase=True`) produces, in the
    same order, about twice as fast; a test holds the two equal. Models saved before it
    keep scikit-learn's analyzer.
    """
    tokens = _TOKEN.findall(negation_marked(text) if mark else text.lower())
    terms = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        if n == 2:
            terms += [f"{a} {b}" for a, b in pairwise(tokens)]
        else:
            terms += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return terms


def negation_marked(text: str) -> str:
    """`text` with the few words after a negation cue prefixed `neg_` (for word features).

    A bag of words cannot tell "threatening staff" from "not threatening anyone", and call
    notes are full of the second kind; marking the scope (the classic Das & Chen / Pang et
    al. treatment) gives the model `neg_threatening` instead. The scope here is short and
    ends at clause punctuation or a turn word. Only features use it: the rules read
    negation with `model.negation`'s finer scope.
    """
    if _NEGATION_CUE.search(text) is None:
        return text
    out: list[str] = []
    position = 0
    for cue in _NEGATION_CUE.finditer(text):
        if cue.end() <= position:
            continue
        out.append(text[position:cue.end()])
        stop = _SCOPE_END.search(text, cue.end())
        limit = stop.start() if stop else len(text)
        position = cue.end()
        for marked, word in enumerate(_WORD.finditer(text, cue.end(), limit)):
            if marked == NEGATION_SCOPE_WORDS or _NEGATION_CUE.fullmatch(word.group()):
                break
            out.append(text[position:word.start()] + "neg_" + word.group())
            position = word.end()
    out.append(text[position:])
    return "".join(out)


_ANSWER_INDEX = {answer: i for i, answer in enumerate(ANSWERS)}
_TRANSIENT = frozenset({
    "_word_analyzer", "_word_vocab", "_word_idf", "_char_offset", "_char_analyzer",
    "_char_vocab", "_char_idf", "_q_offset", "_group_offset", "_group_index",
    "_ct_word_offset", "_ct_analyzer", "_ct_vocab", "_group_cache",
})


def _tfidf(terms: list[str], vocabulary: dict[str, int], idf: np.ndarray, offset: int,
           indices: list[int], values: list[float]) -> None:
    """Sublinear TF-IDF with l2 norm, exactly as `TfidfVectorizer(sublinear_tf=True)`."""
    counts = Counter(column for column in map(vocabulary.get, terms) if column is not None)
    if not counts:
        return
    weights = [(1.0 + math.log(count)) * idf[column] for column, count in counts.items()]
    norm = math.sqrt(sum(w * w for w in weights))
    if norm == 0.0:
        return
    for column, weight in zip(counts, weights, strict=True):
        indices.append(offset + column)
        values.append(weight / norm)


def tfidf_matrix(texts: Sequence[str], analyzer: Callable[[str], list[str]],
                 vocabulary: dict[str, int], idf: np.ndarray) -> sp.csr_matrix:
    """`TfidfVectorizer(sublinear_tf=True).transform(texts)` of a fitted vectorizer, given
    its analyzer, vocabulary and idf: the same matrix (a test holds them equal).

    scikit-learn counts each term in a Python loop (a dict look-up, a try and a counter
    update per term); here the terms become columns in one C-level `map` per text and are
    counted, weighted and normalised in numpy and scipy, in the same order of operations.
    """
    get = vocabulary.get
    columns: list[int] = []
    lengths = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        found = list(map(get, analyzer(text), repeat(-1)))
        columns += found
        lengths[i] = len(found)
    column = np.asarray(columns, dtype=np.int64)
    row = np.repeat(np.arange(len(texts)), lengths)
    known = column >= 0
    counts = sp.csr_matrix((np.ones(int(known.sum())), (row[known], column[known])),
                           shape=(len(texts), len(idf)), dtype=np.float64)
    counts.sum_duplicates()  # coordinates to counts, indices sorted as scikit-learn's
    np.log(counts.data, counts.data)
    counts.data += 1.0
    counts.data *= idf[counts.indices]
    return normalize(counts, norm="l2", copy=False)


def _group(call_type: str | None) -> str:
    if not call_type:
        return NO_CALL_TYPE
    return canonical_call_type(call_type) or NO_CALL_TYPE


def _texts(frame) -> list[str]:
    """The (normalised) narratives of a frame, or a list of them given directly."""
    return frame["narrative"].astype(str).tolist()


def _call_types(frame) -> list[str | None]:
    if "call_type" not in frame:
        return [None] * len(frame)
    return [value if isinstance(value, str) and value.strip() else None
            for value in frame["call_type"].astype(object).tolist()]
