"""`medical_advised`: injuries answered yes, or the narrative says someone is hurt."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.generator import generate_frame
from data.schema import CallRecord
from data.table import frame_to_records
from model.medical import MATCHER, medical_advised, medical_advised_frame
from model.text import normalise_narrative

QUIET = "Caller says a man is sleeping in the doorway and will not leave."


def advised(narrative: str, **answers: str) -> bool:
    record = CallRecord(call_id="m", narrative=narrative, questionnaire=answers)
    return medical_advised(record, normalise_narrative(narrative))


def test_injuries_yes_is_enough() -> None:
    assert advised(QUIET, injuries="yes") is True
    assert advised(QUIET, injuries="no") is False
    assert advised(QUIET) is False


@pytest.mark.parametrize("narrative", [
    "he is bleeding from his head",
    "SUBJ UNRESP AT BUS STOP",
    "pt not breathing",
    "she can't breathe",
    "possible OD in the bathroom",
    "subj OD'd on heroin",
    "having a seizure in the lobby",
    "has a cut on his forehead",
    "he fell and hit his head",
    "victim hurt",
    "the caller was stabbed",
    "GSW to the leg",
    "took all her pills an hour ago",
    "passed out behind the store",
    "he is cutting himself with a razor",
    "won't wake up",
    "no one is injured, but the caller is bleeding",
    "update: now has a bloody nose",
    "RP REQ AMBULANCE",
])
def test_narrative_that_advises_medical_help(narrative: str) -> None:
    assert advised(narrative, injuries="no") is True


@pytest.mark.parametrize("narrative", [
    "no injuries",
    "NO INJ, not hurt",
    "denies injuries",
    "no medical needed",
    "nobody was hurt",
    "he is not injured",
    "says he will overdose",
    "thoughts of hurting himself",
    "history of seizures",
    "my back is killing me",
    "her feelings are hurt",
    "fell asleep on the bench",
    "cut him off in traffic",
    "denies trouble breathing",
    "is breathing and talking",
    "unknown if injured",
    "blood alcohol unknown, he is bloodshot",
    "got his flu shot",
])
def test_narrative_that_does_not(narrative: str) -> None:
    assert advised(narrative) is False


def test_frame_equals_one_call_at_a_time() -> None:
    frame = generate_frame(400, seed=5)
    normalised = [normalise_narrative(text) for text in frame["narrative"]]
    batch = medical_advised_frame(frame, normalised)
    single = [medical_advised(record, text)
              for record, text in zip(frame_to_records(frame), normalised, strict=True)]
    assert batch == single
    assert 0 < sum(batch) < len(batch)


def test_frame_without_an_injuries_column_reads_the_narrative() -> None:
    frame = pd.DataFrame({"call_id": ["a", "b"], "narrative": ["he is bleeding", QUIET]})
    assert medical_advised_frame(frame, [normalise_narrative(t) for t in frame["narrative"]]) \
        == [True, False]


def test_frame_answers_are_read_like_the_schema_reads_them() -> None:
    frame = pd.DataFrame({"call_id": ["a", "b", "c"], "narrative": [QUIET] * 3,
                          "q_injuries": [" Yes", None, ""]})
    assert medical_advised_frame(frame, [normalise_narrative(QUIET)] * 3) == [True, False, False]


_SOUP_TEXT = ("no not denies hurt injured injuries bleeding unresponsive od overdose seizure "
              "he she is was will might thoughts of history breathing not breathing cut on "
              "his head fell asleep , . update but")


@given(st.lists(st.sampled_from(_SOUP_TEXT.split()), min_size=1, max_size=20))
@settings(max_examples=200, deadline=None)
def test_fast_matching_equals_plain_search(words: list[str]) -> None:
    text = normalise_narrative(" ".join(words))
    assert MATCHER.evidence(text) == MATCHER.reference_evidence(text)
