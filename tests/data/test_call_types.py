"""The call-type taxonomy: aliases, APCO codes and unseen real-city strings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from data.call_types import (
    APCO_GROUP,
    CALL_TYPE_GROUPS,
    GROUPS,
    OTHER,
    aliases,
    canonical_call_type,
)

APCO_FILE = Path(__file__).resolve().parents[3] / "shared" / "data" / (
    "apco_common_incident_types_2.103.2-2019.csv")


def test_every_alias_maps_to_its_own_group() -> None:
    for group in CALL_TYPE_GROUPS:
        for alias in aliases(group):
            assert canonical_call_type(alias) == group, alias


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("MENTAL SUBJ", "MENTAL_HEALTH"),
        ("PSYCH PATIENT", "MENTAL_HEALTH"),
        ("mntl - mental person non-violent", "MENTAL_HEALTH"),
        ("10 96", "MENTAL_HEALTH"),
        ("SUICIDAL PERSON", "SUICIDE"),
        ("suicidal subj w/ knife", "WEAPON"),
        ("CHECK THE WELFARE", "WELFARE"),
        ("WELFARE CK", "WELFARE"),
        ("DRUNK SUBJECT", "INTOX"),
        ("intoxicated driver", "TRAFFIC_IMPAIRED"),
        ("ASSLT", "FIGHT_ASSAULT"),
        ("FIGHT IP", "FIGHT_ASSAULT"),
        ("SHOTS HEARD", "SHOOTING"),
        ("person w/ gun", "SHOOTING"),
        ("Domestic non-violent", "DOMESTIC_NONVIOLENT"),
        ("DOMESTIC IN-PROGRESS", "DOMESTIC_VIOLENT"),
        ("B & E", "BURGLARY_ROBBERY"),
        ("CAR BREAK-IN", "THEFT"),
        ("UNWANTED SUBJ AT BUSINESS", "TRESPASS"),
        ("aggressive panhandler", "PANHANDLING"),
        ("WIRES DOWN", OTHER),
        ("zzz", OTHER),
    ],
)
def test_unseen_strings_map_by_tokens(text: str, group: str) -> None:
    assert canonical_call_type(text) == group


@pytest.mark.parametrize("text", [None, "", "   ", " - "])
def test_missing_call_type_is_none_not_other(text: str | None) -> None:
    assert canonical_call_type(text) is None


def test_case_and_punctuation_do_not_matter() -> None:
    assert canonical_call_type("welfare-check!") == canonical_call_type("WELFARE CHECK")


def test_apco_codes_exist_in_the_reference_list() -> None:
    if not APCO_FILE.is_file():
        pytest.skip(f"reference list not found at {APCO_FILE}")
    with APCO_FILE.open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert set(APCO_GROUP) <= codes, sorted(set(APCO_GROUP) - codes)
    assert all(canonical_call_type(code) == group for code, group in APCO_GROUP.items())


def test_groups_are_named_and_other_is_last() -> None:
    assert CALL_TYPE_GROUPS[-1] == OTHER
    assert {"MENTAL_HEALTH", "SUICIDE", "WELFARE", "SHOOTING"} <= set(GROUPS)
