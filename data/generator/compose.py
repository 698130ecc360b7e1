"""One call, from a scenario to a narrative: pick the people and place, the parts, the style.

`compose_call` returns the narrative, the facts known before any update (what the
questionnaire answers) and the final facts (what the label follows). Denials are drawn
only where the facts known at that point allow them: "no weapons seen" may precede an
"UPDATE: has a gun", never contradict a knife already in hand.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from data.generator.details import DETAILS
from data.generator.grammar import Rules, compile_rules, render
from data.generator.noise import roughen
from data.generator.rng import Rng
from data.generator.scenarios import UPDATE_FACTS, Scenario
from data.generator.situations import SITUATIONS
from data.generator.styles import STYLES, to_cad, to_plain, to_rambling
from data.generator.vocabulary import VOCABULARY

#: Denial rule -> facts that forbid it (a denial never contradicts a known fact).
NEGATION_CONFLICTS: dict[str, frozenset[str]] = {
    "neg_weapons": frozenset({"firearm", "weapon_at_people", "weapon_held", "means"}),
    "neg_gun": frozenset({"firearm"}),
    "neg_threats": frozenset({"threats", "weapon_at_people", "escalating"}),
    "neg_violence": frozenset({"violence", "weapon_at_people", "escalating", "injuries"}),
    "neg_history": frozenset({"violent_history"}),
    "neg_si": frozenset({"self_harm", "means"}),
    "neg_sihi": frozenset({"self_harm", "means", "threats", "weapon_at_people"}),
    "neg_intox": frozenset({"intox"}),
    "neg_injury": frozenset({"injuries", "violence"}),
    "neg_crime": frozenset({"crime"}),
}
_NEGATION_COUNTS = (0, 0, 0, 1, 1, 1, 1, 2, 2, 3)
#: How many asides a note of each style has (rambling notes wander most).
_ASIDE_COUNTS = {"cad": (0,), "plain": (0, 0, 1), "rambling": (1, 2, 3)}

_RP = {
    "cad": ("RP", "RP", "RP", "R/P", "CALLER", "COMP", "CALLER"),
    "plain": ("caller", "caller", "the caller", "RP", "complainant", "c/r", "RP"),
    "rambling": ("caller", "caller", "the caller", "rp", "the person calling"),
}
_PRONOUNS = {"m": ("he", "him", "his"), "f": ("she", "her", "her")}
_ROLE_CALLERS = {"manager", "security", "neighbor", "passerby", "bus_driver", "school",
                 "landlord", "case_worker", "hotel"}
_WHERE = {
    "business": ("{spot_business} [at|of] {business}", "at {business}",
                 "{spot_business}", "inside {business}"),
    "street": ("{spot_street}", "{spot_street} [near|by|at] {addr}", "on {street}",
               "{spot_street} on {street}", "at {addr}"),
    "home": ("{spot_home}", "{spot_home} at {addr}", "at {addr}", "[at|in] the [house|apt|"
             "home]", ""),
}
#: How the narrative refers back to a subject described by a stranger.
_SUBJECT_REFS = {
    "subject_ref": ["{he}", "{he}", "the subject", "the {man_word}", "{he}", "subject"],
    "subject_ref@cad": ["SUBJ", "SUBJ", "SUBJ", "{he}", "S1", "{man_word}"],
    "subject_ref@rambling": ["{he}", "{he}", "{he}", "this {man_word}", "the {man_word}"],
}
#: Slots that `compose_call` fills from the call's context: never inlined by the grammar.
CONTEXT_SLOTS = frozenset({"he", "him", "his", "business", "rp", "man_word", "subj", "s",
                           "role", "where"})
_SOURCE = {**VOCABULARY, **SITUATIONS, **DETAILS, **_SUBJECT_REFS,
           **{f"where_{k}": list(v) for k, v in _WHERE.items()}}
RULES: dict[str, Rules] = {style: compile_rules(_SOURCE, style, CONTEXT_SLOTS)
                           for style in STYLES}


class ComposedCall(NamedTuple):
    """A rendered call with what was known before the updates and at the end."""

    narrative: str
    facts_before: frozenset[str]
    facts_final: frozenset[str]


def _people(scenario: Scenario, caller: str, style: str, rng: Rng,
            rules: Rules) -> dict[str, str]:
    gender = "m" if rng.random() < 0.62 else "f"
    he, him, his = _PRONOUNS[gender]
    context = {"he": he, "him": him, "his": his}
    context["business"] = render("business", rng, context, rules)
    rp = rng.choice(_RP[style])
    context["rp"] = rp
    man_word = render("man" if gender == "m" else "woman", rng, context, rules)
    context["man_word"] = man_word
    if caller == "self":
        context["subj"] = rp
        context["s"] = rng.choice((he, rp, he))
        return context
    if caller in ("family", "friend"):
        rel = "friend" if caller == "friend" else render(f"rel_{gender}", rng, context, rules)
        name = render(f"name_{gender}", rng, context, rules)
        owner = rng.choice(("her", "his", "her", "their", "rp's" if style == "cad" else "her"))
        subj = f"{owner} {rel}"
        roll = rng.random()
        if roll < 0.4:
            subj += f" {name}"
        elif roll < 0.7:
            subj += rng.choice((", ", " ", " (")) + render("age", rng, context, rules)
            subj += ")" if "(" in subj else ""
        context["subj"] = subj
        context["s"] = rng.choice((he, he, name, f"the {rel}", f"{owner} {rel}")) if \
            style != "cad" else rng.choice(("SUBJ", rel, name, he, "SUBJ"))
        return context
    context["subj"] = render(f"desc_{gender}", rng, context, rules)
    context["s"] = render("subject_ref", rng, context, rules)
    if caller in _ROLE_CALLERS:
        context["role"] = render(f"role_{caller}", rng, context, rules)
    return context


@cache
def _allowed_negations(facts: frozenset[str]) -> tuple[str, ...]:
    """Denial rules that do not contradict `facts` (a few dozen fact sets ever occur)."""
    return tuple(name for name, conflicts in NEGATION_CONFLICTS.items()
                 if not (facts & conflicts))


def _negations(facts: frozenset[str], rng: Rng) -> list[str]:
    allowed = _allowed_negations(facts)
    return rng.distinct(allowed, min(rng.choice(_NEGATION_COUNTS), len(allowed)))


def compose_call(scenario: Scenario, style: str, escalation: str | None,
                 rng: Rng) -> ComposedCall:
    """Render one call of `scenario` in `style`, optionally escalated by an update."""
    rules = RULES[style]
    caller = rng.choice(scenario.callers)
    context = _people(scenario, caller, style, rng, rules)
    setting = rng.choice(scenario.settings)
    context["where"] = ""
    where = render(f"where_{setting}", rng, context, rules)
    context["where"] = where

    facts = scenario.facts
    if caller == "self":
        intro = render("intro_self", rng, context, rules)
    elif "role" in context:
        intro = render("intro", rng, context, rules)
    else:
        intro = render("intro_family", rng, context, rules)
    body = [render(part, rng, context, rules) for part in scenario.parts]
    extras: list[str] = []
    for fact, probability, part in scenario.optional:
        if rng.random() < probability:
            facts = facts | {fact}
            extras.append(render(part, rng, context, rules))
    for part in scenario.more:
        if rng.random() < 0.45:
            extras.append(render(part, rng, context, rules))
    before = facts
    extras.extend(render(name, rng, context, rules) for name in _negations(before, rng))
    if rng.random() < 0.22:
        extras.append(render("idiom", rng, context, rules))
    extras.extend(render("aside", rng, context, rules)
                  for _ in range(rng.choice(_ASIDE_COUNTS[style])))
    sentences = [intro, *body, *rng.distinct(extras, len(extras))]  # extras shuffled
    if rng.random() < (0.6 if style == "cad" else 0.35):
        sentences.append(render("tail", rng, context, rules))

    updates: list[str] = []
    final = before
    if escalation is not None:
        updates.append(render(f"upd_{escalation}", rng, context, rules))
        final = final | UPDATE_FACTS[escalation]
    if rng.random() < 0.15:
        updates.append(render("upd_neutral", rng, context, rules))
    if "weapon_held" in final and "firearm" not in final and rng.random() < 0.15:
        updates.append(render("upd_put_down", rng, context, rules))

    if style == "cad":
        text = to_cad(sentences, updates, rng)
        typo_rate = 0.3
    elif style == "plain":
        swap = (context["s"], context["he"]) if context["s"] != context["he"] else None
        text = to_plain(sentences, updates, rng, context["rp"], swap)
        typo_rate = 0.3
    else:
        text = to_rambling(sentences, updates, rng)
        typo_rate = 0.5
    text = roughen(text, rng, typo_rate)
    return ComposedCall(narrative=text, facts_before=before, facts_final=final)
