"""The decision of CONTRACT.md section 3: what the Recommender returns and the audit log keeps."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from data.schema import Responder


class Override(BaseModel):
    """A rule that fired: the minimum responder it sets and why, in plain words."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    floor: Responder
    reason: str


class Contribution(BaseModel):
    """One feature's signed contribution to the score of the class named."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    feature: str = Field(description='readable name, e.g. narrative: "knife"')
    contribution: float
    class_: Responder = Field(alias="class", serialization_alias="class")


class Decision(BaseModel):
    """One recommendation with everything an auditor needs to see why."""

    model_config = ConfigDict(
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "decision_id": "3b0c6f0e-6a49-4ac2-9a52-d0f1f3b0c6f0",
                    "call_id": "2026-004211",
                    "recommendation": "heart",
                    "model_recommendation": "heart",
                    "probabilities": {"heart": 0.91, "co_response": 0.07, "police": 0.02},
                    "overrides": [],
                    "explanation": [
                        {"feature": 'narrative: "sleeping"', "contribution": 1.42,
                         "class": "heart"}
                    ],
                    "medical_advised": False,
                    "model_name": "fifthbranch-responder",
                    "model_version": "3",
                    "rules_version": "sha256:9f2c",
                    "degraded": False,
                    "degraded_reason": None,
                    "created_at": "2026-11-22T15:04:05Z",
                }
            ]
        },
    )

    decision_id: str
    call_id: str
    recommendation: Responder = Field(description="the final answer, after rules")
    model_recommendation: Responder | None = Field(
        description="the model's own pick; null when degraded (no model)")
    probabilities: dict[str, float] = Field(
        description="the model's class probabilities; empty when degraded")
    overrides: list[Override] = Field(
        description="every rule that fired, whether or not it changed the answer")
    explanation: list[Contribution] = Field(
        description="features that moved the model most, with signed contributions")
    medical_advised: bool
    model_name: str | None = None
    model_version: str | None = None
    rules_version: str
    degraded: bool = False
    degraded_reason: str | None = None
    created_at: datetime
