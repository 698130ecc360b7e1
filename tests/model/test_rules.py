"""The rules override layer: the policy's floors, the file format, escalation only."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.errors import FifthBranchError
from data.generator import generate_frame
from data.schema import ANSWERS, QUESTION_KEYS, RESPONDER_RANK, RESPONDERS, CallRecord
from data.table import records_to_frame
from model.rules import DEFAULT_RULES_PATH, RuleSet, RulesFileError, escalate
from model.text import normalise_narrative

QUIET = "Caller says her neighbour is sleeping in the vestibule and will not leave."


def decide(ruleset: RuleSet, narrative: str = QUIET, model: str = "heart",
           **answers: str) -> tuple[str, set[str]]:
    record = CallRecord(call_id="t", narrative=narrative, questionnaire=answers)
    fired = ruleset.evaluate(record, normalise_narrative(narrative))
    return escalate(model, [o.floor for o in fired]), {o.rule_id for o in fired}


# -- the shipped file ------------------------------------------------------------------
def test_version_is_the_sha256_of_the_file(ruleset: RuleSet) -> None:
    digest = hashlib.sha256(DEFAULT_RULES_PATH.read_bytes()).hexdigest()
    assert ruleset.version == f"sha256:{digest}"
    assert ruleset.path == DEFAULT_RULES_PATH


def test_every_rule_raises_and_explains_itself(ruleset: RuleSet) -> None:
    assert len(ruleset.rules) >= 15
    assert len(set(ruleset.ids)) == len(ruleset.ids)
    for rule in ruleset.rules:
        assert rule.floor in ("co_response", "police")
        assert len(rule.reason) > 20


def test_loading_the_same_file_again_is_instant_and_shared(ruleset: RuleSet) -> None:
    assert RuleSet.load() is ruleset
    assert RuleSet.load(str(DEFAULT_RULES_PATH)) is ruleset


# -- the policy's questionnaire floors ---------------------------------------------------
@pytest.mark.parametrize(("answers", "floor", "rule_id"), [
    ({"weapons": "yes"}, "co_response", "weapon-present"),
    ({"threats": "yes"}, "co_response", "threats-reported"),
    ({"violence": "yes"}, "police", "violence-reported"),
    ({"crime_in_progress": "yes"}, "police", "crime-in-progress-reported"),
])
def test_questionnaire_floors(ruleset: RuleSet, answers: dict[str, str], floor: str,
                              rule_id: str) -> None:
    final, fired = decide(ruleset, **answers)
    assert fired == {rule_id}
    assert final == floor


def test_self_harm_alone_sets_no_floor(ruleset: RuleSet) -> None:
    final, fired = decide(ruleset, "Caller says her son is talking about ending it, no plan.",
                          self_harm="yes")
    assert (final, fired) == ("heart", set())


@pytest.mark.parametrize("answer", ["no", "unknown"])
def test_no_and_unknown_set_nothing(ruleset: RuleSet, answer: str) -> None:
    assert decide(ruleset, **{key: answer for key in QUESTION_KEYS}) == ("heart", set())


@pytest.mark.parametrize("narrative", [
    "He is pointing it at the caller.",
    "Subj came at staff with it.",
    "He is swinging at customers.",
    "He has a gun in his waistband.",
])
def test_a_weapon_turned_on_others_or_a_firearm_makes_weapons_yes_police(
        ruleset: RuleSet, narrative: str) -> None:
    final, fired = decide(ruleset, narrative, weapons="yes")
    assert final == "police"
    assert {"weapon-present", "weapon-turned-on-others"} <= fired


def test_a_weapon_held_in_a_crisis_with_weapons_yes_stays_co_response(ruleset: RuleSet) -> None:
    final, fired = decide(ruleset, "Subject is holding a knife and crying, no one else home.",
                          weapons="yes", self_harm="yes")
    assert final == "co_response"
    assert "weapon-turned-on-others" not in fired


def test_unknown_is_not_no_the_narrative_decides(ruleset: RuleSet) -> None:
    final, fired = decide(ruleset, "RP ADV SUBJ HAS A GUN", weapons="unknown")
    assert final == "police"
    assert fired == {"narrative-firearm"}


def test_a_no_answer_does_not_hide_what_the_narrative_says(ruleset: RuleSet) -> None:
    assert decide(ruleset, "he is hitting her now", violence="no")[0] == "police"


def test_rules_never_lower_the_model(ruleset: RuleSet) -> None:
    assert decide(ruleset, QUIET, model="police") == ("police", set())
    assert decide(ruleset, QUIET, model="co_response", weapons="yes")[0] == "co_response"


# -- the rules-only baseline -------------------------------------------------------------
def test_questionnaire_only_keeps_the_answer_rules_and_a_distinct_version(
        ruleset: RuleSet) -> None:
    baseline = ruleset.questionnaire_only()
    assert baseline.version == ruleset.version + ":questionnaire-only"
    assert baseline.path == ruleset.path
    assert baseline.ids == ("weapon-present", "threats-reported", "violence-reported",
                            "crime-in-progress-reported")
    assert baseline.questionnaire_only() is baseline
    assert decide(baseline, "shots fired, he is hitting her") == ("heart", set())
    assert decide(baseline, "shots fired", violence="yes")[1] == {"violence-reported"}


# -- escalate ----------------------------------------------------------------------------
def test_escalate_takes_the_highest() -> None:
    assert escalate("heart", []) == "heart"
    assert escalate("heart", ["co_response"]) == "co_response"
    assert escalate("co_response", ["police", "co_response"]) == "police"
    assert escalate("police", ["co_response"]) == "police"


@pytest.mark.parametrize(("choice", "floors"), [("ambulance", []), ("heart", ["swat"])])
def test_escalate_refuses_unknown_responders(choice: str, floors: list[str]) -> None:
    with pytest.raises(ValueError, match="unknown responder"):
        escalate(choice, floors)


# -- the file format ---------------------------------------------------------------------
MINIMAL = """
format: 1
vocabulary:
  arm: ['guns?', 'rifles?']
