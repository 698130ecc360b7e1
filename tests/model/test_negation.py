"""Negation scope and narrative evidence: a table of notes as call-takers write them.

Each note goes through `normalise_narrative` first (CAD shorthand in raw form), then the
shipped rules; the table says which narrative rules must fire (none for denials, doubts
and idioms). Questionnaire answers are all unknown here: only the narrative decides.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.schema import CallRecord
from model.negation import is_negated, segment, typo_variants
from model.phrases import PhraseMatcher
from model.regex_trie import compact_alternation
from model.rules import RuleSet
from model.text import normalise_narrative

FIREARM = "narrative-firearm"
AT_PEOPLE = "narrative-weapon-at-people"
VIOLENCE = "narrative-violence"
CRIME = "narrative-crime-in-progress"
DRIVER = "narrative-impaired-driver"
MEANS = "narrative-weapon-or-means"
THREATS = "narrative-threats"
AGGRESSION = "narrative-aggression"
HISTORY = "narrative-violent-history"
IVC = "narrative-commitment-order"

#: (raw note, narrative rules that must fire). Grouped: denials, doubts, slips of the
#: keyboard, idioms and aggression at things (nothing fires), then positives, including
#: positives after a denial, in a later update, and in CAD shorthand.
TABLE: list[tuple[str, set[str]]] = [
    # -- denials
    ("RP STATES NEIGHBOR SLEEPING IN BUILDING VESTIBULE, NO WEAPONS SEEN, NOT AGGRESSIVE",
     set()),
    ("denies having a gun", set()),
    ("MALE ASLEEP IN THE ATM VESTIBULE, EMPTY BOTTLES NEXT TO HIM", set()),
    ("rp did not hear a shot, just yelling", set()),
    ("RP HEARD A SHOT FROM HER SONS ROOM", {"narrative-firearm"}),
    ("F CALLER STS SHE TOOK ABOUT 20 OF HER TYLENOL PM", {"narrative-weapon-or-means"}),
    ("SUBJ SITTING ON THE RAILROAD TRACKS WAITING FOR THE TRAIN",
     {"narrative-weapon-or-means"}),
    ("he is not violent", set()),
    ("no threats", set()),
    ("no threats made to anyone", set()),
    ("subject has never been violent", set()),
    ("not threatening anyone", set()),
    ("he hasn't hit anyone", set()),
    ("NEG WPNS", set()),
    ("no guns in the home", set()),
    ("caller does not know of any weapons", set()),
    ("subject walked off without a weapon", set()),
    ("no guns, knives or other weapons in the house", set()),
    ("denies SI/HI", set()),
    ("DENIES SI/HI PER RP", set()),
    ("no one was hit", set()),
    ("nobody is hurt, nothing stolen, no forced entry", set()),
    ("no history of violence", set()),
    ("it's not physical", set()),
    ("does not own a gun", set()),
    ("guns: none", set()),
    ("caller does not think he has a gun", set()),
    ("no ivc papers", set()),
    ("SUBJ NOT ARMED", set()),
    ("doesn't appear to be armed", set()),
    ("hasn't made any threats toward anyone", set()),
    # -- doubt is not evidence
    ("unknown if weapons", set()),
    ("UNK IF WPNS", set()),
    ("RP UNSURE IF SUBJ HAS A GUN", set()),
    ("not sure whether he has a knife", set()),
    ("firearms? unknown", set()),
    # -- slips of the keyboard in the denial
    ("nothnig stolen", set()),
    ("he has nver been violent before", set()),
    ("deines SI/HI", set()),
    # -- idioms, delusions, self-directed words, aggression at things
    ("my back is killing me", set()),
    ("complains of shooting pain in his leg", set()),
    ("ex keeps blowing up my phone", set()),
    ("just killing time at the bus stop", set()),
    ("dressed to kill", set()),
    ("he is punching the door", set()),
    ("slamming doors", set()),
    ("kicked the door", set()),
    ("threw a cup against the wall", set()),
    ("had a shot of whiskey", set()),
    ("got his flu shot yesterday", set()),
    ("he is gun-shy around crowds", set()),
    ("using a glue gun for crafts", set()),
    ("kids playing with a water pistol", set()),
    ("her boss is going to kill her if she is late again", set()),
    ("he hit me up on facebook yesterday", set()),
    ("he shot me a text earlier", set()),
    ("fighting with his insurance company", set()),
    ("having a panic attack", set()),
    ("fired from his job", set()),
    ("beating himself up about losing his job", set()),
    ("threatening to call the police on the neighbor", set()),
    ("says he wants to kill himself", set()),
    ("threatening suicide", set()),
    ("thinks people are hiding behind the lamp", set()),
    ("she thinks someone is breaking in but nobody is there", set()),
    ("hit rock bottom", set()),
    ("he is not violent but he is hitting the wall", set()),
    ("he is sitting on the edge of the bed crying", set()),
    ("subj is swinging a belt at the dog", set()),
    ("Mother says teen punched a hole in the wall, no one hurt", set()),
    ("CALLER STS SON 17 THREW THE TV, BROKE WINDOWS, NO ONE HURT, NO WPNS", set()),
    # -- positives the denial does not reach
    ("no one knows where he got the knife, he has a knife", {MEANS}),
    ("not sure but he has a gun", {FIREARM}),
    ("denies SI but has a knife", {MEANS}),
    ("denies SI, has a knife", {MEANS}),
    ("no weapons he has a knife", {MEANS}),
    ("not violent and threatening to kill her", {THREATS}),
    ("RP ADV NO WEAPONS\nUPDATE: NOW HAS A KNIFE", {MEANS}),
    ("no threats. update: now threatening to kill caller", {THREATS}),
    ("he put down the knife", {MEANS}),
    ("won't put down the knife", {MEANS}),
    ("did not stop hitting her", {VIOLENCE}),
    ("subject is unknown male with a knife", {MEANS}),
    # -- firearms: any firearm is police
    ("subj armed w/ f/a", {FIREARM, MEANS}),
    ("shots fired in the parking lot", {FIREARM}),
    ("there is a gun in the bedroom", {FIREARM}),
    ("gsw to the leg", {FIREARM}),
    ("he is shooting at cars", {FIREARM}),
    ("possible gun in the car", {FIREARM}),
    ("he said he will shoot everyone", {FIREARM, THREATS}),
    ("TOLD MGR HE WOULD COME BACK AND SHOOT THE PLACE UP", {FIREARM, THREATS}),
    ("caller's husband has guns in the house and is drinking and suicidal", {FIREARM}),
    # -- a weapon turned on people
    ("subj pointing a knife at rp", {AT_PEOPLE}),
    ("swinging a bat at his brother", {AT_PEOPLE, MEANS}),
    ("he stabbed her", {AT_PEOPLE}),
    ("chasing him with a machete", {AT_PEOPLE, MEANS, AGGRESSION}),
    ("S1 CHASING RP W/ BAT", {AT_PEOPLE, MEANS, AGGRESSION}),
    # -- violence now
    ("he is hitting her", {VIOLENCE}),
    ("SUBJ PUNCHED THE CLERK", {VIOLENCE}),
    ("two males fighting in the lot", {VIOLENCE}),
    ("he is choking her", {VIOLENCE}),
    ("swinging on someone", {VIOLENCE}),
    ("he threw a cup at her", {VIOLENCE}),
    # -- crime in progress and drivers
    ("subj broke into the neighbor's house", {CRIME}),
    ("someone is breaking into cars now", {CRIME}),
    ("burglary in progress", {CRIME}),
    ("armed robbery at the gas station", {CRIME}),
    ("RP STATES SUBJ IS BANGING ON HER DOOR TRYING TO GET IN", {CRIME}),
    ("juveniles throwing rocks at passing cars", {CRIME}),
    ("drunk driver hit a parked car and fled", {DRIVER}),
    ("2 CAR CRASH AT FAYETTEVILLE/MLK, DRIVER OF THE BLUE TRUCK GOT OUT STUMBLING", {DRIVER}),
    ("driver is slurring and trying to walk away from the scene", {DRIVER}),
    ("the bus driver says a drunk man is asleep in the back seat", set()),
    ("BUS DRIVER SAYS DRUNK MALE ASLEEP ON THE BUS, NOT BOTHERING ANYONE", set()),
    ("driver was not drunk, just upset after the crash", set()),
    # -- weapons or lethal means in a crisis
    ("SUBJ W/ KNF", {MEANS}),
    ("holding a box cutter", {MEANS}),
    ("RP ADV POSS WPN", {MEANS}),
    ("has all her pills lined up on the table", {MEANS}),
    ("has a rope and is talking about hanging himself", {MEANS}),
    ("Suicidal male sitting on the edge of the parking deck", {MEANS}),
    ("RP STS SUBJ HAS A KNIFE TO HIS OWN THROAT SAYING HE WANTS TO DIE", {MEANS}),
    ("man with a machete walking down the street, not threatening anyone", {MEANS}),
    # -- threats in words, aggression, history, commitment orders
    ("says he will kill his brother", {THREATS}),
    ("threatening staff", {THREATS}),
    ("making threats to the neighbor", {THREATS}),
    ("he is goig to beat her", {THREATS}),
    ("she threatned to hurt the neighbor", {THREATS}),
    ("getting in people's faces", {AGGRESSION}),
    ("shoved the cashier", {AGGRESSION}),
    ("hx of violence", {HISTORY}),
    ("fought officers before", {HISTORY}),
    ("has been violent on prior calls", {HISTORY}),
    ("RP HAS IVC PAPERS TO SERVE", {IVC}),
    ("petition to serve", {IVC}),
]


def narrative_rules(ruleset: RuleSet, raw: str) -> set[str]:
    record = CallRecord(call_id="t", narrative=raw)
    return {o.rule_id for o in ruleset.evaluate(record, normalise_narrative(raw))}


def test_the_table_is_large_and_balanced() -> None:
    assert len(TABLE) >= 80
    assert sum(1 for _, fired in TABLE if not fired) >= 40
    assert sum(1 for _, fired in TABLE if fired) >= 40


@pytest.mark.parametrize(("raw", "expected"), TABLE, ids=[raw[:40] for raw, _ in TABLE])
def test_phrase_table(ruleset: RuleSet, raw: str, expected: set[str]) -> None:
    assert narrative_rules(ruleset, raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [(r, e) for r, e in TABLE if e][:20])
def test_evidence_is_quoted_in_the_reason(ruleset: RuleSet, raw: str,
                                          expected: set[str]) -> None:
    record = CallRecord(call_id="t", narrative=raw)
    for override in ruleset.evaluate(record, normalise_narrative(raw)):
        assert '(narrative: "' in override.reason


# -- the scope rules themselves ------------------------------------------------------
def negated(text: str, phrase: str) -> bool:
    start = text.rindex(phrase)
    return is_negated(text, start, start + len(phrase))


@pytest.mark.parametrize(("text", "phrase", "expected"), [
    ("no gun", "gun", True),
    ("no gun. he has a gun", "gun", False),  # the second, after the full stop
    ("denies having a gun", "gun", True),
    ("no weapons and he has a gun", "gun", False),  # "and he" starts a new clause
    ("does not think he has a gun", "gun", True),  # "think he" continues the clause
    ("no knives, guns or rifles", "rifles", True),  # a plain list of nouns
    ("denies si, has a gun", "gun", False),  # a verb after the comma
    ("no one knows where he got the gun", "gun", False),  # pseudo-negation
    ("not sure but he has a gun", "gun", False),
    ("unknown if he has a gun", "gun", True),
    ("unknown weapons", "weapons", True),
    ("unknown male has a gun", "gun", False),  # "unknown" reaches no further
    ("no reason to think he would ever want to own a gun", "gun", False),  # too far
    ("guns: none", "guns", True),
    ("shots fired no injuries", "shots fired", False),  # "no" belongs to "injuries"
    ("won't put down the knife", "knife", False),
    ("he was nver violent", "violent", True),  # a slip of "never"
    ("denise suicidal ideation / homicidal ideation", "homicidal ideation", True),  # "denies"
    ("denise has a gun", "gun", False),  # ... but Denise, a person, here
])
def test_scope(text: str, phrase: str, expected: bool) -> None:
    assert negated(text, phrase) is expected


def test_segment_is_bounded_in_unpunctuated_cad() -> None:
    text = ("subject just assaulted a security guard sober reporting party says he is "
            "calm now and has been in the lobby all day no history of violence")
    start = text.index("assaulted")
    lo, hi = segment(text, start, start + len("assaulted a security guard"))
    assert "history" not in text[lo:hi]
    assert text[lo:hi].startswith("subject just assaulted")


def test_typo_variants_keep_short_words_whole() -> None:
    assert {"nver", "nevr", "neevr", "nevver"} <= typo_variants("never")
    assert "ever" not in typo_variants("never")  # a real word, never a cue
    assert "bat" not in typo_variants("beat", drop_from=6)
    assert "baet" in typo_variants("beat", drop_from=6)


@given(st.lists(st.sampled_from(["gun", "guns", "gunshot", "go", "going", "gone", "g",
                                 "a b", "shot", "shots", "x?y"]), min_size=1, max_size=8),
       st.text(alphabet="gunshotab xy?", max_size=30))
@settings(max_examples=200, deadline=None)
def test_compact_alternation_matches_what_a_flat_alternation_matches(
        words: list[str], text: str) -> None:
    import re

    escaped = [re.escape(w) for w in words]
    flat = re.compile(r"(?<![a-z])(?:" + "|".join(escaped) + r")(?![a-z])")
    compact = re.compile(r"(?<![a-z])" + compact_alternation(escaped) + r"(?![a-z])")
    assert [m.span() for m in flat.finditer(text)] == [m.span() for m in compact.finditer(text)]


# -- the fast path finds exactly what plain search finds ------------------------------
_SOUP = (
    "he she caller rp subj no not never denies unknown if has a gun knife bat with "
    "hitting her punched him threatening to kill staff shots fired broke into house "
    "pills lined up rope hang history of violence ivc papers drunk driver fled "
    "pointing at chasing getting in faces but update now and , . : / my back is killing "
    "me flu shot weapon weapons armed w/ knf hurt bleeding boss going will beat"
)
WORDS = tuple(_SOUP.split())


@given(st.lists(st.sampled_from(WORDS), max_size=30))
@settings(max_examples=300, deadline=None)
def test_anchored_matching_equals_plain_search(ruleset: RuleSet, words: list[str]) -> None:
    text = normalise_narrative(" ".join(words) or "x")
    matchers = [rule.narrative for rule in ruleset.rules if rule.narrative is not None]
    for matcher in matchers:
        assert isinstance(matcher, PhraseMatcher)
        assert matcher.evidence(text) == matcher.reference_evidence(text)
