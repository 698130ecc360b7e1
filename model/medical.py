"""Whether medical help is advised alongside the recommended responder.

Fire and EMS triage runs before this service (RESPONSE-POLICY.md); the service only
flags that someone seems hurt or medically at risk, so the dispatcher can add EMS. The
flag is raised by the call-taker's `injuries: yes` or by the narrative (hurt, bleeding,
unresponsive, not breathing, overdose, seizure...), with negation respected: "no
injuries", "not hurt", "denies injuries" and "no medical needed" raise nothing.

Choices: a danger in words only ("says he will overdose", "thoughts of hurting
himself", "history of seizures") is not a medical need now; an attempt or an injury is
("took all her pills", "cut his wrists", "shot himself"). Someone "passed out" or
"keeps falling down" is flagged: unresponsive or at risk of injury.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from data.schema import CallRecord
from model.negation import typo_variants
from model.phrases import PhraseMatcher
from model.regex_trie import compact_alternation


def _slips(*words: str) -> str:
    """The words, or a one-keystroke slip of them ("bleeidng", "unresponsve")."""
    return compact_alternation(sorted({v for word in words for v in typo_variants(word, 6)}))


_SELF = r"(?:him|her|them|my|your|it)sel(?:f|ves)|self"
_BODY = (r"(?:head|face|back|arm|arms|leg|legs|knee|ankle|wrist|wrists|hand|hands|foot|feet|"
         r"neck|shoulder|hip|ribs?|eye|eyes|nose|lip|mouth|jaw|finger|fingers|chest|stomach|"
         r"throat|skin)")

PATTERNS: tuple[str, ...] = (
    # hurt, injured, bleeding, wounds
    _slips("injured", "injuries", "injury", "bleeding") + "|injur(?:y|ies|ed|ing)",
    r"(?:is|are|was|were|got|gets|get|getting|been|being|seriously|badly|very|really|"
    r"pretty|and|someone|somebody|anyone|he's|she's|they're) hurt(?! feelings)",
    rf"hurt(?:s|ing)? (?:{_SELF}|(?:his|her|their|my) {_BODY})",
    r"(?:victims?|caller|reporting party|complainant|patient|staff|clerk|subject|s1|driver|"
    r"child|kid|baby|people) (?:was |is |got )?hurt(?! feelings)",
    r"blood(?:y)?(?! (?:sugar|pressure|alcohol|relatives?|brothers?|mary|work|test|tests|"
    r"draw|type|bank|line|shot))|bled|blood all over",
    rf"(?:has|have|had|with|got|a|small|big|deep|bad|several|multiple) (?:[a-z]+ )?cuts?"
    rf"(?! (?:off|out|class|school|in line|ties|him off|her off))|cuts? (?:on|to|above|below|"
    rf"across|in) (?:his|her|their|the|my) {_BODY}",
    rf"(?:cut|cutting|slit|slitting) (?:{_SELF}|(?:his|her|their|my) (?:own )?{_BODY})",
    r"wound(?:s|ed)?(?! (?:up|tight|down))|lacerat\w*|fractur\w*|concussion|bruis\w*|swollen|"
    r"black eye|bloody nose|broken (?:bones?|arm|leg|nose|ribs?|wrist|ankle|jaw|hand|finger)|"
    r"(?:severe |bad )?burns (?:on|to)|burned (?:his|her|their|my) " + _BODY,
    r"(?:was|were|got|get|been|being|is|just|has been) (?:stabbed|shot|beaten|beat up|"
    r"pistol[- ]whipped|run over|hit by (?:a |the )?(?:car|vehicle|truck|bus|train))|"
    r"stabbed|gunshot|stab wounds?|shot (?:" + _SELF + r"|in the)",
    r"hit (?:his|her|their|my) head|head (?:injury|wound|trauma)|fell|(?:took|had|has taken) "
    r"a (?:bad |hard )?fall|fallen|falling down",
    # unresponsive, not breathing
    _slips("unresponsive", "unconscious", "nonresponsive", "non-responsive"),
    r"passed out|(?:not|isn't|isnt|barely|stopped|trouble|difficulty|hard time|struggling to|"
    r"can't|cant|cannot|unable to) breath(?:e|ing)|short(?:ness)? of breath|not responding|"
    r"not responsive|won't wake(?: up)?|wont wake(?: up)?|can't wake|cant wake|unable to wake|"
    r"slumped over|collapsed|fainted|turning blue|foaming at the mouth|cpr",
    # overdose, poisoning
    _slips("overdose", "overdosing", "overdosed") + r"|overdos\w*|narcan|naloxone",
    r"took (?:too many|a bunch of|a handful of|all (?:of )?(?:his|her|their|my|the)|a whole "
    r"bottle of|a bottle of) (?:[a-z]+ )?(?:pills|meds|medications?|tablets)|swallowed (?:[a-z]+ )"
    r"{0,2}(?:pills|meds|bleach|poison|chemicals?|batteries)|(?:drank|drinking|ingested) "
    r"(?:bleach|antifreeze|poison|chemicals?)|ingested",
    # other emergencies
    _slips("seizure", "seizures", "seizing") + r"|convuls\w*",
    r"chest pains?|heart attack|having a stroke|stroke symptoms|diabetic (?:emergency|shock|"
    r"episode)|low blood sugar|blood sugar (?:is )?(?:low|high|crashing|dropping)|"
    r"insulin shock|allergic reaction|anaphyla\w*|choking on|"
    r"hypotherm\w*|frostbite|heat ?stroke|vomiting blood|coughing (?:up )?blood|in labou?r",
    _slips("medical") + r" (?:attention|help|emergency|assistance|needed|issue|call|distress)|"
    r"needs? (?:an? )?(?:ambulance|ems|medic|medics|paramedics)|"
    r"(?:requesting|request|requests|req|reqs|wants|needs?) (?:an? )?(?:ambulance|ems|medical)",
)
IGNORE: tuple[str, ...] = (
    r"bad blood|bloodshot|blood alcohol|in cold blood|bloody mary",
    r"hurt (?:his|her|their|my) feelings|feelings (?:are|were|got) hurt",
    r"wound up|fell (?:asleep|behind|apart|through|for|in love|off the wagon|out with|short)",
    r"(?:flu|covid|booster|vaccine) shot",
)
#: Words right before a phrase that make it a danger, not a need now.
NOT_YET: tuple[str, ...] = (
    r"(?:will|'ll|would|could|might|may|going to|gonna|wants? to|wanted to|about to|"
    r"plans? to|planning to|threaten(?:s|ed|ing)? to|try to|thoughts? of|thinking (?:about|of)|"
    r"talking about|urge to|says? (?:he|she|they) (?:will|might|wants to)|afraid (?:of|to)|"
    r"scared (?:of|to)|history of|hx of|risk of|prone to)(?: [a-z']+){0,2}",
)
NOT_NOW: tuple[str, ...] = (
    r"history|hx|disorder|epilep\w*|prone|in the past|years ago|last (?:year|month)|"
    r"used to|previous(?:ly)?|prior",
)

MATCHER = PhraseMatcher.build(PATTERNS, ignore=IGNORE, unless_clause=NOT_NOW,
                              unless_before=NOT_YET)


def medical_evidence(normalised: str) -> str | None:
    """The narrative phrase that advises medical help, or None."""
    return MATCHER.evidence(normalised)


def medical_advised(record: CallRecord, normalised: str) -> bool:
    """Whether medical help should be advised for one call (see the module docstring)."""
    if record.questionnaire.injuries == "yes":
        return True
    return medical_evidence(normalised) is not None


def medical_advised_frame(frame: pd.DataFrame, normalised: Sequence[str]) -> list[bool]:
    """`medical_advised` for every row of a frame in the file layout (`q_injuries`)."""
    if len(normalised) != len(frame):
        raise ValueError(f"{len(frame)} rows but {len(normalised)} normalised narratives")
    if "q_injuries" in frame.columns:
        answers = frame["q_injuries"].astype("string").str.strip().str.lower()
        injured = (answers == "yes").fillna(False).to_numpy(dtype=bool)
    else:
        injured = np.zeros(len(frame), dtype=bool)
    return [bool(hurt) or medical_evidence(text) is not None
            for hurt, text in zip(injured.tolist(), normalised, strict=True)]
