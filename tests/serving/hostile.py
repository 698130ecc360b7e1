"""Hypothesis strategies for hostile call records: huge, empty, control characters, mixed
scripts and directions, SQL / HTML / template / header injection text.

Records are JSON-ready dicts (what a CAD system could send); some are invalid on
purpose (blank narratives, over-long fields, NUL characters), so a test must either
expect the 422 or validate first with `valid_record`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st
from pydantic import ValidationError

from data.schema import QUESTION_KEYS, CallRecord

SCRIPTS = [
    "Мужчина спит у входа, агрессии нет",          # Cyrillic
    "رجل نائم عند مدخل المبنى ولا يحمل سلاحا",     # Arabic (right to left)
    "男子在大楼门口睡觉，没有武器",                   # Chinese
    "तीसरी मंजिल पर एक आदमी चिल्ला रहा है",            # Devanagari
    "🚑🔪😡👮‍♀️🏳️‍🌈",                                # emoji, ZWJ sequences
    "e\u0301\u0301\u0301 Z\u0335\u0321\u0358algo",   # combining marks
    "\u202eGNP DETAERHT\u202c \u2066isolate\u2069",  # bidi overrides
    "zero\u200bwidth\u200djoiner\u2060word\ufeff",   # invisible characters
    "ǅ ß ﬁ İ ı K Å",                                # case-mapping traps
    "𝓜𝓪𝓷 𝔀𝓲𝓽𝓱 𝓰𝓾𝓷",                                # mathematical letters
    "ＷＥＡＰＯＮ ｇｕｎ",                               # full-width letters
]
INJECTIONS = [
    "'; DROP TABLE decisions; --",
    "\" OR 1=1 --",
    "1); UPDATE chain_heads SET seq=0; --",
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "</div><form action=//evil>",
    "javascript:alert(1)",
    "{{7*7}} {% raw %} ${7*7} #{7*7} %s %n %x {0}",
    "=HYPERLINK(\"http://evil\",\"x\") +cmd|' /C calc'!A0 @SUM(1)",
    "\r\nSet-Cookie: session=stolen\r\n",
    "../../../../etc/passwd",
    "\\u0000 \\x00 %00",
    "]]><!--",
    "gun gun gun knife shoot kill",
    "not armed no weapon denies weapons no gun",
]
CONTROL = st.characters(codec="utf-8", min_codepoint=1, max_codepoint=0x1F) | \
    st.characters(min_codepoint=0x7F, max_codepoint=0x9F)
WORDS = st.sampled_from(["man", "sleeping", "vestibule", "yelling", "knife", "welfare",
                         "check", "RP", "STS", "SUBJ", "NO WEAPONS", "intox", "suicidal"])

#: Pieces of hostile text, joined into narratives.
PIECES = st.one_of(st.sampled_from(SCRIPTS), st.sampled_from(INJECTIONS), WORDS,
                   st.text(CONTROL, min_size=1, max_size=5), st.text(max_size=40))


@st.composite
def huge(draw: st.DrawFn) -> str:
    """Long narratives up to the contract's 10,000 characters (ASCII or not)."""
    seed = draw(st.sampled_from([*SCRIPTS, *INJECTIONS, "a", " \t\n", "x" * 97]))
    size = draw(st.integers(min_value=1000, max_value=10_000))
    return (seed * (size // max(len(seed), 1) + 1))[:size]


NARRATIVES = st.one_of(
    st.lists(PIECES, min_size=1, max_size=25).map(" ".join),
    st.text(min_size=1, max_size=300),
    huge(),
    st.sampled_from(["", " ", "\t\n", "\u3000", "x" * 10_001]),  # invalid on purpose
)
ANSWERS = st.sampled_from(["yes", "no", "unknown", "YES", " No ", ""]) | st.none()
TIMES = st.none() | st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1),
    timezones=st.just(UTC) | st.builds(lambda m: timezone(timedelta(minutes=m)),
                                       st.integers(min_value=-23 * 60, max_value=23 * 60)),
).map(lambda moment: moment.isoformat())


@st.composite
def calls(draw: st.DrawFn) -> dict[str, Any]:
    """One hostile call record as JSON-ready data."""
    call: dict[str, Any] = {
        "call_id": draw(st.one_of(st.text(min_size=1, max_size=64),
                                  st.sampled_from(INJECTIONS).map(lambda s: s[:64]))),
        "narrative": draw(NARRATIVES),
    }
    answers = draw(st.fixed_dictionaries({}, optional={key: ANSWERS for key in QUESTION_KEYS}))
    if answers:
        call["questionnaire"] = answers
    for name, size in (("call_type", 200), ("district", 64)):
        value = draw(st.none() | st.text(max_size=size) | st.sampled_from(INJECTIONS))
        if value is not None:
            call[name] = value[:size]
    received = draw(TIMES)
    if received is not None:
        call["received_at"] = received
    return call


def valid_record(call: dict[str, Any]) -> CallRecord | None:
    """The record if the contract accepts it, else None."""
    try:
        return CallRecord.model_validate(call)
    except ValidationError:
        return None
