"""The file layout of call records: one column per field, `q_<key>` per answer.

Historical files, batch input and exported labels all use this layout. It is the
DataFrame the model's batch path and the MLflow pyfunc take as input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from data.schema import QUESTION_KEYS, CallRecord

ID_COLUMN = "call_id"
TEXT_COLUMN = "narrative"
LABEL_COLUMN = "responder"
REQUIRED_COLUMNS: tuple[str, ...] = (ID_COLUMN, TEXT_COLUMN)
Q_COLUMNS: tuple[str, ...] = tuple(f"q_{key}" for key in QUESTION_KEYS)
OPTIONAL_COLUMNS: tuple[str, ...] = ("call_type", "received_at", "district")
#: The columns of a call record in a file, in order (the label is not one of them).
RECORD_COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, *Q_COLUMNS, *OPTIONAL_COLUMNS)
#: Where a loader says which data row (1-based, header not counted) a record came from.
SOURCE_ROW_COLUMN = "source_row"
REJECT_REASON_COLUMN = "reject_reason"


def record_to_row(record: CallRecord) -> dict[str, Any]:
    """Flatten a record into the file layout (answers as `q_<key>` columns)."""
    row: dict[str, Any] = {ID_COLUMN: record.call_id, TEXT_COLUMN: record.narrative}
    answers = record.questionnaire
    for key, column in zip(QUESTION_KEYS, Q_COLUMNS, strict=True):
        row[column] = getattr(answers, key)
    row["call_type"] = record.call_type
    row["received_at"] = record.received_at
    row["district"] = record.district
    return row


def records_to_frame(records: Iterable[CallRecord]) -> pd.DataFrame:
    """Records as a DataFrame in the file layout, columns in contract order."""
    rows = [record_to_row(record) for record in records]
    frame = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True)
    return frame


def row_to_record_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a `CallRecord` from one file row; missing cells become `None`.

    Columns `q_<key>` are gathered into the questionnaire; other columns are ignored
    (the loader has already refused unknown `q_` columns).
    """
    fields: dict[str, Any] = {}
    for column in REQUIRED_COLUMNS:
        if column in row:
            fields[column] = _cell(row[column])
    for column in OPTIONAL_COLUMNS:
        if column in row:
            fields[column] = _blank_is_none(_cell(row[column]))
    answers: dict[str, Any] = {}
    for key, column in zip(QUESTION_KEYS, Q_COLUMNS, strict=True):
        if column in row:
            value = _blank_is_none(_cell(row[column]))
            if value is not None:
                answers[key] = value
    fields["questionnaire"] = answers
    return fields


def frame_to_records(frame: pd.DataFrame) -> list[CallRecord]:
    """Validated records from a frame in the file layout (raises on a bad row)."""
    return [
        CallRecord.model_validate(row_to_record_fields(row))
        for row in frame.to_dict(orient="records")
    ]


def _blank_is_none(value: Any) -> Any:
    """An empty optional cell means missing (CSV cannot tell the two apart)."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _cell(value: Any) -> Any:
    """A cell as a Python value: NaN, NaT and `None` all mean missing."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value
