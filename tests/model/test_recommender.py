"""The Recommender: policy seeds, invariance and direction, explanations, both paths agree."""

from __future__ import annotations

import pandas as pd
import pytest

from data.schema import QUESTION_KEYS, RESPONDER_RANK, RESPONDERS, CallRecord
from data.table import records_to_frame
from model.explain import explain_class
from model.recommender import Recommender, TrainingDataError
from model.text import normalise_narrative
from tests.model.rows import assert_rows_match_transform


def call(narrative: str, call_type: str | None = None, **answers: str) -> CallRecord:
    return CallRecord(call_id="T-1", narrative=narrative, call_type=call_type,
                      questionnaire=answers)


#: `make run` trains on 50,000 generated calls at seed 7 by default; the
#: policy seeds are judged on a model of that kind (30,000 rows, seed 7). The suite's
#: small shared model (`trained_recommender`, 4,000 rows) is enough for the mechanics, but
#: on borderline calls like the teens seed its pick varies with the sample it saw.
POLICY_MODEL_ROWS = 30_000


@pytest.fixture(scope="module")
def policy_recommender() -> Recommender:
    from threadpoolctl import threadpool_limits

    from data.generator import generate_frame
    from data.loaders import validate_frame

    frame = validate_frame(generate_frame(POLICY_MODEL_ROWS, seed=7), require_label=True).frame
    with threadpool_limits(1):  # several times faster on a busy 2-core machine
        return Recommender.fit(frame, frame["responder"], random_state=0)


#: RESPONSE-POLICY.md's own examples, written as a call-taker might.
HEART_SEEDS = [
    call("Woman walking along the shoulder of the highway asking drivers for money. "
         "Not aggressive, no weapons seen.", "PANHANDLING"),
    call("RP ADV A MALE IS DANCING ON TOP OF A PARKED POLICE CAR IN THE LOT, YELLING "
         "SONGS, NOT THREATENING ANYONE", "DISTURBANCE"),
    call("Caller states there are intruders hiding behind her lamp and in the walls. "
         "Nobody else is in the apartment. She is scared but calm.", "MENTAL HEALTH"),
    call("Caller reports her two teens are yelling and punching the doors. One of them "
         "said he wants to kill himself. No weapons in the house, no one has been hit.",
         "DISTURBANCE", weapons="no", violence="no"),
]


@pytest.mark.parametrize("record", HEART_SEEDS, ids=["panhandling", "police-car",
                                                     "lamp", "teens"])
def test_policy_seeds_come_out_heart(policy_recommender: Recommender,
                                     record: CallRecord) -> None:
    decision = policy_recommender.decide(record)
    assert decision.recommendation == "heart", decision.model_dump()


def test_crisis_with_a_gun_is_police(trained_recommender: Recommender) -> None:
    record = call("Caller says her brother is suicidal and has a handgun in his lap.",
                  "SUICIDE THREAT")
    decision = trained_recommender.decide(record)
    assert decision.recommendation == "police"
    assert decision.overrides, "a firearm must fire a rule, not rely on the model"


@pytest.mark.parametrize(("base", "changed"), [
    ("RP STS BROTHER TALKING TO HIMSELF IN THE YARD", "rp sts brother talking to himself "
     "in the yard"),
    ("Caller says her son Marcus is confused and wandering", "Caller says her son Tyrone "
     "is confused and wandering"),
    ("Man sleeping in the bank vestibule, won't wake up to staff", "Man sleeping in the "
     "bank vestibule, won't wake up to staff. No weapons seen."),
])
def test_invariance_names_case_and_an_added_negation(trained_recommender: Recommender,
                                                     base: str, changed: str) -> None:
    first = trained_recommender.decide(call(base))
    second = trained_recommender.decide(call(changed))
    assert first.recommendation == second.recommendation
    assert {o.rule_id for o in first.overrides} == {o.rule_id for o in second.overrides}


@pytest.mark.parametrize(("addition", "at_least"), [
    (" UPDATE: he now has a gun.", "police"),
    (" He is hitting his mother right now.", "police"),
    (" He says he is going to kill the neighbor.", "co_response"),
])
def test_direction_an_added_risk_raises_the_answer(trained_recommender: Recommender,
                                                   addition: str, at_least: str) -> None:
    base = "Caller says her adult son is pacing and talking about voices"
    before = trained_recommender.decide(call(base)).recommendation
    after = trained_recommender.decide(call(base + addition)).recommendation
    assert RESPONDER_RANK[after] >= max(RESPONDER_RANK[before], RESPONDER_RANK[at_least])


def test_questionnaire_floor_can_never_be_lowered(trained_recommender: Recommender) -> None:
    calm = "Man sitting quietly on a bench reading, caller just wants him checked on"
    assert trained_recommender.decide(call(calm, violence="yes")).recommendation == "police"
    assert trained_recommender.decide(call(calm, weapons="yes")).recommendation != "heart"


