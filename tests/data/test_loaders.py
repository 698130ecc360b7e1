"""Loading call-record files: every row validated, bad rows kept with a reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data.errors import DataFileError
from data.loaders import load_calls, rejects_path_for, write_rejects
from data.schema import NARRATIVE_MAX_CHARS
from data.table import Q_COLUMNS, RECORD_COLUMNS, frame_to_records, records_to_frame

GOOD_ROWS = [
    {"call_id": "A1", "narrative": "RP says man sleeping in vestibule, no weapons seen",
     "q_weapons": "no", "q_threats": "no", "call_type": "TRESPASS",
     "received_at": "2026-03-01T08:00:00Z", "district": "D1", "responder": "heart"},
    {"call_id": "A2", "narrative": "subj waving a gun at neighbors", "q_weapons": "yes",
     "q_violence": "unknown", "call_type": "WEAPON", "received_at": "2026-03-01T09:30:00Z",
     "district": "D3", "responder": "police"},
    {"call_id": "A3", "narrative": "mother says son threatening to hurt his brother",
     "q_threats": "YES", "responder": "co_response"},
]


def _write_csv(path: Path, rows: list[dict]) -> Path:
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_valid_rows_load_normalised(tmp_path: Path) -> None:
    result = load_calls(_write_csv(tmp_path / "calls.csv", GOOD_ROWS), require_label=True)
    assert result.rejects.empty
    assert len(result.frame) == 3
    frame = result.frame.set_index("call_id")
    assert frame.loc["A3", "q_threats"] == "yes"  # upper case normalised
    assert frame.loc["A3", "q_weapons"] == "unknown"  # missing column cell means unknown
    assert frame.loc["A2", "received_at"] == pd.Timestamp("2026-03-01T09:30:00Z")
    assert pd.isna(frame.loc["A3", "call_type"])
    assert list(result.frame["source_row"]) == [1, 2, 3]
    assert set(RECORD_COLUMNS) <= set(result.frame.columns)


def test_one_bad_row_is_reported_and_kept_with_its_reason(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, {"call_id": "B1", "narrative": "caller unsure", "q_weapons": "maybe",
                         "responder": "heart"}]
    data = _write_csv(tmp_path / "calls.csv", rows)
    result = load_calls(data, require_label=True)
    assert len(result.frame) == 3
    assert len(result.rejects) == 1
    reject = result.rejects.iloc[0]
    assert reject["call_id"] == "B1" and reject["source_row"] == 4
    assert reject["reject_reason"].startswith("q_weapons:")
    assert "1 rejected" in result.summary() and "q_weapons" in result.summary()

    written = write_rejects(result, tmp_path / "out" / "scores.csv")
    assert written == rejects_path_for(tmp_path / "out" / "scores.csv")
    assert written.name == "scores.rejects.csv"
    back = pd.read_csv(written, dtype=str, keep_default_na=False)
    assert back.loc[0, "q_weapons"] == "maybe"  # kept as read
    assert back.loc[0, "reject_reason"] == reject["reject_reason"]


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"call_id": ""}, "call_id"),
        ({"narrative": "   "}, "narrative"),
        ({"narrative": "x" * (NARRATIVE_MAX_CHARS + 1)}, "narrative"),
        ({"q_threats": "y"}, "q_threats"),
        ({"received_at": "not a date"}, "received_at"),
        ({"responder": "fire"}, "responder"),
        ({"responder": ""}, "responder"),
    ],
)
def test_each_kind_of_bad_value_names_its_column(tmp_path: Path, change: dict,
                                                 column: str) -> None:
    bad = {**GOOD_ROWS[0], "call_id": "BAD", **change}
    result = load_calls(_write_csv(tmp_path / "c.csv", [GOOD_ROWS[1], bad]),
                        require_label=True)
    assert len(result.frame) == 1
    assert result.rejects["reject_reason"].iloc[0].startswith(f"{column}:")


def test_huge_narrative_reject_says_how_long(tmp_path: Path) -> None:
    bad = {**GOOD_ROWS[0], "narrative": "y" * 20_000}
    result = load_calls(_write_csv(tmp_path / "c.csv", [bad]))
    assert "20000 characters" in result.rejects["reject_reason"].iloc[0]


def test_duplicate_call_id_is_rejected_not_merged(tmp_path: Path) -> None:
    rows = [GOOD_ROWS[0], {**GOOD_ROWS[1], "call_id": "A1"}]
    result = load_calls(_write_csv(tmp_path / "c.csv", rows), require_label=True)
    assert list(result.frame["call_id"]) == ["A1"]
    assert result.rejects["reject_reason"].iloc[0] == "call_id: duplicate of data row 1"


def test_label_is_optional_for_scoring_but_required_for_training(tmp_path: Path) -> None:
    rows = [{key: value for key, value in row.items() if key != "responder"}
            for row in GOOD_ROWS]
    data = _write_csv(tmp_path / "c.csv", rows)
    assert len(load_calls(data).frame) == 3
    with pytest.raises(DataFileError, match="missing required column 'responder'"):
        load_calls(data, require_label=True)


def test_missing_narrative_fails_with_one_line_naming_it(tmp_path: Path) -> None:
    rows = [{key: value for key, value in row.items() if key != "narrative"}
            for row in GOOD_ROWS]
    with pytest.raises(DataFileError) as caught:
        load_calls(_write_csv(tmp_path / "c.csv", rows))
    message = str(caught.value)
    assert "'narrative'" in message and "\n" not in message


def test_unknown_questionnaire_column_fails_the_file(tmp_path: Path) -> None:
    rows = [{**GOOD_ROWS[0], "q_weapon": "yes"}]
    with pytest.raises(DataFileError, match="unknown questionnaire column 'q_weapon'"):
        load_calls(_write_csv(tmp_path / "c.csv", rows))


def test_extra_columns_are_carried_along(tmp_path: Path) -> None:
    rows = [{**row, "style": "cad"} for row in GOOD_ROWS]
    result = load_calls(_write_csv(tmp_path / "c.csv", rows), require_label=True)
    assert result.extra_columns == ["style"]
    assert list(result.frame["style"]) == ["cad"] * 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"call_id,narrative\n", "no data rows"),
        (b"\n\n", "no header"),
        (b"call_id,narrative\r\n1,caf\xe9 owner says man won't leave\r\n", "not UTF-8"),
        (b'call_id,narrative\n1,"unterminated\n2,x,y,z\n', "not a well-formed CSV"),
    ],
)
def test_unusable_csv_files_fail_with_a_clear_message(tmp_path: Path, content: bytes,
                                                      expected: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=expected) as caught:
        load_calls(path)
    assert str(path) in str(caught.value)


def test_missing_file_and_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        load_calls(tmp_path / "nope.csv")
    (tmp_path / "calls.xlsx").write_bytes(b"PK")
    with pytest.raises(DataFileError, match=r"use \.csv or \.parquet"):
        load_calls(tmp_path / "calls.xlsx")


def test_parquet_that_is_not_parquet_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "calls.parquet"
    path.write_text("call_id,narrative\n1,x\n")
    with pytest.raises(DataFileError, match="cannot be read as parquet"):
        load_calls(path)


def test_utf8_with_bom_and_non_ascii_text_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("call_id,narrative\n1,señora dice que su hijo está gritando\n"
                     .encode("utf-8-sig"))
    result = load_calls(path)
    assert result.frame["narrative"].iloc[0].startswith("señora")


def test_csv_and_parquet_give_the_same_records(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, {"call_id": "Z9", "narrative": "NA", "responder": "heart"}]
    frame = pd.DataFrame(rows)
    frame.to_csv(tmp_path / "c.csv", index=False)
    typed = frame.copy()
    typed["received_at"] = pd.to_datetime(typed["received_at"], utc=True)
    typed.to_parquet(tmp_path / "c.parquet", index=False)
    from_csv = frame_to_records(load_calls(tmp_path / "c.csv", require_label=True).frame)
    from_parquet = frame_to_records(
        load_calls(tmp_path / "c.parquet", require_label=True).frame)
    assert from_csv == from_parquet
    assert from_csv[-1].narrative == "NA"  # never read as a missing value


def test_records_to_frame_and_back(tmp_path: Path) -> None:
    records = frame_to_records(load_calls(_write_csv(tmp_path / "c.csv", GOOD_ROWS)).frame)
    frame = records_to_frame(records)
    assert list(frame.columns) == list(RECORD_COLUMNS)
    assert frame_to_records(frame) == records
    assert set(Q_COLUMNS) <= set(frame.columns)
