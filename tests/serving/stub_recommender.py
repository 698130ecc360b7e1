"""A small stand-in Recommender for the serving tests (same interface as model.Recommender).

The serving layer only relies on `decide(record, explain=True) -> Decision` and the
identity attributes; this stand-in keeps the API tests independent of training time.
The real rules-only Recommender is exercised where it matters (degraded start).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from data.schema import RESPONDER_RANK, RESPONDERS, CallRecord
from model.decision import Contribution, Decision, Override

FLOORS = {"weapons": ("weapon-present", "co_response"), "threats": ("threat", "co_response"),
          "violence": ("violence-now", "police"),
          "crime_in_progress": ("crime-in-progress", "police")}


class StubRecommender:
    """Keyword model ("gun" -> police, "yelling" -> co_response, else heart) + floors."""

    def __init__(self, version: str | None = "1", *, degraded_reason: str | None = None) -> None:
        self.model_name = None if degraded_reason else "stub-model"
        self.model_version = None if degraded_reason else version
        self.run_id = None if degraded_reason else f"run-{version}"
        self.degraded_reason = degraded_reason
        self.rules_version = "sha256:stub"

    def decide(self, record: CallRecord, *, explain: bool = True) -> Decision:
        text = record.narrative.lower()
        if self.degraded_reason:
            model, probabilities = None, {}
        else:
            model = "police" if "gun" in text else "co_response" if "yelling" in text else "heart"
            probabilities = {name: (0.8 if name == model else 0.1) for name in RESPONDERS}
        overrides = [Override(rule_id=rule, floor=floor, reason=f"questionnaire: {key} = yes")
                     for key, (rule, floor) in FLOORS.items()
                     if getattr(record.questionnaire, key) == "yes"]
        final = max([model or "heart", *(o.floor for o in overrides)],
                    key=RESPONDER_RANK.__getitem__)
        explanation = ([Contribution(feature='narrative: "gun"', contribution=1.5,
                                     class_="police")] if explain and model else [])
        return Decision(
            decision_id=str(uuid.uuid4()), call_id=record.call_id, recommendation=final,
            model_recommendation=model, probabilities=probabilities, overrides=overrides,
            explanation=explanation, medical_advised=record.questionnaire.injuries == "yes",
            model_name=self.model_name, model_version=self.model_version,
            rules_version=self.rules_version, degraded=self.degraded_reason is not None,
            degraded_reason=self.degraded_reason, created_at=datetime.now(UTC))
