"""Validated loading of call-record files (CSV or Parquet), with nothing dropped silently.

Every row goes through the same pydantic `CallRecord` the API uses. A row that fails is
kept, with a `reject_reason` naming the column and what is wrong, and the caller writes
the rejects next to its output. A file that cannot be used at all (missing, not UTF-8,
not a table, empty, missing a required column, an unknown `q_` column) raises
`DataFileError` with a one-line message instead.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from data.errors import DataFileError
from data.schema import RESPONDERS, CallRecord
from data.table import (
    ID_COLUMN,
    LABEL_COLUMN,
    Q_COLUMNS,
    RECORD_COLUMNS,
    REJECT_REASON_COLUMN,
    REQUIRED_COLUMNS,
    SOURCE_ROW_COLUMN,
    record_to_row,
    row_to_record_fields,
)

SUPPORTED_SUFFIXES = (".csv", ".parquet", ".pq")


@dataclass
class LoadResult:
    """Valid rows (normalised, file layout) and rejected rows (as read, with a reason)."""

    path: Path
    frame: pd.DataFrame
    rejects: pd.DataFrame
    extra_columns: list[str] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.frame) + len(self.rejects)

    def summary(self) -> str:
        """One line for the terminal: how many rows were read, kept and rejected."""
        text = f"{self.path}: {self.n_rows} rows read, {len(self.frame)} valid"
        if len(self.rejects):
            reasons = self.rejects[REJECT_REASON_COLUMN].str.split(":").str[0]
            top = ", ".join(f"{name} ({count})" for name, count in
                            reasons.value_counts().head(4).items())
            text += f", {len(self.rejects)} rejected (by column: {top})"
        return text


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a CSV or Parquet file as it is, every CSV cell as text; raise `DataFileError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DataFileError(
            f"{path}: unsupported file type {suffix or '(none)'!r}; use .csv or .parquet"
        )
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise DataFileError(f"{path}: the file is empty; it needs a header row and data rows")
    try:
        if suffix == ".csv":
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                on_bad_lines="error", engine="c",
            )
        else:
            frame = pd.read_parquet(path)
    except UnicodeDecodeError as error:
        raise DataFileError(
            f"{path}: not UTF-8 text (byte 0x{error.object[error.start]:02x} at offset "
            f"{error.start}); re-save the file as UTF-8"
        ) from None
    except pd.errors.EmptyDataError:
        raise DataFileError(f"{path}: the file has no header row") from None
    except (pd.errors.ParserError, csv.Error) as error:
        detail = str(error).strip().splitlines()[-1] if str(error).strip() else "unreadable"
        raise DataFileError(f"{path}: not a well-formed CSV file ({detail})") from None
    except Exception as error:  # pyarrow raises many types for a file that is not Parquet
        raise DataFileError(f"{path}: cannot be read as {suffix[1:]} ({error})") from None
    frame.columns = [str(column).strip() for column in frame.columns]
    if len(frame) == 0:
        raise DataFileError(f"{path}: the file has a header but no data rows")
    return frame


def check_columns(frame: pd.DataFrame, path: Path, *, require_label: bool) -> list[str]:
    """Refuse a frame without the required columns or with unknown `q_` columns.

    Returns the extra (non-contract) columns, which are carried along untouched.
    """
    required = [*REQUIRED_COLUMNS, *([LABEL_COLUMN] if require_label else [])]
    missing = [column for column in required if column not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns[:12]))
        raise DataFileError(
            f"{path}: missing required column {', '.join(repr(m) for m in missing)} "
            f"(found: {found})"
        )
    unknown_q = [c for c in frame.columns if c.startswith("q_") and c not in Q_COLUMNS]
    if unknown_q:
        raise DataFileError(
            f"{path}: unknown questionnaire column {', '.join(repr(c) for c in unknown_q)}; "
            f"known: {', '.join(Q_COLUMNS)}"
        )
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        raise DataFileError(f"{path}: column {duplicated[0]!r} appears more than once")
    known = {*RECORD_COLUMNS, LABEL_COLUMN}
    return [column for column in frame.columns if column not in known]


def validate_frame(
    frame: pd.DataFrame, path: Path | str = "<frame>", *, require_label: bool = False
) -> LoadResult:
    """Validate every row with `CallRecord`; split into normalised valid rows and rejects."""
    path = Path(path)
    extra = check_columns(frame, path, require_label=require_label)
    rows = frame.to_dict(orient="records")
    valid: list[dict[str, Any]] = []
    valid_index: list[int] = []
    reasons: dict[int, str] = {}
    first_seen: dict[str, int] = {}
    for position, row in enumerate(rows):
        reason = None
        try:
            record = CallRecord.model_validate(row_to_record_fields(row))
        except ValidationError as error:
            reason = _reason(error)
        else:
            label = row.get(LABEL_COLUMN) if require_label or LABEL_COLUMN in row else None
            label = label.strip().lower() if isinstance(label, str) else label
            if require_label and label not in RESPONDERS:
                reason = (f"{LABEL_COLUMN}: {label!r} is not one of "
                          f"{', '.join(RESPONDERS)}")
            elif record.call_id in first_seen:
                reason = (f"{ID_COLUMN}: duplicate of data row "
                          f"{first_seen[record.call_id] + 1}")
        if reason is not None:
            reasons[position] = reason
            continue
        first_seen[record.call_id] = position
        normalised = record_to_row(record)
        if LABEL_COLUMN in frame.columns:
            normalised[LABEL_COLUMN] = label
        for column in extra:
            normalised[column] = row[column]
        valid.append(normalised)
        valid_index.append(position)

    columns = [*RECORD_COLUMNS, *([LABEL_COLUMN] if LABEL_COLUMN in frame.columns else []),
               *extra]
    good = pd.DataFrame(valid, columns=columns)
    good["received_at"] = pd.to_datetime(good["received_at"], utc=True)
    good.insert(len(good.columns), SOURCE_ROW_COLUMN, [i + 1 for i in valid_index])

    bad_positions = sorted(reasons)
    rejects = frame.iloc[bad_positions].copy()
    rejects[SOURCE_ROW_COLUMN] = [i + 1 for i in bad_positions]
    rejects[REJECT_REASON_COLUMN] = [reasons[i] for i in bad_positions]
    return LoadResult(path=path, frame=good.reset_index(drop=True),
                      rejects=rejects.reset_index(drop=True), extra_columns=extra)


def load_calls(path: Path | str, *, require_label: bool = False) -> LoadResult:
    """Read and validate a call-record file (training files need `require_label`)."""
    path = Path(path)
    return validate_frame(read_table(path), path, require_label=require_label)


def rejects_path_for(output: Path | str) -> Path:
    """Where the rejects of a command writing `output` go: `<stem>.rejects.csv` beside it."""
    output = Path(output)
    return output.with_name(f"{output.stem}.rejects.csv")


def write_rejects(result: LoadResult, output: Path | str) -> Path | None:
    """Write rejected rows, with `reject_reason`, beside `output`; `None` if there are none."""
    if result.rejects.empty:
        return None
    target = rejects_path_for(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    result.rejects.to_csv(target, index=False)
    return target


def _reason(error: ValidationError) -> str:
    """`column: message` for each problem, in file-layout column names."""
    parts = []
    for problem in error.errors():
        location = [str(part) for part in problem["loc"]]
        if location and location[0] == "questionnaire" and len(location) > 1:
            column = f"q_{location[1]}"
        else:
            column = location[0] if location else "row"
        message = problem["msg"]
        if problem["type"] == "string_too_long":
            message = f"too long ({len(str(problem.get('input', '')))} characters); {message}"
        parts.append(f"{column}: {message}")
    return "; ".join(parts)
