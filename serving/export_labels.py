"""Reported outcomes as training rows: real calls, labelled by what the call turned out to need.

`fifthbranch audit export-labels` writes every decision that has an outcome as one row
of the file layout (`data.table`) plus the label `responder`, so data scientists can
retrain on real outcomes with `fifthbranch train --data`.

The label follows RESPONSE-POLICY.md and the evidence of the latest outcome (a later
outcome is a correction of an earlier one):

- responder sent `none` (cancelled, gone on arrival): no row, nothing was learnt;
- `disposition: arrest`: `police`, arrest powers were needed (basis `arrest`);
- `backup_requested: true` or `felt_safe: false`: one step above the team sent
  (HEART -> co_response, co_response -> police), an under-triage (`under_triage`);
- HEART sent and nothing went wrong: `heart`, shown to be enough (`confirmed`);
- co_response or police sent and nothing went wrong: the team sent, shown to be
  enough while a lower one stays untested (`upper_bound`).

The label is never below the floor of a rule that fired on the call (the policy wins
over the data), and `label_basis` lets a data scientist drop `upper_bound` rows, which
carry the dispatcher's caution rather than evidence. An unanswered `felt_safe` or
`backup_requested` counts as "no problem reported".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from data.errors import FifthBranchError
from data.schema import RESPONDER_RANK, RESPONDERS, CallRecord
from data.table import LABEL_COLUMN, RECORD_COLUMNS, record_to_row

EXTRA_COLUMNS: tuple[str, ...] = (
    "decision_id", "label_basis", "recommendation", "model_recommendation", "model_version",
    "responder_sent", "felt_safe", "backup_requested", "time_on_scene_minutes", "disposition",
)
EXPORT_COLUMNS: tuple[str, ...] = (*RECORD_COLUMNS, LABEL_COLUMN, *EXTRA_COLUMNS)


@dataclass(frozen=True)
class Label:
    responder: str
    basis: str


def _step_up(responder: str) -> str:
    return RESPONDERS[min(RESPONDER_RANK[responder] + 1, len(RESPONDERS) - 1)]


def label_for(outcome: Mapping[str, Any], rule_floors: Iterable[str] = ()) -> Label | None:
    """The training label an outcome supports (table in the module docstring), or None."""
    sent = outcome.get("responder_sent")
    if sent not in RESPONDER_RANK:
        return None
    if outcome.get("disposition") == "arrest":
        label = Label("police", "arrest")
    elif outcome.get("backup_requested") is True or outcome.get("felt_safe") is False:
        label = Label(_step_up(sent), "under_triage")
    elif sent == "heart":
        label = Label("heart", "confirmed")
    else:
        label = Label(sent, "upper_bound")
    floor = max(rule_floors, key=RESPONDER_RANK.__getitem__, default="heart")
    if RESPONDER_RANK[floor] > RESPONDER_RANK[label.responder]:
        return Label(floor, f"{label.basis}+rule_floor")
    return label


def training_row(request: Mapping[str, Any], response: Mapping[str, Any],
                 outcome: Mapping[str, Any]) -> dict[str, Any] | None:
    """One row of the export for a decision and its latest outcome, or None if no label."""
    floors = [override["floor"] for override in response.get("overrides") or []]
    label = label_for(outcome, floors)
    if label is None:
        return None
    row = record_to_row(CallRecord.model_validate(request))
    row[LABEL_COLUMN] = label.responder
    row.update(
        decision_id=response["decision_id"], label_basis=label.basis,
        recommendation=response.get("recommendation"),
        model_recommendation=response.get("model_recommendation"),
        model_version=response.get("model_version"),
    )
    for key in ("responder_sent", "felt_safe", "backup_requested", "time_on_scene_minutes",
                "disposition"):
        row[key] = outcome.get(key)
    return row


def rows_to_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(EXPORT_COLUMNS))
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True)
    return frame


@dataclass(frozen=True)
class Export:
    """The rows to write and how many decisions with an outcome gave none."""

    rows: list[dict[str, Any]]
    with_outcome: int

    @property
    def unlabelled(self) -> int:
        return self.with_outcome - len(self.rows)


def collect(store: Any) -> Export:
    """Every decision with an outcome, in chain order, labelled by its latest outcome."""
    outcomes = store.outcomes_by_decision()
    rows: list[dict[str, Any]] = []
    for stored in store.iter_decisions():
        found = outcomes.get(stored.decision_id)
        if not found:
            continue
        row = training_row(stored.request, stored.response, found[-1].body)
        if row is not None:
            rows.append(row)
    return Export(rows, len(outcomes))


def check_format(out: Path) -> str:
    """The file's suffix if the export can write it (checked before any work is done)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise FifthBranchError(f"{out}: unsupported file type {suffix or '(none)'!r}; "
                               "use .csv or .parquet")
    return suffix


def write_export(frame: pd.DataFrame, out: Path) -> None:
    """Write CSV or Parquet by extension, like every other data file of the project."""
    suffix = check_format(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(out, index=False)
    else:
        frame.to_parquet(out, index=False)
