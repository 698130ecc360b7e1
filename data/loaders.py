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
from data.parallel import map_frame
from data.schema import RESPONDERS, CallRecord
from data.table import (
    ID_COLUMN,
    LABEL_COLUMN,
    OPTIONAL_COLUMNS,
    Q_COLUMNS,
    RECORD_COLUMNS,
    REJECT_REASON_COLUMN,
    REQUIRED_COLUMNS,
    SOURCE_ROW_COLUMN,
    record_to_row,
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
    frame: pd.DataFrame, path: Path | str = "<frame>", *, require_label: bool = False,
    workers: int | None = 1,
) -> LoadResult:
    """Validate every row with `CallRecord`; split into normalised valid rows and rejects.

    Rows are built from column lists (not `DataFrame.to_dict`, which is several times
    slower on Arrow-backed text). `workers` processes validate chunks of a long frame
    (`data.parallel`); duplicates of an earlier valid `call_id` are found afterwards over
    the whole frame, so the result is the same for any number of workers.
    """
    path = Path(path)
    extra = check_columns(frame, path, require_label=require_label)
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.start != 0 \
            or frame.index.step != 1:
        frame = frame.reset_index(drop=True)
    parts = map_frame(_validate_chunk, (require_label, tuple(extra)), frame, workers)
    reasons: dict[int, str] = {}
    for _, chunk_reasons in parts:
        reasons.update(chunk_reasons)
    good = pd.concat([part for part, _ in parts], ignore_index=True) if len(parts) > 1 \
        else parts[0][0]
    duplicate = good[ID_COLUMN].duplicated(keep="first").to_numpy()
    if duplicate.any():
        first_row = good.groupby(ID_COLUMN, sort=False)[SOURCE_ROW_COLUMN].transform("first")
        for row, first in zip(good.loc[duplicate, SOURCE_ROW_COLUMN].tolist(),
                              first_row[duplicate].tolist(), strict=True):
            reasons[row - 1] = f"{ID_COLUMN}: duplicate of data row {first}"
        good = good.loc[~duplicate].reset_index(drop=True)
    good["received_at"] = pd.to_datetime(good["received_at"], utc=True)

    bad_positions = sorted(reasons)
    rejects = frame.iloc[bad_positions].copy()
    rejects[SOURCE_ROW_COLUMN] = [position + 1 for position in bad_positions]
    rejects[REJECT_REASON_COLUMN] = [reasons[position] for position in bad_positions]
    return LoadResult(path=path, frame=good, rejects=rejects.reset_index(drop=True),
                      extra_columns=extra)


def _validate_chunk(options: tuple[bool, tuple[str, ...]], frame: pd.DataFrame
                    ) -> tuple[pd.DataFrame, dict[int, str]]:
    """Valid rows of one chunk (with `SOURCE_ROW_COLUMN`) and reasons for the others,
    by position in the whole frame; duplicates are left to `validate_frame`."""
    require_label, extra = options
    offset = int(frame.index[0]) if len(frame) else 0
    has_label = LABEL_COLUMN in frame.columns
    fields = _record_fields(frame)
    labels = frame[LABEL_COLUMN].tolist() if has_label else None
    extra_values = {column: frame[column].tolist() for column in extra}
    valid_rows: list[dict[str, Any]] = []
    reasons: dict[int, str] = {}
    for local, record_fields in enumerate(fields):
        position = offset + local
        try:
            record = CallRecord.model_validate(record_fields)
        except ValidationError as error:
            reasons[position] = _reason(error)
            continue
        label = None
        if has_label:
            label = labels[local]  # type: ignore[index]
            label = label.strip().lower() if isinstance(label, str) else label
            if require_label and label not in RESPONDERS:
                reasons[position] = (f"{LABEL_COLUMN}: {label!r} is not one of "
                                     f"{', '.join(RESPONDERS)}")
                continue
        normalised = record_to_row(record)
        if has_label:
            normalised[LABEL_COLUMN] = label
        for column in extra:
            normalised[column] = extra_values[column][local]
        normalised[SOURCE_ROW_COLUMN] = position + 1
        valid_rows.append(normalised)
    out_columns = [*RECORD_COLUMNS, *([LABEL_COLUMN] if has_label else []), *extra,
                   SOURCE_ROW_COLUMN]
    return pd.DataFrame(valid_rows, columns=out_columns), reasons


def load_calls(path: Path | str, *, require_label: bool = False,
               workers: int | None = 1) -> LoadResult:
    """Read and validate a call-record file (training files need `require_label`)."""
    path = Path(path)
    return validate_frame(read_table(path), path, require_label=require_label,
                          workers=workers)


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


def _column_values(frame: pd.DataFrame, column: str, *, blank_is_missing: bool) -> list[Any]:
    """A column as Python values, missing cells (NaN, NaT, blank if asked) as `None`."""
    if column not in frame.columns:
        return [None] * len(frame)
    series = frame[column]
    missing = series.isna()
    if blank_is_missing and (series.dtype == object or pd.api.types.is_string_dtype(series)):
        missing |= series.astype("string").str.strip().eq("").fillna(False).astype(bool)
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(
            series):
        values = [value.to_pydatetime() if value is not pd.NaT else None
                  for value in series.tolist()]
    else:
        values = series.astype(object).tolist()
    return [None if gone else value for value, gone in zip(values, missing.tolist(),
                                                           strict=True)]


def _record_fields(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The `CallRecord` fields of every row, built column-wise (the per-row work is pydantic's).

    Equivalent to `data.table.row_to_record_fields` on each row, but vectorised.
    """
    call_ids = _column_values(frame, ID_COLUMN, blank_is_missing=False)
    narratives = _column_values(frame, "narrative", blank_is_missing=False)
    optional = {column: _column_values(frame, column, blank_is_missing=True)
                for column in OPTIONAL_COLUMNS}
    answers = {column[2:]: _column_values(frame, column, blank_is_missing=True)
               for column in Q_COLUMNS if column in frame.columns}
    keys = list(answers)
    rows = []
    for position, (call_id, narrative) in enumerate(zip(call_ids, narratives, strict=True)):
        questionnaire = {}
        for key in keys:
            value = answers[key][position]
            if value is not None:
                questionnaire[key] = value
        rows.append({
            ID_COLUMN: call_id,
            "narrative": narrative,
            "questionnaire": questionnaire,
            "call_type": optional["call_type"][position],
            "received_at": optional["received_at"][position],
            "district": optional["district"][position],
        })
    return rows


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
