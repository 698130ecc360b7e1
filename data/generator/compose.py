"""One call, from a scenario to a narrative: pick the people and place, the parts, the style.

`compose_call` returns the narrative, the facts known before any update (what the
questionnaire answers) and the final facts (what the label follows). Denials are drawn
only where the facts known at that point allow them: "no weapons seen" may precede an
"UPDATE: has a gun", never contradict a knife already in hand.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from data.generator.details import DETAILS
from data.generator.grammar import Rules, compile_rules, render
from data.generator.noise import roughen
from data.generator.scenarios import UPDATE_FACTS, Scenario
from data.generator.situations import SITUATIONS
from data.generator.styles import STYLES, to_cad, to_plain, to_rambling
from data.generator.vocabulary import VOCABULARY

_SOURCE = {**VOCABULARY, **SITUATIONS, **DETAILS}
RULES: dict[str, Rules] = {style: compile_rules(_SOURCE, style) for style in STYLES}

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
_WHERE_RULES = {style: compile_rules({f"where_{k}": list(v) for k, v in _WHERE.items()},
                                     style) for style in STYLES}
_SUBJECT_REFS = {
    "cad": ("SUBJ", "SUBJ", "SUBJ", "{he}", "S1", "{man_word}"),
    "plain": ("{he}", "{he}", "the subject", "the {man_word}", "{he}", "subject"),
    "rambling": ("{he}", "{he}", "{he}", "this {man_word}", "the {man_word}"),
}


@dataclass(frozen=True)
class ComposedCall:
    """A rendered call with what was known before the updates and at the end."""

    narrative: str
    facts_before: frozenset[str]
    facts_final: frozenset[str]


def _fill(template: str, context: dict[str, str]) -> str:
    for key, value in context.items():
        template = template.replace("{" + key + "}", value)
    return template


def _people(scenario: Scenario, caller: str, style: str, rng: random.Random,
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
    context["s"] = _fill(rng.choice(_SUBJECT_REFS[style]), context)
    if caller in _ROLE_CALLERS:
        context["role"] = render(f"role_{caller}", rng, context, rules)
    return context


def _negations(facts: frozenset[str], rng: random.Random) -> list[str]:
    allowed = [name for name, conflicts in NEGATION_CONFLICTS.items()
               if not (facts & conflicts)]
    count = min(rng.choice(_NEGATION_COUNTS), len(allowed))
    return rng.sample(allowed, count)


def compose_call(scenario: Scenario, style: str, escalation: str | None,
                 rng: random.Random) -> ComposedCall:
    """Render one call of `scenario` in `style`, optionally escalated by an update."""
    rules = RULES[style]
    caller = rng.choice(scenario.callers)
    context = _people(scenario, caller, style, rng, rules)
    setting = rng.choice(scenario.settings)
    where_rules = _WHERE_RULES[style]
    context["where"] = ""
    where = render(f"where_{setting}", rng, context, {**rules, **where_rules})
    context["where"] = where

    facts = set(scenario.facts)
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
            facts.add(fact)
            extras.append(render(part, rng, context, rules))
    for part in scenario.more:
        if rng.random() < 0.45:
            extras.append(render(part, rng, context, rules))
    before = frozenset(facts)
    extras.extend(render(name, rng, context, rules) for name in _negations(before, rng))
    if rng.random() < 0.22:
        extras.append(render("idiom", rng, context, rules))
    asides = {"cad": 0, "plain": rng.choice((0, 0, 1)), "rambling": rng.choice((1, 2, 3))}
    extras.extend(render("aside", rng, context, rules) for _ in range(asides[style]))
    rng.shuffle(extras)
    sentences = [intro, *body, *extras]
    if rng.random() < (0.6 if style == "cad" else 0.35):
        sentences.append(render("tail", rng, context, rules))

    updates: list[str] = []
    final = set(before)
    if escalation is not None:
        updates.append(render(f"upd_{escalation}", rng, context, rules))
        final |= UPDATE_FACTS[escalation]
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
    return ComposedCall(narrative=text, facts_before=before, facts_final=frozenset(final))
