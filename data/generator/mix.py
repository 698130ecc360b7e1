"""Label shares of a generated history and the `--mix` option that changes them.

The default describes calls that reach this decision point, not all 911 calls. Durham
counted about 14.5% of police calls in HEART's call types and about 14% eligible for
co-response; most of the remaining police workload (traffic, alarms, reports) never
reaches a HEART-or-police question. Of the calls that do, we take heart 0.45,
co_response 0.20 and police 0.35: HEART-type calls dominate, co-response is the
smallest and hardest class, and police stays large enough that violence, firearms and
crimes in progress are learnt well.
"""

from __future__ import annotations

from data.errors import FifthBranchError
from data.schema import RESPONDERS

DEFAULT_MIX: dict[str, float] = {"heart": 0.45, "co_response": 0.20, "police": 0.35}
#: Share of rows whose label is moved one step (never below a questionnaire floor).
DEFAULT_LABEL_NOISE = 0.02
MIX_TOLERANCE = 1e-3


class MixError(FifthBranchError):
    """A `--mix` or `--label-noise` value that cannot be used."""


def validate_mix(mix: dict[str, float] | None) -> dict[str, float]:
    """A complete mix over the three responders summing to 1; raise `MixError` otherwise."""
    if mix is None:
        return dict(DEFAULT_MIX)
    unknown = sorted(set(mix) - set(RESPONDERS))
    if unknown:
        raise MixError(f"--mix: unknown responder {', '.join(map(repr, unknown))}; "
                       f"use {', '.join(RESPONDERS)}")
    missing = [name for name in RESPONDERS if name not in mix]
    if missing:
        raise MixError(f"--mix: missing share for {', '.join(missing)} "
                       "(give all three, e.g. heart=0.45,co_response=0.2,police=0.35)")
    for name, share in mix.items():
        if not 0.0 <= share <= 1.0:
            raise MixError(f"--mix: share of {name} must be between 0 and 1, got {share}")
    total = sum(mix.values())
    if abs(total - 1.0) > MIX_TOLERANCE:
        raise MixError(f"--mix: shares must sum to 1, got {total:g}")
    return {name: mix[name] / total for name in RESPONDERS}


def parse_mix(text: str) -> dict[str, float]:
    """Parse `heart=0.5,co_response=0.2,police=0.3`; raise `MixError` naming the bad part."""
    mix: dict[str, float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if not sep:
            raise MixError(f"--mix: {part.strip()!r} is not NAME=SHARE")
        try:
            mix[name] = float(value)
        except ValueError:
            raise MixError(f"--mix: share of {name} is not a number: {value.strip()!r}") \
                from None
    return validate_mix(mix)


def validate_label_noise(value: float) -> float:
    """Label noise is a share between 0 and 0.5."""
    if not 0.0 <= value <= 0.5:
        raise MixError(f"--label-noise must be between 0 and 0.5, got {value}")
    return float(value)
