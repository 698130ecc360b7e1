"""The call record of CONTRACT.md section 1: one pydantic model for files, HTTP and audit.

The same model validates a row of a historical file, the body of
`POST /v1/recommendations` and the inputs stored in the audit log, so a record that
is accepted in one place is accepted everywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Answer = Literal["yes", "no", "unknown"]
Responder = Literal["heart", "co_response", "police"]

#: Escalation order: a later responder brings more force.
RESPONDERS: tuple[str, ...] = ("heart", "co_response", "police")
RESPONDER_RANK: dict[str, int] = {name: rank for rank, name in enumerate(RESPONDERS)}
ANSWERS: tuple[str, ...] = ("yes", "no", "unknown")

#: The call-taker's questionnaire keys, in contract order (meanings in RESPONSE-POLICY.md).
QUESTION_KEYS: tuple[str, ...] = (
    "weapons",
    "threats",
    "violence",
    "self_harm",
    "injuries",
    "intoxication",
    "crime_in_progress",
)

NARRATIVE_MAX_CHARS = 10_000
CALL_ID_MAX_CHARS = 64


def _normalise_answer(value: Any) -> Any:
    """Accept `YES`, ` no ` and friends; a blank answer is `unknown` (never silently `no`)."""
    if value is None:
        return "unknown"
    if isinstance(value, str):
        cleaned = value.strip().lower()
        return cleaned or "unknown"
    return value


class Questionnaire(BaseModel):
    """The call-taker's protocol answers; a missing key means `unknown`.

    Unknown keys are refused (not dropped) so that a misspelt `weapon` never reads as
    "weapons unknown" without anyone noticing.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    weapons: Answer = "unknown"
    threats: Answer = "unknown"
    violence: Answer = "unknown"
    self_harm: Answer = "unknown"
    injuries: Answer = "unknown"
    intoxication: Answer = "unknown"
    crime_in_progress: Answer = "unknown"

    @model_validator(mode="before")
    @classmethod
    def _answers(cls, values: Any) -> Any:
        if isinstance(values, dict):
            return {key: _normalise_answer(value) for key, value in values.items()}
        return values

    def yes(self) -> list[str]:
        """The keys answered `yes`, in contract order."""
        return [key for key in QUESTION_KEYS if getattr(self, key) == "yes"]


class CallRecord(BaseModel):
    """One 911 call as the service sees it (CONTRACT.md section 1)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "call_id": "2026-004211",
                    "narrative": "RP STATES NEIGHBOR SLEEPING IN BUILDING VESTIBULE, "
                    "NO WEAPONS SEEN, NOT AGGRESSIVE",
                    "questionnaire": {"weapons": "no", "threats": "no", "violence": "no"},
                    "call_type": "TRESPASS",
                    "received_at": "2026-11-22T15:04:05Z",
                    "district": "D2",
                }
            ]
        },
    )

    call_id: str = Field(min_length=1, max_length=CALL_ID_MAX_CHARS,
                         description="the CAD incident number")
    narrative: str = Field(min_length=1, max_length=NARRATIVE_MAX_CHARS,
                           description="the call-taker's free-text narrative")
    questionnaire: Questionnaire = Field(default_factory=Questionnaire,
                                         description="protocol answers; missing means unknown")
    call_type: str | None = Field(default=None, max_length=200,
                                  description="the CAD nature code or text, e.g. WELFARE CHECK")
    received_at: datetime | None = Field(default=None,
                                         description="when the call came in (ISO 8601; "
                                         "a time without offset is read as UTC)")
    district: str | None = Field(default=None, max_length=64,
                                 description="police district or beat; audit reports only, "
                                 "never a model feature")

    @field_validator("call_id", "narrative")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("call_type", "district", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("received_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class LabelledCall(CallRecord):
    """A historical call with the responder that fits it (the training label)."""

    responder: Responder