rules:
  - id: answers-any
    floor: co_response
    reason: threats or weapons recorded
    combine: any
    questionnaire: {threats: yes, weapons: [yes]}
  - id: weapon-words
    floor: police
    reason: the narrative mentions a firearm
    narrative:
      patterns: ['{arm}']
      phrases: ['shots fired']
      ignore: ['water guns?']
  - id: both
    floor: police
    reason: threats recorded and a firearm named
    questionnaire: {threats: yes}
    narrative:
      patterns: ['{arm}']
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return path


def test_a_custom_file_combines_all_and_any(tmp_path: Path) -> None:
    rules = RuleSet.load(write(tmp_path, MINIMAL))
    assert rules.ids == ("answers-any", "weapon-words", "both")
    assert decide(rules, QUIET, weapons="yes")[1] == {"answers-any"}
    assert decide(rules, "he has a rifle")[1] == {"weapon-words"}
    assert decide(rules, "he has a rifle", threats="yes")[1] == {"answers-any", "weapon-words",
                                                                 "both"}
    assert decide(rules, "kids with water guns")[1] == set()
    assert decide(rules, "SHOTS FIRED")[1] == {"weapon-words"}
    assert decide(rules, "no shots fired")[1] == set()
    assert rules.questionnaire_only().ids == ("answers-any",)


