"""Replay: re-decide a stored call and say whether the same decision comes out.

The stored inputs go through the model version recorded with the decision (loaded from
the registry) and that version's rules; the result is compared field by field with what
was returned at the time. `with_champion=True` uses today's `champion` instead: a
what-if for "would we still send the same team?".

Compared: every field of the decision except its identity and time (`decision_id`,
`created_at`, `call_id`). Floats (probabilities, contributions) are equal within
`TOLERANCE`, because a stored JSON number and a recomputed double may differ in the
last bit on another CPU; anything larger is a real difference. A decision recorded
without a model (degraded) is replayed rules-only.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from data.errors import FifthBranchError
from data.schema import CallRecord

TOLERANCE = 1e-9
COMPARED_FIELDS: tuple[str, ...] = (
    "recommendation", "model_recommendation", "probabilities", "overrides", "explanation",
    "medical_advised", "model_name", "model_version", "rules_version", "degraded",
)

#: `(settings, ref) -> Recommender`; ref is a version number (as text) or an alias.
ModelLoader = Callable[[Any, str], Any]


class UnknownDecisionError(FifthBranchError):
    """Replay was asked for a decision the audit log does not hold."""


@dataclass(frozen=True)
class Difference:
    field: str
    recorded: Any
    replayed: Any


@dataclass(frozen=True)
class ReplayResult:
    decision_id: str
    model_label: str
    differences: list[Difference] = field(default_factory=list)
    replayed: dict[str, Any] = field(default_factory=dict)

    @property
    def identical(self) -> bool:
        return not self.differences

    def summary(self) -> str:
        """Plain text for the terminal: one line, then one line per difference."""
        if self.identical:
            return f"{self.decision_id}: identical decision with {self.model_label}"
        lines = [f"{self.decision_id}: {len(self.differences)} difference(s) with "
                 f"{self.model_label}"]
        lines += [f"  {d.field}: recorded {d.recorded!r}, replayed {d.replayed!r}"
                  for d in self.differences]
        return "\n".join(lines)


def _same(recorded: Any, replayed: Any) -> bool:
    if isinstance(recorded, bool) or isinstance(replayed, bool):
        return recorded == replayed
    if isinstance(recorded, int | float) and isinstance(replayed, int | float):
        return math.isclose(recorded, replayed, rel_tol=0.0, abs_tol=TOLERANCE)
    if isinstance(recorded, dict) and isinstance(replayed, dict):
        return recorded.keys() == replayed.keys() and all(
            _same(recorded[key], replayed[key]) for key in recorded)
    if isinstance(recorded, list) and isinstance(replayed, list):
        return len(recorded) == len(replayed) and all(
            _same(a, b) for a, b in zip(recorded, replayed, strict=True))
    return recorded == replayed


def compare(recorded: dict[str, Any], replayed: dict[str, Any]) -> list[Difference]:
    """The fields of `COMPARED_FIELDS` that differ (missing counts as None)."""
    return [Difference(name, recorded.get(name), replayed.get(name))
            for name in COMPARED_FIELDS
            if not _same(recorded.get(name), replayed.get(name))]


_cache: dict[tuple[str, str, str], Any] = {}
_cache_lock = threading.Lock()
_CACHE_SIZE = 4


def _registry_loader(settings: Any, ref: str) -> Any:
    from model.registry import load_registered

    return load_registered(settings, ref)


def load_model(settings: Any, ref: str, loader: ModelLoader | None = None) -> Any:
    """A registered model; numbered versions are cached (they never change), aliases not."""
    load = loader or _registry_loader
    if not ref.isdigit():
        return load(settings, ref)
    key = (settings.mlflow_tracking_uri, settings.model_name, ref)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    model = load(settings, ref)
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = model
    return model


def _rules_only(reason: str) -> Any:
    from model.recommender import Recommender

    return Recommender.rules_only(reason)


def replay(store: Any, settings: Any, decision_id: str, *, with_champion: bool = False,
           loader: ModelLoader | None = None) -> ReplayResult:
    """Re-decide a stored call; raise `UnknownDecisionError` if there is no such decision."""
    stored = store.get_decision(decision_id)
    if stored is None:
        raise UnknownDecisionError(f"no decision {decision_id!r} in the audit log")
    recorded = stored.response
    record = CallRecord.model_validate(stored.request)
    if with_champion:
        recommender = load_model(settings, "champion", loader)
        label = f"today's champion (version {getattr(recommender, 'model_version', '?')})"
    elif stored.model_version is None:
        recommender = _rules_only(recorded.get("degraded_reason") or "recorded without a model")
        label = "rules only (the decision was recorded without a model)"
    else:
        recommender = load_model(settings, stored.model_version, loader)
        label = f"recorded model version {stored.model_version}"
    replayed = recommender.decide(record).model_dump(mode="json", by_alias=True)
    return ReplayResult(decision_id=decision_id, model_label=label,
                        differences=compare(recorded, replayed), replayed=replayed)