def test_explanation_contributions_add_up_to_the_score(trained_recommender: Recommender
                                                       ) -> None:
    record = call("SUBJ YELLING THREATS AT STAFF, HAS A KNIFE, ETOH", "EDP",
                  weapons="yes", intoxication="yes")
    rec = trained_recommender
    normalised = normalise_narrative(record.narrative)
    answers = [getattr(record.questionnaire, key) for key in QUESTION_KEYS]
    row = rec._features.row(normalised, answers, record.call_type)
    scores = rec._scorer.score_row(row)
    for index, name in enumerate(RESPONDERS):
        part = explain_class(rec._scorer, row, name)
        assert part.score == pytest.approx(scores[index], abs=1e-9)
    decision = rec.decide(record)
    assert decision.explanation, "a scored call always has an explanation"
    assert {item.class_ for item in decision.explanation} <= {
        decision.recommendation, decision.model_recommendation}
    names = [item.feature for item in decision.explanation]
    assert any(name.startswith(("narrative: ", "questionnaire: ", "call_type: "))
               for name in names)
    assert sum(decision.probabilities.values()) == pytest.approx(1.0, abs=1e-5)  # 6 d.p. each


def test_explanation_names_are_readable(trained_recommender: Recommender) -> None:
    names = set(trained_recommender._names)
    assert "questionnaire: weapons = yes" in names
    assert 'narrative: "knife"' in names
    assert not any("district" in name for name in names)


def test_one_record_row_equals_the_batch_transform(trained_recommender: Recommender,
                                                   training_frame: pd.DataFrame) -> None:
    assert_rows_match_transform(trained_recommender._features,
                                training_frame.sample(50, random_state=1))


def test_decide_and_decide_frame_agree_row_for_row(trained_recommender: Recommender,
                                                   training_frame: pd.DataFrame) -> None:
    sample = training_frame.sample(300, random_state=2)
    batch = trained_recommender.decide_frame(sample)
    from data.table import frame_to_records

    for record, (_, row) in zip(frame_to_records(sample), batch.iterrows(), strict=True):
        one = trained_recommender.decide(record, explain=False)
        assert one.recommendation == row["recommendation"]
        assert one.model_recommendation == row["model_recommendation"]
        assert ";".join(o.rule_id for o in one.overrides) == row["overrides"]
        assert one.medical_advised == row["medical_advised"]
        for name in RESPONDERS:
            assert one.probabilities[name] == pytest.approx(row[f"p_{name}"], abs=1e-6)


def test_final_is_never_below_the_model_or_a_floor(trained_recommender: Recommender,
                                                   training_frame: pd.DataFrame) -> None:
    batch = trained_recommender.decide_frame(training_frame)
    final = batch["recommendation"].map(RESPONDER_RANK)
    assert (final >= batch["model_recommendation"].map(RESPONDER_RANK)).all()
    raised = batch["recommendation"] != batch["model_recommendation"]
    assert (batch.loc[raised, "overrides"] != "").all()


def test_model_beats_the_rules_alone_on_held_out_rows(trained_recommender: Recommender
                                                      ) -> None:
    from data.generator import generate_frame
    from data.loaders import validate_frame

    held = validate_frame(generate_frame(1500, seed=99), require_label=True).frame
    model = trained_recommender.decide_frame(held)["recommendation"]
    rules = Recommender.rules_only("baseline", questionnaire_only=True).decide_frame(held)
    accuracy = (model == held["responder"]).mean()
    assert accuracy > 0.8
    assert accuracy > (rules["recommendation"] == held["responder"]).mean() + 0.1


def test_rules_only_recommender_is_degraded_and_still_escalates() -> None:
    recommender = Recommender.rules_only("no champion registered")
    gun = recommender.decide(call("Subject waving a pistol at people outside the store"))
    assert gun.recommendation == "police" and gun.degraded
    assert gun.model_recommendation is None and gun.probabilities == {}
    assert gun.degraded_reason == "no champion registered"
    calm = recommender.decide(call("Lady sleeping at the bus stop, caller worried"))
    assert calm.recommendation == "heart" and calm.explanation == []


def test_training_refuses_a_missing_class(training_frame: pd.DataFrame) -> None:
    no_police = training_frame[training_frame["responder"] != "police"]
    with pytest.raises(TrainingDataError, match="police"):
        Recommender.fit(no_police, no_police["responder"])


def test_district_is_never_read(trained_recommender: Recommender) -> None:
    records = [CallRecord(call_id=str(i), narrative="man yelling at cars in the median",
                          district=district) for i, district in enumerate(["D1", "D5"])]
    batch = trained_recommender.decide_frame(records_to_frame(records))
    assert batch["p_heart"].nunique() == 1
