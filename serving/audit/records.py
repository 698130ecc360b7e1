"""What the audit store hands back: plain, frozen rows with typed views of their JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from data.schema import CallRecord
from model.decision import Decision


@dataclass(frozen=True)
class StoredDecision:
    """One row of `decisions`: the call as received and the decision exactly as returned."""

    seq: int
    decision_id: str
    call_id: str
    created_at: datetime
    recommendation: str
    model_recommendation: str | None
    overridden: bool
    rule_ids: str
    district: str | None
    model_name: str | None
    model_version: str | None
    run_id: str | None
    rules_version: str
    degraded: bool
    client_role: str
    latency_ms: float
    idempotency_key: str | None
    request_json: str
    response_json: str
    prev_hash: str
    row_hash: str

    @property
    def rules_fired(self) -> list[str]:
        """The ids of every rule that fired, in the decision's order."""
        return [rule for rule in self.rule_ids.split(";") if rule]

    @property
    def request(self) -> dict[str, Any]:
        """The call record as a dict (as validated and normalised on arrival)."""
        return orjson.loads(self.request_json)

    @property
    def response(self) -> dict[str, Any]:
        """The decision body exactly as it was sent to the client."""
        return orjson.loads(self.response_json)

    @property
    def record(self) -> CallRecord:
        return CallRecord.model_validate_json(self.request_json)

    @property
    def decision(self) -> Decision:
        return Decision.model_validate_json(self.response_json)


@dataclass(frozen=True)
class StoredOutcome:
    """One row of `outcomes`: what was actually sent and how it went (append-only)."""

    seq: int
    outcome_id: str
    decision_id: str
    created_at: datetime
    client_role: str
    responder_sent: str | None
    body_json: str
    prev_hash: str
    row_hash: str

    @property
    def body(self) -> dict[str, Any]:
        return orjson.loads(self.body_json)


class BrokenRow(NamedTuple):
    """Where the chain first breaks: table, sequence number, decision id and why."""

    table: str
    seq: int
    decision_id: str | None
    why: str


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of checking every chained row; `first_broken` is None when `ok`."""

    ok: bool
    checked: int
    first_broken: BrokenRow | None = None
