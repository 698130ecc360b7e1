"""The call-taker's questionnaire: truthful about what was known, often incomplete.

About a third of calls are mostly `unknown` (a hurried or dropped call), a third fully
answered, the rest partial, with the safety questions (weapons, threats, violence)
asked more often than the others. An answer is `yes` exactly when the facts known
before any update say so, so a `yes` never sets a floor above the call's label.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from data.generator.facts import QUESTION_FACTS
from data.schema import QUESTION_KEYS

#: Completeness profiles: (share of calls, P(unknown) for safety keys, for the others).
PROFILES: tuple[tuple[float, float, float], ...] = (
    (1 / 3, 0.8, 0.92),   # mostly unknown
    (1 / 3, 0.0, 0.0),    # fully answered
    (1 / 3, 0.25, 0.6),   # partial
)
_SAFETY = frozenset({"weapons", "threats", "violence"})
_SHARES = np.array([share for share, _, _ in PROFILES])
#: P(unknown) per profile (rows) and key in `QUESTION_KEYS` order (columns).
_P_UNKNOWN = np.array([[safety if key in _SAFETY else other for key in QUESTION_KEYS]
                       for _, safety, other in PROFILES])
_UNKNOWN = np.array("unknown", dtype=object)


@cache
def _truthful(facts: frozenset[str]) -> tuple[str, ...]:
    """Every answer given (a few dozen fact sets ever occur, so this is cached)."""
    return tuple("yes" if facts & QUESTION_FACTS[key] else "no" for key in QUESTION_KEYS)


def answer_table(facts: list[frozenset[str]], rng: np.random.Generator) -> np.ndarray:
    """Answers for calls whose known facts are `facts`: one row per call, one column per
    key in `QUESTION_KEYS` order. Drawn for all calls at once with numpy, as a loop over
    calls and keys would cost a tenth of the generator's time."""
    kinds: dict[frozenset[str], int] = {}
    index = np.fromiter((kinds.setdefault(known, len(kinds)) for known in facts),
                        dtype=np.intp, count=len(facts))
    truth = np.array([_truthful(known) for known in kinds], dtype=object)
    truth = truth.reshape(len(kinds), len(QUESTION_KEYS))
    profile = rng.choice(len(PROFILES), size=len(facts), p=_SHARES / _SHARES.sum())
    unknown = rng.random((len(facts), len(QUESTION_KEYS))) < _P_UNKNOWN[profile]
    return np.where(unknown, _UNKNOWN, truth[index])
