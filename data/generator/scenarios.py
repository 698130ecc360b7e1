"""The scenarios a call is built from: facts, parts, callers, settings and CAD types.

A scenario names the situation parts it renders (each fixing one fact) and what may
vary around them: who calls, where, optional facts (injuries, drinking) and which
updates may follow. Its label is never written down: it is computed from the facts
with `label_for`, so a scenario cannot drift from the policy. Escalations pair a
scenario with an update that adds a fact and so raises the label ("UPDATE: now has a
knife"); the questionnaire answers what was known before that update.
"""

from __future__ import annotations

from dataclasses import dataclass

from data.generator.facts import label_for


@dataclass(frozen=True)
class Scenario:
    """One kind of call: the parts rendered, the facts they fix, and what may vary."""

    name: str
    parts: tuple[str, ...]
    facts: frozenset[str]
    callers: tuple[str, ...]
    settings: tuple[str, ...]
    call_types: tuple[str, ...]
    more: tuple[str, ...] = ()
    optional: tuple[tuple[str, float, str], ...] = ()  # (fact, probability, part)
    updates: tuple[str, ...] = ()  # escalation update kinds that may follow
    weight: float = 1.0

    @property
    def label(self) -> str:
        return label_for(self.facts)


FAMILY = ("family", "family", "family", "friend")
PUBLIC = ("passerby", "manager", "security", "bus_driver", "passerby")
CRISIS_CALLERS = (*FAMILY, "self", "case_worker", "neighbor", "landlord")
ANY_CALLER = (*FAMILY, *PUBLIC, "neighbor")

#: Update kind -> the fact it adds ("neutral" adds none).
UPDATE_FACTS: dict[str, frozenset[str]] = {
    "weapon_held": frozenset({"weapon_held"}),
    "means": frozenset({"means", "self_harm"}),
    "threats": frozenset({"threats"}),
    "firearm": frozenset({"firearm"}),
    "violence": frozenset({"violence"}),
    "weapon_at_people": frozenset({"weapon_at_people", "weapon_held"}),
    "crime": frozenset({"crime"}),
}

_S = Scenario
_CRISIS_UPD = ("threats", "weapon_held", "firearm", "violence", "weapon_at_people")
_DISPUTE_UPD = ("threats", "violence", "weapon_at_people", "firearm")

