"""Generate a history chunk by chunk, each chunk seeded on its own.

Chunk `i` always covers rows `i*CHUNK_ROWS ...` and draws from a seed derived from
(master seed, i), so the same seed gives the same rows however many processes
generate the chunks, and a chunk can be produced without the ones before it.

A chunk is first a set of plain columns (`generate_columns`); `generate_chunk` makes
the DataFrame of them and `chunk_csv` the CSV text, which worker processes produce
directly so that neither a DataFrame nor pandas' CSV writer sits on the path of a
large CSV history.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from data.generator.columns import as_iso_strings, as_times, call_type, districts, received_seconds
from data.generator.compose import compose_call
from data.generator.facts import label_for, rank
from data.generator.mix import validate_label_noise, validate_mix
from data.generator.questionnaire import answer_table
from data.generator.rng import Rng
from data.generator.scenarios import BY_LABEL, Scenario, escalations
from data.generator.styles import STYLE_SHARES, STYLES
from data.schema import QUESTION_KEYS, RESPONDERS
from data.table import LABEL_COLUMN, Q_COLUMNS, RECORD_COLUMNS

CHUNK_ROWS = 10_000
#: Share of co-response and police calls that start lower and escalate in an update.
ESCALATED_SHARE = 0.12
EXTRA_COLUMNS: tuple[str, ...] = ("style", "scenario", "label_noised")
FACT_COLUMNS: tuple[str, ...] = ("facts_before", "facts_final")
#: How the CSV files write times (pandas' `date_format` spelling of `as_iso_strings`).
CSV_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_FLOOR = {"weapons": 1, "threats": 1, "violence": 2, "crime_in_progress": 2}

Columns = dict[str, Any]  # column name -> list or array, in file order


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


_SCENARIO_TABLE = {label: (scenarios, _cumulative([s.weight for s in scenarios]))
                   for label, scenarios in BY_LABEL.items()}
_ESCALATIONS = {label: escalations(label) for label in ("co_response", "police")}


def _pick(table, rng: random.Random):
    items, cumulative = table
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _questionnaire_floor(answers: Sequence[str]) -> int:
    return max((level for key, level in _FLOOR.items()
                if answers[QUESTION_KEYS.index(key)] == "yes"), default=0)


def _noisy(label: str, answers: Sequence[str], rng: random.Random) -> str:
    """Move a label one step (never below what the questionnaire's `yes` answers demand)."""
    position = rank(label)
    step = rng.choice((-1, 1)) if position == 1 else (1 if position == 0 else -1)
    moved = position + step
    if moved < _questionnaire_floor(answers):
        return label
    return RESPONDERS[moved]


@cache
def _label(facts: frozenset[str]) -> str:
    """`label_for`, memoised: a few dozen fact sets ever occur."""
    return label_for(facts)


def _scenario(target: str, rng: Rng) -> tuple[Scenario, str | None]:
    """A scenario for a call labelled `target`, and the update kind that escalates it."""
    if target != "heart" and rng.random() < ESCALATED_SHARE:
        return rng.choice(_ESCALATIONS[target])
    return _pick(_SCENARIO_TABLE[target], rng), None


def _calls(labels: np.ndarray, styles: np.ndarray, rng: Rng) -> Columns:
    """The text-bearing columns, one call at a time (the loop that costs the time), and
    each call's facts before and after its updates."""
    names = ("narrative", "call_type", LABEL_COLUMN, "scenario", *FACT_COLUMNS)
    columns: Columns = {name: [] for name in names}
    narratives, call_types, responders, scenarios, before, final = (
        columns[name].append for name in names)
    for target, style in zip(labels.tolist(), styles.tolist(), strict=True):
        scenario, escalation = _scenario(RESPONDERS[target], rng)
        call = compose_call(scenario, STYLES[style], escalation, rng)
        narratives(call.narrative)
        call_types(call_type(scenario.call_types, rng))
        responders(_label(call.facts_final))
        scenarios(f"{scenario.name}+{escalation}" if escalation else scenario.name)
        before(call.facts_before)
        final(call.facts_final)
    return columns


def _add_label_noise(columns: Columns, answers: np.ndarray, label_noise: float,
                     nrng: np.random.Generator, rng: Rng) -> None:
    """Move a `label_noise` share of labels one step, never below the answers' floor."""
    noised = [False] * len(answers)
    labels = columns[LABEL_COLUMN]
    if label_noise > 0:
        for row in np.flatnonzero(nrng.random(len(answers)) < label_noise).tolist():
            label = _noisy(labels[row], answers[row], rng)
            noised[row] = label != labels[row]
            labels[row] = label
    columns["label_noised"] = noised


def generate_columns(seed: int, index: int, size: int, mix: dict[str, float] | None = None,
                     label_noise: float = 0.02, *, with_facts: bool = False) -> Columns:
    """Rows `index*CHUNK_ROWS ...` (`size` of them) of the history for `seed`, as columns
    in file order; `received_at` holds seconds after `columns.WINDOW_START`."""
    shares = validate_mix(mix)
    label_noise = validate_label_noise(label_noise)
    sequence = np.random.SeedSequence([seed & 0xFFFFFFFF, index])
    nrng = np.random.default_rng(sequence)
    rng = Rng(int.from_bytes(sequence.generate_state(4).tobytes(), "little"))
    labels = nrng.choice(3, size=size, p=[shares[name] for name in RESPONDERS])
    styles = nrng.choice(len(STYLES), size=size, p=STYLE_SHARES)
    columns = _calls(labels, styles, rng)
    answers = answer_table(columns["facts_before"], nrng)
    columns.update((name, answers[:, position].tolist())
                   for position, name in enumerate(Q_COLUMNS))
    _add_label_noise(columns, answers, label_noise, nrng, rng)
    start = index * CHUNK_ROWS
    columns["call_id"] = [f"C{seed}-{row:07d}" for row in range(start + 1, start + size + 1)]
    columns["received_at"] = received_seconds(nrng, size)
    columns["district"] = districts(nrng, size)
    columns["style"] = np.asarray(STYLES, dtype=object)[styles]
    if with_facts:
        for name in FACT_COLUMNS:
            columns[name] = [" ".join(sorted(facts)) for facts in columns[name]]
    return {name: columns[name] for name in (*RECORD_COLUMNS, LABEL_COLUMN, *EXTRA_COLUMNS,
                                             *(FACT_COLUMNS if with_facts else ()))}


def generate_chunk(seed: int, index: int, size: int, mix: dict[str, float] | None = None,
                   label_noise: float = 0.02, *, with_facts: bool = False) -> pd.DataFrame:
    """Rows `index*CHUNK_ROWS ...` (`size` of them) of the history for `seed`."""
    columns = generate_columns(seed, index, size, mix, label_noise, with_facts=with_facts)
    columns["received_at"] = as_times(columns["received_at"]).to_numpy()
    frame = pd.DataFrame(columns)
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True)
    return frame


