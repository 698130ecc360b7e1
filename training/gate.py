"""The promotion gate: a champion never gets less safe by accident.

The challenger and the current champion are scored on the same test calls in the same
run, by their final decisions (after rules), because that is what dispatch receives.
The challenger passes when its unsafe under-triage rate is no higher and its macro-F1 is
at most `MAX_MACRO_F1_DROP` lower. Both rates share one denominator (the same test rows),
so "no higher" is compared exactly, without a tolerance that could let one more unsafe
call through. A champion that cannot be loaded or scored blocks automatic promotion: a
person decides with `fifthbranch promote` instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from training.evaluate import Evaluation

MAX_MACRO_F1_DROP = 0.01
GATED_FIGURES: tuple[str, ...] = ("under_triage_rate", "macro_f1", "accuracy",
                                  "over_triage_rate")


@dataclass(frozen=True)
class GateVerdict:
    """Whether the challenger becomes champion, why, and the figures compared."""

    promote: bool
    outcome: str  # "first-champion", "passed", "refused", "champion-unavailable"
    reason: str
    challenger: dict[str, float]
    champion: dict[str, float] | None = None
    champion_version: str | None = None

    def metrics(self) -> dict[str, float]:
        """`gate_challenger_*`, `gate_champion_*` and `gate_passed` for MLflow."""
        out = {f"gate_challenger_{key}": value for key, value in self.challenger.items()}
        for key, value in (self.champion or {}).items():
            out[f"gate_champion_{key}"] = value
        out["gate_passed"] = 1.0 if self.promote else 0.0
        return out

    def tags(self) -> dict[str, str]:
        tags = {"gate_verdict": self.outcome, "gate_reason": self.reason}
        if self.champion_version is not None:
            tags["gate_champion_version"] = self.champion_version
        return tags


def gated_figures(evaluation: Evaluation) -> dict[str, float]:
    return {key: evaluation.final[key] for key in GATED_FIGURES}


def first_champion(challenger: Evaluation) -> GateVerdict:
    return GateVerdict(promote=True, outcome="first-champion",
                       reason="no champion yet: the first version becomes champion",
                       challenger=gated_figures(challenger))


def champion_unavailable(challenger: Evaluation, version: str, problem: str) -> GateVerdict:
    return GateVerdict(
        promote=False, outcome="champion-unavailable",
        reason=f"champion version {version} could not be scored ({problem}); not promoted "
               "automatically, use `fifthbranch promote` to decide",
        challenger=gated_figures(challenger), champion_version=version)


def judge(challenger: Evaluation, champion: Evaluation, champion_version: str) -> GateVerdict:
    """Compare challenger and champion scored on the same test calls."""
    new, old = gated_figures(challenger), gated_figures(champion)
    problems = []
    if new["under_triage_rate"] > old["under_triage_rate"]:
        problems.append(
            f"under-triage rate {new['under_triage_rate']:.4f} is higher than the "
            f"champion's {old['under_triage_rate']:.4f}")
    if new["macro_f1"] < old["macro_f1"] - MAX_MACRO_F1_DROP:
        problems.append(
            f"macro-F1 {new['macro_f1']:.4f} is more than {MAX_MACRO_F1_DROP} below the "
            f"champion's {old['macro_f1']:.4f}")
    if problems:
        return GateVerdict(promote=False, outcome="refused",
                           reason=f"refused against champion v{champion_version}: "
                                  + "; ".join(problems),
                           challenger=new, champion=old, champion_version=champion_version)
    return GateVerdict(
        promote=True, outcome="passed",
        reason=(f"passed against champion v{champion_version}: under-triage "
                f"{new['under_triage_rate']:.4f} <= {old['under_triage_rate']:.4f}, macro-F1 "
                f"{new['macro_f1']:.4f} >= {old['macro_f1']:.4f} - {MAX_MACRO_F1_DROP}"),
        challenger=new, champion=old, champion_version=champion_version)
