"""The call-taker's questionnaire: truthful about what was known, often incomplete.

About a third of calls are mostly `unknown` (a hurried or dropped call), a third fully
answered, the rest partial, with the safety questions (weapons, threats, violence)
asked more often than the others. An answer is `yes` exactly when the facts known
before any update say so, so a `yes` never sets a floor above the call's label.
"""

from __future__ import annotations

import random

from data.generator.facts import QUESTION_FACTS
from data.schema import QUESTION_KEYS

#: Completeness profiles: (share of calls, P(unknown) for safety keys, for the others).
PROFILES: tuple[tuple[float, float, float], ...] = (
    (1 / 3, 0.8, 0.92),   # mostly unknown
    (1 / 3, 0.0, 0.0),    # fully answered
    (1 / 3, 0.25, 0.6),   # partial
)
_SAFETY = frozenset({"weapons", "threats", "violence"})


def answer(facts: frozenset[str], rng: random.Random) -> list[str]:
    """Answers in `QUESTION_KEYS` order for a call whose known facts are `facts`."""
    roll = rng.random()
    share_so_far = 0.0
    p_safety, p_other = PROFILES[-1][1:]
    for share, safety, other in PROFILES:
        share_so_far += share
        if roll < share_so_far:
            p_safety, p_other = safety, other
            break
    answers = []
    for key in QUESTION_KEYS:
        p_unknown = p_safety if key in _SAFETY else p_other
        if p_unknown and rng.random() < p_unknown:
            answers.append("unknown")
        else:
            answers.append("yes" if facts & QUESTION_FACTS[key] else "no")
    return answers
