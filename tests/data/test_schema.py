"""The call record: what it accepts, what it refuses, and how it names the problem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from data.schema import NARRATIVE_MAX_CHARS, QUESTION_KEYS, CallRecord, LabelledCall


def _locations(error: ValidationError) -> list[tuple]:
    return [tuple(problem["loc"]) for problem in error.errors()]


def test_minimal_record_has_every_answer_unknown() -> None:
    record = CallRecord(call_id="1", narrative="RP reports man sleeping in doorway")
    assert [getattr(record.questionnaire, key) for key in QUESTION_KEYS] == ["unknown"] * 7
    assert record.call_type is None and record.received_at is None


def test_full_record_round_trips_through_json() -> None:
    record = CallRecord.model_validate({
        "call_id": "2026-004211",
        "narrative": "caller says her brother has a knife",
        "questionnaire": {"weapons": "yes", "threats": "no"},
        "call_type": "EDP",
        "received_at": "2026-11-22T15:04:05Z",
        "district": "D2",
    })
    again = CallRecord.model_validate_json(record.model_dump_json())
    assert again == record
    assert again.questionnaire.yes() == ["weapons"]


@pytest.mark.parametrize("answer", ["YES", " yes ", "Yes"])
def test_answers_are_read_case_insensitively(answer: str) -> None:
    record = CallRecord(call_id="1", narrative="x", questionnaire={"weapons": answer})
    assert record.questionnaire.weapons == "yes"


def test_blank_answer_is_unknown_not_no() -> None:
    record = CallRecord(call_id="1", narrative="x", questionnaire={"violence": ""})
    assert record.questionnaire.violence == "unknown"


def test_unknown_questionnaire_key_is_refused_and_named() -> None:
    with pytest.raises(ValidationError) as caught:
        CallRecord(call_id="1", narrative="x", questionnaire={"weapon": "yes"})
    assert ("questionnaire", "weapon") in _locations(caught.value)


def test_unknown_answer_value_is_refused_and_named() -> None:
    with pytest.raises(ValidationError) as caught:
        CallRecord(call_id="1", narrative="x", questionnaire={"threats": "maybe"})
    assert ("questionnaire", "threats") in _locations(caught.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("call_id", ""),
        ("call_id", "   "),
        ("call_id", "x" * 65),
        ("narrative", ""),
        ("narrative", " \n\t "),
        ("narrative", "x" * (NARRATIVE_MAX_CHARS + 1)),
        ("received_at", "yesterday-ish"),
    ],
)
def test_bad_values_name_their_field(field: str, value: str) -> None:
    fields = {"call_id": "1", "narrative": "text", field: value}
    with pytest.raises(ValidationError) as caught:
        CallRecord.model_validate(fields)
    assert (field,) in _locations(caught.value)


def test_narrative_at_the_limit_is_accepted() -> None:
    record = CallRecord(call_id="1", narrative="x" * NARRATIVE_MAX_CHARS)
    assert len(record.narrative) == NARRATIVE_MAX_CHARS


def test_unknown_top_level_field_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        CallRecord.model_validate({"call_id": "1", "narrative": "x", "narative": "typo"})
    assert ("narative",) in _locations(caught.value)


def test_times_are_utc_and_naive_times_read_as_utc() -> None:
    offset = CallRecord(call_id="1", narrative="x", received_at="2026-01-01T10:00:00-05:00")
    naive = CallRecord(call_id="2", narrative="x", received_at="2026-01-01T15:00:00")
    assert offset.received_at == naive.received_at == datetime(2026, 1, 1, 15, tzinfo=UTC)
    assert offset.received_at.utcoffset() == timedelta(0)
    aware = datetime(2026, 1, 1, 17, tzinfo=timezone(timedelta(hours=2)))
    assert CallRecord(call_id="3", narrative="x", received_at=aware).received_at.hour == 15


def test_blank_call_type_and_district_are_missing() -> None:
    record = CallRecord(call_id="1", narrative="x", call_type="  ", district="")
    assert record.call_type is None and record.district is None


def test_label_must_be_a_responder() -> None:
    assert LabelledCall(call_id="1", narrative="x", responder="heart").responder == "heart"
    with pytest.raises(ValidationError) as caught:
        LabelledCall(call_id="1", narrative="x", responder="fire")
    assert ("responder",) in _locations(caught.value)