BAD_FILES = [
    ("format: 1\nrules: [", None, "(file)", "not valid YAML"),
    ("format: 2\nrules: []", None, "format", ""),
    ("format: 1\nrulez: []\nrules:\n  - id: a\n    floor: police\n    reason: r\n"
     "    questionnaire: {weapons: yes}", None, "rulez", "unknown field"),
    ("format: 1\nrules: []", None, "rules", "at least 1"),
    ("format: 1\nrules:\n  - id: a\n    flor: police\n    reason: r\n    floor: police\n"
     "    questionnaire: {weapons: yes}", "a", "flor", "unknown field"),
    ("format: 1\nrules:\n  - id: a\n    floor: ambulance\n    reason: r\n"
     "    questionnaire: {weapons: yes}", "a", "floor", "co_response"),
    ("format: 1\nrules:\n  - id: soft\n    floor: heart\n    reason: r\n"
     "    questionnaire: {weapons: yes}", "soft", "floor", "heart is not a floor"),
    ("format: 1\nrules:\n  - id: bad-regex\n    floor: police\n    reason: r\n"
     "    narrative: {patterns: ['gun', '(unclosed']}", "bad-regex", "narrative.patterns[1]",
     "does not compile"),
    ("format: 1\nrules:\n  - id: bad-ignore\n    floor: police\n    reason: r\n"
     "    narrative: {patterns: ['gun'], ignore: ['ok', '[z-a]']}", "bad-ignore",
     "narrative.ignore[1]", "does not compile"),
    ("format: 1\nrules:\n  - id: twice\n    floor: police\n    reason: r\n"
     "    questionnaire: {weapons: yes}\n  - id: twice\n    floor: police\n    reason: r\n"
     "    questionnaire: {violence: yes}", "twice", "id", "duplicate"),
    ("format: 1\nrules:\n  - id: vocab\n    floor: police\n    reason: r\n"
     "    narrative: {patterns: ['{nowhere}']}", "vocab", "narrative.patterns[0]", "nowhere"),
    ("format: 1\nrules:\n  - id: key\n    floor: police\n    reason: r\n"
     "    questionnaire: {weapon: yes}", "key", "questionnaire.weapon", "unknown question"),
    ("format: 1\nrules:\n  - id: answer\n    floor: police\n    reason: r\n"
     "    questionnaire: {weapons: maybe}", "answer", "questionnaire.weapons", "maybe"),
    ("format: 1\nrules:\n  - id: empty\n    floor: police\n    reason: r", "empty",
     "questionnaire", "needs a questionnaire condition"),
    ("format: 1\nrules:\n  - id: Bad Id\n    floor: police\n    reason: r\n"
     "    questionnaire: {weapons: yes}", "Bad Id", "id", ""),
    ("format: 1\nrules:\n  - id: how\n    floor: police\n    reason: r\n    combine: xor\n"
     "    questionnaire: {weapons: yes}", "how", "combine", ""),
    ("format: 1\nvocabulary:\n  broken: '(x'\nrules:\n  - id: a\n    floor: police\n"
     "    reason: r\n    questionnaire: {weapons: yes}", None, "vocabulary.broken",
     "does not compile"),
    ("format: 1\nvocabulary:\n  loop: '{loop}'\nrules:\n  - id: a\n    floor: police\n"
     "    reason: r\n    questionnaire: {weapons: yes}", None, "vocabulary.loop", "itself"),
]


@pytest.mark.parametrize(("text", "rule_id", "field", "problem"), BAD_FILES,
                         ids=[f"{f}-{p or 'x'}"[:40] for _, _, f, p in BAD_FILES])
def test_an_invalid_file_names_the_file_the_rule_and_the_field(
        tmp_path: Path, text: str, rule_id: str | None, field: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RulesFileError) as caught:
        RuleSet.load(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"field {field!r}" in message
    if rule_id is not None:
        assert f"rule {rule_id!r}" in message
    assert problem in message
    assert isinstance(caught.value, FifthBranchError)


def test_the_shipped_patterns_all_take_the_fast_path(ruleset: RuleSet) -> None:
    assert all(rule.narrative.anchored for rule in ruleset.rules if rule.narrative)


def test_a_pattern_without_known_first_words_is_still_found(tmp_path: Path) -> None:
    rules = RuleSet.load(write(tmp_path, "format: 1\nrules:\n  - id: any-word\n"
                                         "    floor: police\n    reason: r\n"
                                         "    narrative: {patterns: ['[a-z]+ons fired']}\n"))
    matcher = rules.rules[0].narrative
    assert matcher is not None and not matcher.anchored
    assert decide(rules, "shots and weapons fired")[1] == {"any-word"}
    assert decide(rules, "no weapons fired")[1] == set()


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RulesFileError, match=r"nowhere\.yaml"):
        RuleSet.load(tmp_path / "nowhere.yaml")


def test_an_edit_is_a_new_version(tmp_path: Path) -> None:
    first = RuleSet.load(write(tmp_path, MINIMAL))
    second = RuleSet.load(write(tmp_path, MINIMAL + "\n# reviewed\n"))
    assert first.version != second.version
    assert first.ids == second.ids


# -- the batch path equals the one-call path ---------------------------------------------
def frame_equals_records(ruleset: RuleSet, frame: pd.DataFrame,
                         records: list[CallRecord]) -> None:
    normalised = [normalise_narrative(r.narrative) for r in records]
    batch = ruleset.evaluate_frame(frame, normalised)
    single = [ruleset.evaluate(r, text) for r, text in zip(records, normalised, strict=True)]
    assert batch == single