def chunk_csv(seed: int, index: int, size: int, mix: dict[str, float] | None = None,
              label_noise: float = 0.02, *, with_facts: bool = False,
              header: bool = False) -> bytes:
    """The same rows as `generate_chunk`, as the UTF-8 CSV text that `DataFrame.to_csv`
    writes for them (`index=False`, `date_format=CSV_DATE_FORMAT`)."""
    columns = generate_columns(seed, index, size, mix, label_noise, with_facts=with_facts)
    columns["received_at"] = as_iso_strings(columns["received_at"])
    fields = [_csv_column(values) for values in columns.values()]
    lines = map(",".join, zip(*fields, strict=True))
    head = ",".join(map(_csv_field, columns)) + "\n" if header else ""
    return (head + "\n".join(lines) + "\n").encode()


def _csv_field(value: str | bool | None) -> str:
    """One value as `csv.writer` (and so pandas) writes it with minimal quoting; a
    carriage return, which `csv.writer` would leave bare, is quoted too.

    Done here rather than by `csv.writer`, which looks every character of every field
    up in the line terminator: a tenth of the time it takes to generate the calls.
    """
    if value is None:
        return ""
    text = value if value.__class__ is str else str(value)
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def _csv_column(values: list | np.ndarray) -> list[str]:
    """`_csv_field` of each value; a column of few distinct values is quoted once each."""
    if len(values) > 64:
        distinct = set(values)
        if len(distinct) <= len(values) // 8:
            quoted = {value: _csv_field(value) for value in distinct}
            return [quoted[value] for value in values]
    return [_csv_field(value) for value in values]


def chunk_sizes(rows: int) -> list[tuple[int, int]]:
    """(chunk index, size) pairs covering `rows` rows."""
    full, rest = divmod(rows, CHUNK_ROWS)
    sizes = [(index, CHUNK_ROWS) for index in range(full)]
    if rest:
        sizes.append((full, rest))
    return sizes


def generate_frame(rows: int, seed: int = 0, mix: dict[str, float] | None = None,
                   label_noise: float = 0.02, *, with_facts: bool = False) -> pd.DataFrame:
    """A synthetic history of `rows` calls in the file layout, plus `responder`, `style`,
    `scenario` and `label_noised` (and the facts, for tests, with `with_facts`)."""
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    frames = [generate_chunk(seed, index, size, mix, label_noise, with_facts=with_facts)
              for index, size in chunk_sizes(rows)]
    return pd.concat(frames, ignore_index=True)
