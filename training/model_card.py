"""The model card: what the model is for, what it is not for, and how it scored.

Plain Markdown built from the run's own figures (no template engine), so the card in
the artifacts can never disagree with the metrics logged beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from data.schema import RESPONDERS

HEADLINE = ("accuracy", "macro_f1", "under_triage_rate", "under_triage_police",
            "under_triage_co_response", "over_triage_rate")


@dataclass
class CardFacts:
    """Everything the card states, gathered by the training pipeline."""

    model_name: str
    run_id: str
    data: Mapping[str, str]
    split: str
    train_rows: int
    test_rows: int
    model: Mapping[str, float]
    final: Mapping[str, float]
    baseline: Mapping[str, float]
    overrides: Mapping[str, float]
    params: Mapping[str, str] = field(default_factory=dict)
    cross_style: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    gate: str = ""
    rules_version: str = ""


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def _table(facts: CardFacts) -> list[str]:
    lines = ["| figure | model alone | final (after rules) | rules-only baseline |",
             "|---|---|---|---|"]
    for key in HEADLINE:
        lines.append(f"| {key} | {_fmt(facts.model.get(key))} | {_fmt(facts.final.get(key))} "
                     f"| {_fmt(facts.baseline.get(key))} |")
    for key in ("brier_score", "ece"):
        lines.append(f"| {key} | {_fmt(facts.model.get(key))} | n/a | n/a |")
    return lines


def _per_class(facts: CardFacts) -> list[str]:
    lines = ["| responder | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for label in RESPONDERS:
        lines.append(
            f"| {label} | {_fmt(facts.final.get(f'precision_{label}'))} "
            f"| {_fmt(facts.final.get(f'recall_{label}'))} "
            f"| {_fmt(facts.final.get(f'f1_{label}'))} "
            f"| {int(facts.final.get(f'support_{label}', 0))} |")
    return lines


def render(facts: CardFacts) -> str:
    """The card as Markdown."""
    final, base = facts.final, facts.baseline
    lines = [
        f"# Model card: {facts.model_name}",
        "",
        f"Training run `{facts.run_id}`; rules version `{facts.rules_version or 'n/a'}`.",
        "",
        "## Intended use",
        "Decision support for 911 call-takers and dispatchers: recommend which responder to "
        "send (`heart` = unarmed crisis team, `co_response` = clinician with an officer, "
        "`police`) from the call narrative and the call-taker's questionnaire, with an "
        "explanation. A rules layer sets a floor (weapons, threats, violence, crime in "
        "progress) that the model can never lower. A person makes the dispatch decision.",
        "",
        "## Not intended for",
        "- Dispatching without a human call-taker or dispatcher in the loop.",
        "- Fire or EMS triage (medical and fire protocols run first; the model only flags "
        "that medical help is advised).",
        "- Judging a person's risk, guilt or credibility, or any use outside the call in hand.",
        "- Use on calls from a centre whose narratives or questionnaire differ from the "
        "training data without re-evaluating it there first.",
        "",
        "## Data",
        f"- File: `{facts.data.get('data_path', '?')}` (sha256 "
        f"`{facts.data.get('data_sha256', '?')}`)",
        f"- Valid rows: {facts.data.get('data_rows', '?')}; rejected rows: "
        f"{facts.data.get('data_rejected_rows', '?')}",
        "- Label shares: " + ", ".join(
            f"{label} {float(facts.data.get(f'data_share_{label}', 0)):.1%}"
            for label in RESPONDERS),
        f"- Split: {facts.split}; {facts.train_rows} training and {facts.test_rows} test calls.",
        "",
        "## Metrics (test split)",
        *_table(facts),
        "",
        "Per class, final decision:",
        "",
        *_per_class(facts),
        "",
        "## Safety",
        f"- Unsafe under-triage (true `police` decided lower, true `co_response` decided "
        f"`heart`), final decision: **{_fmt(final.get('under_triage_rate'))}** of test calls "
        f"(police part {_fmt(final.get('under_triage_police'))}, co-response part "
        f"{_fmt(final.get('under_triage_co_response'))}); rules-only baseline "
        f"{_fmt(base.get('under_triage_rate'))}.",
        f"- Over-triage (more force than needed), final decision: "
        f"{_fmt(final.get('over_triage_rate'))}; rules-only baseline "
        f"{_fmt(base.get('over_triage_rate'))}.",
        f"- Decisions changed by the rules: {_fmt(final.get('changed_by_rules_rate'))}.",
        "- Rules fired (share of test calls): " + (", ".join(
            f"`{rule}` {rate:.1%}" for rule, rate in facts.overrides.items()) or "none"),
    ]
    if facts.gate:
        lines.append(f"- Promotion gate: {facts.gate}")
    if facts.cross_style:
        lines += ["", "## Cross-style generalisation",
                  "Trained on the other narrative styles, tested on the one named "
                  "(final decision):", "",
                  "| held-out style | macro-F1 | under-triage | trained on | tested on |",
                  "|---|---|---|---|---|"]
        for style, figures in facts.cross_style.items():
            lines.append(f"| {style} | {_fmt(figures.get('macro_f1'))} "
                         f"| {_fmt(figures.get('under_triage_rate'))} "
                         f"| {_rows(figures.get('train_rows'))} "
                         f"| {_rows(figures.get('test_rows'))} |")
    lines += [
        "",
        "## Known limits",
        "- Trained and tested on the data named above; if it is synthetic, the figures say "
        "how well the model learns the generator, not how it will do on real calls.",
        "- A linear text model: it reads words and short phrases, not long-range meaning; "
        "unusual phrasing, other languages and heavy misspelling lower its accuracy.",
        "- Labels are the responder that fitted the call in hindsight; where history "
        "carries biased dispatch decisions, the model can learn them.",
        "- The gate compares against the current champion on this run's test split; the "
        "champion may have seen some of those calls in its own training.",
        "- `district` is never a feature, but words in narratives can stand in for place "
        "or group; audit reports should check outcomes per district.",
    ]
    if facts.params:
        lines += ["", "## Parameters", *(f"- `{key}`: {value}"
                                         for key, value in sorted(facts.params.items()))]
    return "\n".join(lines) + "\n"


def _rows(value: float | None) -> str:
    return "n/a" if value is None else f"{int(value):,} calls"
