"""What is true in a generated call, and the label RESPONSE-POLICY.md gives it.

A call is built from facts first and words second: the scenario fixes the facts (a
knife is held, words threaten a neighbour, someone was hit), the grammar renders them.
The label comes from the final facts only, so every narrative says exactly what its
label needs, however it is phrased. Facts are plain strings so a test can re-derive
the label with its own, independent reading of the policy.
"""

from __future__ import annotations

from collections.abc import Iterable

from data.schema import RESPONDER_RANK, RESPONDERS

#: Facts that make a call `police`: violence, a weapon turned on people, any firearm,
#: a crime in progress.
POLICE_FACTS = frozenset({"firearm", "weapon_at_people", "violence", "crime"})
#: Facts that make a call at least `co_response`: verbal threats at people, a weapon
#: held or lethal means at hand, aggression escalating towards people, a known violent
#: history, an involuntary commitment order.
CO_RESPONSE_FACTS = frozenset({"threats", "weapon_held", "means", "escalating",
                               "violent_history", "ivc"})
#: Facts that raise nothing by themselves.
NEUTRAL_FACTS = frozenset({"self_harm", "intox", "injuries"})
ALL_FACTS = POLICE_FACTS | CO_RESPONSE_FACTS | NEUTRAL_FACTS

#: Which facts make a truthful questionnaire answer `yes`.
QUESTION_FACTS: dict[str, frozenset[str]] = {
    "weapons": frozenset({"firearm", "weapon_at_people", "weapon_held"}),
    "threats": frozenset({"threats", "weapon_at_people"}),
    "violence": frozenset({"violence"}),
    "self_harm": frozenset({"self_harm"}),
    "injuries": frozenset({"injuries"}),
    "intoxication": frozenset({"intox"}),
    "crime_in_progress": frozenset({"crime"}),
}


def label_for(facts: Iterable[str]) -> str:
    """The responder the policy gives a call with these facts."""
    present = frozenset(facts)
    unknown = present - ALL_FACTS
    if unknown:
        raise ValueError(f"unknown fact(s): {', '.join(sorted(unknown))}")
    if present & POLICE_FACTS:
        return "police"
    if present & CO_RESPONSE_FACTS:
        return "co_response"
    return "heart"


def rank(label: str) -> int:
    """Escalation rank of a responder (heart 0, co_response 1, police 2)."""
    return RESPONDER_RANK[label]


__all__ = ["ALL_FACTS", "QUESTION_FACTS", "RESPONDERS", "label_for", "rank"]