def test_evaluate_frame_equals_evaluate_on_generated_calls(ruleset: RuleSet) -> None:
    frame = generate_frame(600, seed=3)
    from data.table import frame_to_records

    records = frame_to_records(frame)
    frame_equals_records(ruleset, frame, records)
    fired = ruleset.evaluate_frame(frame, [normalise_narrative(t) for t in frame["narrative"]])
    assert sum(1 for row in fired if row) > 100  # the comparison is not vacuous


def test_evaluate_frame_reads_missing_blank_and_odd_answers_as_the_schema_does(
        ruleset: RuleSet) -> None:
    frame = pd.DataFrame({
        "call_id": ["a", "b", "c", "d"],
        "narrative": ["he has a knife", QUIET, "shots fired", QUIET],
        "q_weapons": [" YES ", None, "", np.nan],
        "q_violence": ["no", "Yes", "unknown", "no"],
    })
    records = [CallRecord(call_id=c, narrative=n, questionnaire={
        k: v for k, v in (("weapons", w), ("violence", x)) if isinstance(v, str) and v.strip()})
        for c, n, w, x in frame[["call_id", "narrative", "q_weapons", "q_violence"]].itertuples(
            index=False)]
    frame_equals_records(ruleset, frame, records)
    fired = ruleset.evaluate_frame(frame, [normalise_narrative(n) for n in frame["narrative"]])
    assert [sorted(o.rule_id for o in row) for row in fired] == [
        ["narrative-weapon-or-means", "weapon-present"], ["violence-reported"],
        ["narrative-firearm"], []]


def test_evaluate_frame_checks_the_lengths_agree(ruleset: RuleSet) -> None:
    frame = pd.DataFrame({"call_id": ["a"], "narrative": ["x"]})
    with pytest.raises(ValueError, match="1 rows but 2"):
        ruleset.evaluate_frame(frame, ["x", "y"])


def test_a_ruleset_survives_pickling(ruleset: RuleSet) -> None:
    copy = pickle.loads(pickle.dumps(ruleset))
    assert copy.version == ruleset.version
    for narrative in ("he is hitting her", "no weapons seen", "has a gun in the car"):
        assert decide(copy, narrative) == decide(ruleset, narrative)


# -- escalation only, for any input -------------------------------------------------------
_SOUP_TEXT = (
    "he she rp subj caller no not never denies unknown if but update now has a gun knife "
    "bat w/ knf f/a hitting her punched him threatening to kill staff shots fired broke "
    "into house pills lined up rope hang hx of violence ivc papers drunk driver fled "
    "pointing at chasing in faces my back is killing me flu shot armed si/hi hurt , . :"
)
_SOUP = tuple(_SOUP_TEXT.split())
narratives = st.one_of(
    st.lists(st.sampled_from(_SOUP), min_size=1, max_size=25).map(" ".join),
    st.text(min_size=1, max_size=200),
).filter(lambda text: text.strip() != "")
answers = st.dictionaries(st.sampled_from(QUESTION_KEYS), st.sampled_from(ANSWERS))
records = st.builds(lambda n, a: CallRecord(call_id="h", narrative=n, questionnaire=a),
                    narratives, answers)


@given(records, st.sampled_from(RESPONDERS))
@settings(max_examples=300, deadline=None)
def test_escalation_only_for_any_record_and_model_choice(ruleset: RuleSet, record: CallRecord,
                                                         choice: str) -> None:
    fired = ruleset.evaluate(record, normalise_narrative(record.narrative))
    final = escalate(choice, [o.floor for o in fired])
    assert RESPONDER_RANK[final] >= RESPONDER_RANK[choice]
    for override in fired:
        assert RESPONDER_RANK[final] >= RESPONDER_RANK[override.floor]
        assert override.floor != "heart"
    assert final in {choice, *(o.floor for o in fired)}


@given(st.lists(records, min_size=1, max_size=6))
@settings(max_examples=100, deadline=None)
def test_evaluate_frame_equals_evaluate_for_any_records(ruleset: RuleSet,
                                                        batch: list[CallRecord]) -> None:
    frame_equals_records(ruleset, records_to_frame(batch), batch)
