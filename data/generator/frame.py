"""Generate a history as DataFrames, chunk by chunk, each chunk seeded on its own.

Chunk `i` always covers rows `i*CHUNK_ROWS ...` and draws from a seed derived from
(master seed, i), so the same seed gives the same rows however many processes
generate the chunks, and a chunk can be produced without the ones before it.
"""

from __future__ import annotations

import bisect
import itertools
import random

import numpy as np
import pandas as pd

from data.generator.columns import call_type, districts, received_times
from data.generator.compose import compose_call
from data.generator.facts import label_for, rank
from data.generator.mix import validate_label_noise, validate_mix
from data.generator.questionnaire import answer
from data.generator.scenarios import BY_LABEL, escalations
from data.generator.styles import STYLE_SHARES, STYLES
from data.schema import QUESTION_KEYS, RESPONDERS
from data.table import LABEL_COLUMN, Q_COLUMNS, RECORD_COLUMNS

CHUNK_ROWS = 10_000
#: Share of co-response and police calls that start lower and escalate in an update.
ESCALATED_SHARE = 0.12
EXTRA_COLUMNS: tuple[str, ...] = ("style", "scenario", "label_noised")
FACT_COLUMNS: tuple[str, ...] = ("facts_before", "facts_final")

_FLOOR = {"weapons": 1, "threats": 1, "violence": 2, "crime_in_progress": 2}


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


_SCENARIO_TABLE = {label: (scenarios, _cumulative([s.weight for s in scenarios]))
                   for label, scenarios in BY_LABEL.items()}
_ESCALATIONS = {label: escalations(label) for label in ("co_response", "police")}


def _pick(table, rng: random.Random):
    items, cumulative = table
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _questionnaire_floor(answers: list[str]) -> int:
    return max((level for key, level in _FLOOR.items()
                if answers[QUESTION_KEYS.index(key)] == "yes"), default=0)


def _noisy(label: str, answers: list[str], rng: random.Random) -> str:
    """Move a label one step (never below what the questionnaire's `yes` answers demand)."""
    position = rank(label)
    step = rng.choice((-1, 1)) if position == 1 else (1 if position == 0 else -1)
    moved = position + step
    if moved < _questionnaire_floor(answers):
        return label
    return RESPONDERS[moved]


def generate_chunk(seed: int, index: int, size: int, mix: dict[str, float] | None = None,
                   label_noise: float = 0.02, *, with_facts: bool = False) -> pd.DataFrame:
    """Rows `index*CHUNK_ROWS ...` (`size` of them) of the history for `seed`."""
    shares = validate_mix(mix)
    label_noise = validate_label_noise(label_noise)
    sequence = np.random.SeedSequence([seed & 0xFFFFFFFF, index])
    nrng = np.random.default_rng(sequence)
    rng = random.Random(int.from_bytes(sequence.generate_state(4).tobytes(), "little"))
    labels = nrng.choice(3, size=size, p=[shares[name] for name in RESPONDERS])
    styles = nrng.choice(len(STYLES), size=size, p=STYLE_SHARES)

    start = index * CHUNK_ROWS
    columns: dict[str, list] = {name: [] for name in
                                ("call_id", "narrative", "call_type", LABEL_COLUMN,
                                 "scenario", "label_noised", *FACT_COLUMNS)}
    answers_by_key: list[list[str]] = [[] for _ in QUESTION_KEYS]
    for row in range(size):
        target = RESPONDERS[labels[row]]
        escalation = None
        if target != "heart" and rng.random() < ESCALATED_SHARE:
            scenario, escalation = rng.choice(_ESCALATIONS[target])
        else:
            scenario = _pick(_SCENARIO_TABLE[target], rng)
        call = compose_call(scenario, STYLES[styles[row]], escalation, rng)
        label = label_for(call.facts_final)
        answers = answer(call.facts_before, rng)
        noised = label_noise > 0 and rng.random() < label_noise
        if noised:
            new_label = _noisy(label, answers, rng)
            noised = new_label != label
            label = new_label
        columns["call_id"].append(f"C{seed}-{start + row + 1:07d}")
        columns["narrative"].append(call.narrative)
        columns["call_type"].append(call_type(scenario.call_types, rng))
        columns[LABEL_COLUMN].append(label)
        columns["scenario"].append(scenario.name + (f"+{escalation}" if escalation else ""))
        columns["label_noised"].append(noised)
        columns["facts_before"].append(" ".join(sorted(call.facts_before)))
        columns["facts_final"].append(" ".join(sorted(call.facts_final)))
        for position, value in enumerate(answers):
            answers_by_key[position].append(value)

    frame = pd.DataFrame({
        "call_id": columns["call_id"],
        "narrative": columns["narrative"],
        **{column: answers_by_key[i] for i, column in enumerate(Q_COLUMNS)},
        "call_type": columns["call_type"],
        "received_at": received_times(nrng, size).to_numpy(),
        "district": districts(nrng, size),
        LABEL_COLUMN: columns[LABEL_COLUMN],
        "style": np.asarray(STYLES, dtype=object)[styles],
        "scenario": columns["scenario"],
        "label_noised": columns["label_noised"],
    })
    frame["received_at"] = pd.to_datetime(frame["received_at"], utc=True)
    if with_facts:
        frame["facts_before"] = columns["facts_before"]
        frame["facts_final"] = columns["facts_final"]
    return frame[[*RECORD_COLUMNS, LABEL_COLUMN, *EXTRA_COLUMNS,
                  *(FACT_COLUMNS if with_facts else ())]]


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