SCENARIOS: tuple[Scenario, ...] = (
    # ------------------------------------------------------------------ heart
    _S("mh_delusion", ("delusion",), frozenset(), CRISIS_CALLERS, ("home", "home", "street"),
       ("MENTAL_HEALTH", "MENTAL_HEALTH", "WELFARE", "SUSPICIOUS"), ("crisis_more",),
       updates=_CRISIS_UPD, weight=1.3),
    _S("mh_distress", ("distress",), frozenset(), CRISIS_CALLERS, ("home", "street",
       "business"), ("MENTAL_HEALTH", "WELFARE", "MENTAL_HEALTH"), ("crisis_more",),
       optional=(("intox", 0.15, "drinking"),), updates=_CRISIS_UPD, weight=1.1),
    _S("odd_public", ("public_odd",), frozenset(), PUBLIC, ("street", "street", "business"),
       ("MENTAL_HEALTH", "INDECENCY", "DISTURBANCE", "SUSPICIOUS", "WELFARE"),
       ("public_more", "crisis_more"), optional=(("intox", 0.15, "drinking"),),
       updates=("threats", "violence", "firearm"), weight=0.8),
    _S("suicidal_talk", ("suicidal_talk",), frozenset({"self_harm"}),
       (*FAMILY, "self", "self", "case_worker", "school"), ("home", "home", "street"),
       ("SUICIDE", "SUICIDE", "MENTAL_HEALTH", "WELFARE"), ("suicidal_more", "crisis_more"),
       optional=(("intox", 0.15, "drinking"),),
       updates=("weapon_held", "means", "firearm"), weight=1.2),
    _S("welfare", ("welfare",), frozenset(), (*FAMILY, "neighbor", "landlord", "passerby",
       "bus_driver", "manager"), ("home", "street", "business"),
       ("WELFARE", "WELFARE", "WELFARE", "MENTAL_HEALTH"), ("welfare_more",),
       optional=(("injuries", 0.15, "injured"),), updates=("threats",), weight=1.2),
    _S("homeless", ("homeless",), frozenset(), ("manager", "security", "passerby",
       "neighbor", "bus_driver", "landlord"), ("business", "street", "business"),
       ("PANHANDLING", "TRESPASS", "PANHANDLING", "SUSPICIOUS", "WELFARE"),
       ("homeless_more",), optional=(("intox", 0.2, "drinking"),),
       updates=("threats", "violence"), weight=1.2),
    _S("trespass_calm", ("trespass",), frozenset(), ("manager", "security", "neighbor",
       "landlord", "family", "hotel"), ("business", "home", "business"),
       ("TRESPASS", "TRESPASS", "TRESPASS", "SUSPICIOUS", "DISTURBANCE"),
       ("trespass_more", "homeless_more"), optional=(("intox", 0.2, "drinking"),),
       updates=("threats", "violence", "crime", "weapon_at_people"), weight=1.4),
    _S("intox_calm", ("intox",), frozenset({"intox"}), (*PUBLIC, "neighbor", "hotel"),
       ("street", "business"), ("INTOX", "INTOX", "WELFARE", "DISTURBANCE"),
       ("intox_more",), optional=(("injuries", 0.15, "injured"),),
       updates=("threats", "violence"), weight=1.0),
    _S("verbal_dispute", ("verbal",), frozenset(), ("family", "family", "neighbor",
       "landlord", "school"), ("home", "home", "street"),
       ("DISTURBANCE", "DOMESTIC_NONVIOLENT", "DOMESTIC_NONVIOLENT", "DISTURBANCE"),
       ("verbal_more",), optional=(("intox", 0.2, "drinking"),), updates=_DISPUTE_UPD,
       weight=1.2),
    _S("property_aggression", ("property_aggression",), frozenset(), ("family", "family",
       "neighbor", "school", "case_worker"), ("home",),
       ("DISTURBANCE", "DOMESTIC_NONVIOLENT", "MENTAL_HEALTH"),
       ("property_more", "crisis_more"),
       # Punching doors while talking of suicide, no means: still heart (the policy's
       # "teens punching doors, one threatening suicide" seed).
       optional=(("self_harm", 0.5, "suicidal_talk"),), updates=_DISPUTE_UPD, weight=0.8),
    # ------------------------------------------------------------ co_response
    _S("crisis_threats", ("delusion", "verbal_threats"), frozenset({"threats"}),
       CRISIS_CALLERS, ("home", "street"), ("MENTAL_HEALTH", "THREATS", "MENTAL_HEALTH",
       "DISTURBANCE"), ("crisis_more",), updates=("violence", "weapon_at_people",
       "firearm"), weight=0.8),
    _S("dispute_threats", ("verbal", "verbal_threats"), frozenset({"threats"}),
       ("family", "family", "neighbor", "landlord"), ("home",),
       ("DOMESTIC_NONVIOLENT", "DISTURBANCE", "THREATS"), ("verbal_more",),
       optional=(("intox", 0.25, "drinking"),), updates=("violence", "weapon_at_people"),
       weight=0.6),
    _S("suicidal_knife", ("weapon_self",), frozenset({"weapon_held", "self_harm"}),
       (*FAMILY, "self", "case_worker"), ("home",), ("SUICIDE", "SUICIDE", "MENTAL_HEALTH",
       "WEAPON"), ("suicidal_more", "crisis_more"),
       optional=(("injuries", 0.25, "injured"), ("intox", 0.15, "drinking")),
       updates=("firearm", "weapon_at_people"), weight=0.7),
    _S("suicidal_means", ("suicidal_talk", "means"), frozenset({"means", "self_harm"}),
       (*FAMILY, "self", "self", "case_worker", "passerby"), ("home", "home", "street"),
       ("SUICIDE", "SUICIDE", "MENTAL_HEALTH"), ("suicidal_more",),
       optional=(("intox", 0.2, "drinking"),), updates=("firearm",), weight=0.7),
    _S("crisis_armed", ("distress", "weapon_carried"), frozenset({"weapon_held"}),
       CRISIS_CALLERS, ("home", "street"), ("MENTAL_HEALTH", "WEAPON", "MENTAL_HEALTH"),
       ("crisis_more",), updates=("weapon_at_people", "violence"), weight=0.4),
    _S("crisis_history", ("delusion", "violent_history"), frozenset({"violent_history"}),
       CRISIS_CALLERS, ("home", "street"), ("MENTAL_HEALTH", "MENTAL_HEALTH", "WELFARE"),
       ("crisis_more",), updates=("violence", "firearm"), weight=0.5),
    _S("ivc_service", ("distress", "ivc"), frozenset({"ivc"}), ("family", "case_worker",
       "family"), ("home",), ("MENTAL_HEALTH", "MENTAL_HEALTH"), ("crisis_more",),
       weight=0.35),
    _S("escalating", ("escalating",), frozenset({"escalating"}), ANY_CALLER,
       ("business", "street", "home"), ("DISTURBANCE", "MENTAL_HEALTH", "THREATS",
       "FIGHT_ASSAULT"), ("crisis_more", "public_more"),
       optional=(("intox", 0.3, "drinking"),), updates=("violence", "weapon_at_people"),
       weight=0.6),
    _S("trespass_threats", ("trespass", "verbal_threats"), frozenset({"threats"}),
       ("manager", "security", "neighbor", "landlord", "hotel"), ("business", "home"),
       ("TRESPASS", "TRESPASS", "THREATS", "DISTURBANCE"), ("trespass_more",),
       optional=(("intox", 0.25, "drinking"),), updates=("violence", "weapon_at_people",
       "crime"), weight=0.6),
    _S("intox_threats", ("intox", "escalating"), frozenset({"intox", "escalating"}),
       (*PUBLIC, "hotel"), ("street", "business"), ("INTOX", "DISTURBANCE", "INTOX"),
       ("intox_more",), updates=("violence",), weight=0.4),
    # ----------------------------------------------------------------- police
    _S("assault", ("assault",), frozenset({"violence"}), ANY_CALLER,
       ("street", "business", "home"), ("FIGHT_ASSAULT", "FIGHT_ASSAULT", "DISTURBANCE"),
       (), optional=(("injuries", 0.45, "injured_victim"), ("intox", 0.25, "drinking")),
       updates=("firearm",), weight=1.4),
    _S("domestic_violence", ("domestic_violence",), frozenset({"violence"}),
       ("family", "family", "neighbor", "self"), ("home",),
       ("DOMESTIC_VIOLENT", "DOMESTIC_VIOLENT", "DOMESTIC_NONVIOLENT", "FIGHT_ASSAULT"),
       (), optional=(("injuries", 0.45, "injured_victim"), ("intox", 0.25, "drinking")),
       updates=("firearm",), weight=1.0),
    _S("weapon_at_people", ("weapon_at_people",), frozenset({"weapon_at_people",
       "weapon_held", "threats"}), ANY_CALLER, ("street", "business", "home"),
       ("WEAPON", "WEAPON", "THREATS", "DISTURBANCE", "MENTAL_HEALTH"), ("crisis_more",),
       optional=(("intox", 0.2, "drinking"),), weight=0.8),
    _S("crisis_gun", ("delusion", "firearm_present"), frozenset({"firearm"}),
       CRISIS_CALLERS, ("home",), ("MENTAL_HEALTH", "MENTAL_HEALTH", "WEAPON"),
       ("crisis_more",), weight=0.4),
    _S("suicidal_gun", ("suicidal_talk", "firearm_present"), frozenset({"firearm",
       "self_harm"}), (*FAMILY, "self", "case_worker"), ("home",),
       ("SUICIDE", "SUICIDE", "MENTAL_HEALTH"), ("suicidal_more",), weight=0.5),
    _S("shots_fired", ("shots",), frozenset({"firearm"}), ("neighbor", "passerby",
       "neighbor", "manager"), ("street", "home"), ("SHOOTING", "SHOOTING", "DISTURBANCE"),
       weight=0.6),
    _S("person_with_gun", ("firearm_present",), frozenset({"firearm"}),
       (*PUBLIC, "neighbor", "family"), ("street", "business"), ("SHOOTING", "WEAPON",
       "SUSPICIOUS", "DISTURBANCE"), ("public_more",), weight=0.5),
    _S("crime_in_progress", ("crime",), frozenset({"crime"}), ("neighbor", "manager",
       "security", "passerby", "family"), ("home", "business", "street"),
       ("BURGLARY_ROBBERY", "THEFT", "BURGLARY_ROBBERY", "SUSPICIOUS"), (), weight=1.3),
    _S("intox_swinging", ("intox", "swinging"), frozenset({"intox", "violence"}),
       (*PUBLIC, "hotel"), ("street", "business"), ("INTOX", "FIGHT_ASSAULT",
       "DISTURBANCE"), ("intox_more",), weight=0.6),
    _S("impaired_crash", ("impaired_crash",), frozenset({"crime", "intox"}),
       ("passerby", "neighbor", "passerby"), ("street",), ("TRAFFIC_IMPAIRED",
       "TRAFFIC_IMPAIRED", "OTHER"), (), weight=0.5),
    _S("trespass_breakin", ("trespass", "breakin"), frozenset({"crime"}),
       ("neighbor", "landlord", "manager", "family"), ("home", "business"),
       ("TRESPASS", "BURGLARY_ROBBERY", "BURGLARY_ROBBERY"), (), weight=0.5),
)

BY_LABEL: dict[str, tuple[Scenario, ...]] = {
    label: tuple(s for s in SCENARIOS if s.label == label)
    for label in ("heart", "co_response", "police")
}


def escalations(target: str) -> tuple[tuple[Scenario, str], ...]:
    """(scenario, update kind) pairs whose update raises the scenario to `target`."""
    pairs = []
    for scenario in SCENARIOS:
        if scenario.label == target:
            continue
        for kind in scenario.updates:
            if label_for(scenario.facts | UPDATE_FACTS[kind]) == target:
                pairs.append((scenario, kind))
    return tuple(pairs)
