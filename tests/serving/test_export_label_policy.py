"""The outcome -> training-label policy of `fifthbranch audit export-labels`."""

from __future__ import annotations

import pytest

from serving.export_labels import label_for, rows_to_frame, training_row


def outcome(sent: str, **fields) -> dict:
    return {"responder_sent": sent, "disposition": "resolved_on_scene", **fields}


@pytest.mark.parametrize(("body", "label", "basis"), [
    (outcome("heart", felt_safe=True, backup_requested=False), "heart", "confirmed"),
    (outcome("heart", backup_requested=True), "co_response", "under_triage"),
    (outcome("heart", felt_safe=False), "co_response", "under_triage"),
    (outcome("co_response", backup_requested=True), "police", "under_triage"),
    (outcome("police", backup_requested=True), "police", "under_triage"),
    (outcome("heart", disposition="arrest"), "police", "arrest"),
    (outcome("co_response", felt_safe=True), "co_response", "upper_bound"),
    (outcome("police", felt_safe=True), "police", "upper_bound"),
])
def test_outcome_evidence_sets_the_label(body: dict, label: str, basis: str) -> None:
    result = label_for(body)
    assert result is not None
    assert (result.responder, result.basis) == (label, basis)


def test_nothing_sent_gives_no_training_row() -> None:
    assert label_for(outcome("none")) is None


def test_a_rule_floor_is_never_undercut_by_the_outcome() -> None:
    result = label_for(outcome("heart", felt_safe=True), ["co_response"])
    assert result is not None
    assert result.responder == "co_response"
    assert result.basis == "confirmed+rule_floor"
    # a floor below the evidence changes nothing
    result = label_for(outcome("heart", backup_requested=True), ["heart"])
    assert result is not None
    assert (result.responder, result.basis) == ("co_response", "under_triage")


def test_training_row_is_in_the_file_layout_with_the_decision_alongside() -> None:
    request = {"call_id": "C-1", "narrative": "man asleep in vestibule",
               "questionnaire": {"weapons": "no"}, "district": "D3",
               "received_at": "2026-11-02T10:00:00Z"}
    response = {"decision_id": "dec-1", "recommendation": "heart",
                "model_recommendation": "heart", "overrides": [], "model_version": "4"}
    row = training_row(request, response, outcome("heart", backup_requested=True,
                                                  time_on_scene_minutes=25.0))
    assert row is not None
    frame = rows_to_frame([row])
    assert frame.loc[0, "responder"] == "co_response"
    assert frame.loc[0, "q_weapons"] == "no"
    assert frame.loc[0, "q_threats"] == "unknown"
    assert frame.loc[0, "decision_id"] == "dec-1"
    assert frame.loc[0, "label_basis"] == "under_triage"
    assert str(frame.loc[0, "received_at"]) == "2026-11-02 10:00:00+00:00"
