"""The columns around the narrative: CAD call type, time received, district.

Vectorised with numpy where a column does not depend on the text. The time window is
fixed (two years from 2024-07-01 UTC), so a seed gives the same file on any day.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from data.call_types import APCO_GROUP, CALL_TYPE_GROUPS, OTHER, aliases

WINDOW_START = pd.Timestamp("2024-07-01T00:00:00Z")
WINDOW_DAYS = 730
DISTRICTS = ("D1", "D2", "D3", "D4", "D5")
DISTRICT_SHARES = (0.25, 0.22, 0.20, 0.18, 0.15)
#: Calls per hour of day (relative): quiet before dawn, busiest in the evening.
HOURLY = np.array([3.0, 2.4, 2.0, 1.6, 1.3, 1.2, 1.5, 2.2, 3.0, 3.6, 4.0, 4.3, 4.5, 4.6,
                   4.8, 5.0, 5.3, 5.6, 5.8, 5.7, 5.3, 4.8, 4.2, 3.6])
#: Calls per weekday (Monday first): more on Fridays and weekends.
WEEKLY = np.array([0.95, 0.93, 0.95, 0.98, 1.08, 1.12, 1.02])

CALL_TYPE_MISSING = 0.07
CALL_TYPE_WRONG = 0.06
_HASTY = ("DISTURBANCE", "WELFARE", "SUSPICIOUS", "MENTAL_HEALTH", "TRESPASS", OTHER)
_OTHER_STRINGS = ("UNKNOWN PROBLEM", "ASSIST CITIZEN", "INFO", "CALL FOR SERVICE",
                  "911 HANG UP", "UNK TROUBLE", "CITIZEN ASSIST", "MISC")
_APCO_BY_GROUP: dict[str, tuple[str, ...]] = {}
for _code, _group in APCO_GROUP.items():
    _APCO_BY_GROUP.setdefault(_group, ())
    _APCO_BY_GROUP[_group] += (_code,)


def received_seconds(rng: np.random.Generator, size: int) -> np.ndarray:
    """Seconds after `WINDOW_START` over two years, with a daily and a weekly rhythm."""
    days = np.arange(WINDOW_DAYS)
    weekday = (days + WINDOW_START.weekday()) % 7
    day_p = WEEKLY[weekday] / WEEKLY[weekday].sum()
    day = rng.choice(WINDOW_DAYS, size=size, p=day_p)
    hour = rng.choice(24, size=size, p=HOURLY / HOURLY.sum())
    return day * 86_400 + hour * 3_600 + rng.integers(0, 3_600, size=size)


def as_times(seconds: np.ndarray) -> pd.Series:
    """`received_seconds` as UTC timestamps."""
    return pd.Series(WINDOW_START + pd.to_timedelta(seconds, unit="s"))


def as_iso_strings(seconds: np.ndarray) -> list[str]:
    """`received_seconds` as `2024-07-01T13:05:09Z`, as the CSV files spell times.

    numpy formats a whole array in one call, where `strftime` per timestamp would cost
    more than a tenth of the time it takes to generate the calls themselves.
    """
    start = np.datetime64(WINDOW_START.tz_localize(None), "s")
    texts = np.datetime_as_string(start + seconds.astype("timedelta64[s]"), unit="s")
    return [text + "Z" for text in texts.tolist()]


def received_times(rng: np.random.Generator, size: int) -> pd.Series:
    """UTC times over two years with a daily and a weekly rhythm."""
    return as_times(received_seconds(rng, size))


def districts(rng: np.random.Generator, size: int) -> np.ndarray:
    """District D1..D5, unevenly busy."""
    return np.asarray(DISTRICTS, dtype=object)[rng.choice(5, size=size, p=DISTRICT_SHARES)]


def call_type(groups: tuple[str, ...], rng: random.Random) -> str | None:
    """A CAD nature string for a call whose likely groups are `groups`.

    Sometimes missing, sometimes a hasty wrong pick, sometimes the APCO code itself or
    "CODE - TEXT" as some CAD systems print it.
    """
    roll = rng.random()
    if roll < CALL_TYPE_MISSING:
        return None
    hasty = roll < CALL_TYPE_MISSING + CALL_TYPE_WRONG
    group = rng.choice(_HASTY) if hasty else rng.choice(groups)
    if group == OTHER:
        return rng.choice(_OTHER_STRINGS)
    codes = _APCO_BY_GROUP.get(group, ())
    text = rng.choice(aliases(group))
    style = rng.random()
    if codes and style < 0.08:
        return f"{rng.choice(codes)} - {text}"
    if style < 0.12:
        return text.title()
    return text


assert set(_HASTY) <= set(CALL_TYPE_GROUPS)
