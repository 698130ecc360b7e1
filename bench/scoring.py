"""In-process scoring figures: batch (`decide_frame`) and single decisions (`decide`).

Both use one Recommender fitted with `Recommender.fit` on a validated history of
`model_rows` calls (seed 7) and score calls generated from another seed, so every
narrative is new to the model. Rules are applied in both; only `decide` explains.
"""

from __future__ import annotations

import statistics
import time
from functools import cache
from pathlib import Path
from typing import Any

from rich.progress import Progress

from bench import machine
from bench.config import Config
from bench.data import fitted_recommender, held_out_frame, held_out_records
from bench.profile import breakdown, summary
from bench.results import Section, percentile
from data.parallel import cpu_workers

BATCH_TARGET = 50_000  # records per second
MEDIAN_TARGET_MS = 1.0
WARM_UP = 200
PROFILE_ROWS = 5_000


@cache
def _model(work_dir: Path, rows: int) -> tuple[Any, dict[str, Any]]:
    return fitted_recommender(work_dir, rows)


def model_for(config: Config, progress: Progress, section: Section) -> Any:
    task = progress.add_task(f"{section.name}: fitting a model on {config.model_rows:,} rows",
                             total=1)
    recommender, info = _model(config.work_dir, config.model_rows)
    progress.update(task, completed=1)
    section.details["model"] = info
    section.notes.append(f"model: Recommender.fit on {info['train_rows']:,} validated rows "
                         f"({info['n_features']} features)")
    return recommender


def run_batch(config: Config, progress: Progress) -> Section:
    section = Section("batch", config.mode, machine.describe())
    recommender = model_for(config, progress, section)
    rows = config.batch_rows
    frame = held_out_frame(rows)
    recommender.decide_frame(frame.head(1000))  # warm-up
    cores = cpu_workers()
    timings: dict[int, dict[str, Any]] = {}
    for workers in sorted({1, cores}):
        task = progress.add_task(f"batch: decide_frame on {rows:,} calls, {workers} "
                                 f"process(es)", total=config.batch_repeats)
        times, cpu = [], []
        for _ in range(config.batch_repeats):
            started, cpu_started = time.perf_counter(), time.process_time()
            decisions = recommender.decide_frame(frame, workers=workers)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            progress.advance(task)
        assert len(decisions) == rows
        timings[workers] = {"seconds": times, "cpu_seconds_parent": cpu,
                            "median_seconds": statistics.median(times),
                            "records_per_second": rows / statistics.median(times)}
    best = timings[cores]
    rate = best["records_per_second"]
    section.add("records_per_second",
                f"decide_frame, {rows:,} calls, rules, no explanation, {cores} processes",
                rate, "rec/s", target=f"≥ {BATCH_TARGET:,} rec/s", met=rate >= BATCH_TARGET,
                note=f"{best['median_seconds']:.2f} s per run")
    if cores > 1:
        one = timings[1]
        section.add("records_per_second_one_process",
                    f"decide_frame, {rows:,} calls, one process", one["records_per_second"],
                    "rec/s", note=f"{one['median_seconds']:.2f} s per run")
    sample = frame.head(min(PROFILE_ROWS, rows))
    profile = breakdown(lambda: recommender.decide_frame(sample), "_decide_chunk")
    section.details.update({"rows": rows, "by_workers": timings,
                            "overridden_share": float((decisions["overrides"] != "").mean()),
                            "profile": profile})
    section.notes.append(f"decide_frame time (one process) goes to: {summary(profile)}")
    return section.finish()


def run_latency(config: Config, progress: Progress) -> Section:
    section = Section("latency", config.mode, machine.describe())
    recommender = model_for(config, progress, section)
    records = held_out_records(config.latency_records)
    task = progress.add_task(f"latency: decide() on {len(records):,} calls", total=2)
    for record in records[:WARM_UP]:
        recommender.decide(record, explain=True)
    figures: dict[str, dict[str, float]] = {}
    for explain in (True, False):
        elapsed = []
        for record in records:
            started = time.perf_counter_ns()
            recommender.decide(record, explain=explain)
            elapsed.append((time.perf_counter_ns() - started) / 1e6)
        figures["with_explanation" if explain else "without_explanation"] = {
            "median_ms": statistics.median(elapsed), "p90_ms": percentile(elapsed, 90),
            "p99_ms": percentile(elapsed, 99), "max_ms": max(elapsed), "n": len(elapsed)}
        progress.advance(task)
    explained = figures["with_explanation"]
    section.add("median_ms", f"decide(record) with explanation, median of {len(records):,}",
                explained["median_ms"], "ms", target=f"< {MEDIAN_TARGET_MS:g} ms",
                met=explained["median_ms"] < MEDIAN_TARGET_MS)
    section.add("p99_ms", "decide(record) with explanation, p99", explained["p99_ms"], "ms")
    section.add("median_ms_no_explanation", "decide(record) without explanation, median",
                figures["without_explanation"]["median_ms"], "ms")
    profile = breakdown(lambda: [recommender.decide(r) for r in records[:500]], "decide")
    section.details.update({"records": len(records), "warm_up": WARM_UP, **figures,
                            "profile": profile})
    section.notes.append(f"decide time goes to: {summary(profile)}")
    return section.finish()
