"""Generator figures: `write_history` speed and peak memory per size, narrative variety.

Each size runs in a child process (`bench.child generate`) writing CSV with the default
workers (one per core), so its peak memory is its own. Variety is read back from the
history of `variety_rows` rows.
"""

from __future__ import annotations

from rich.progress import Progress

from bench import machine
from bench.config import TRAIN_SEED, Config
from bench.data import history, history_path
from bench.measure import python_child, run_child
from bench.results import Section

MILLION = 1_000_000
MILLION_TARGET_SECONDS = 60
#: "Memory bounded": the 1M peak may not exceed the 100k peak by more than this factor.
BOUNDED_FACTOR = 1.5
DISTINCT_TARGET = 0.90
TOP_FRAME_TARGET = 0.05  # the bound tests/data/test_generator.py holds


def run(config: Config, progress: Progress) -> Section:
    section = Section("generator", config.mode, machine.describe())
    peaks: dict[int, int] = {}
    for rows in config.generator_rows:
        peaks[rows] = _write(section, config, progress, rows)
    if len(peaks) >= 2 and all(peaks.values()):
        small, large = min(peaks), max(peaks)
        ratio = peaks[large] / peaks[small]
        section.add("peak_growth", f"peak memory {large:,} / {small:,} rows", ratio, "x",
                    target=f"≤ {BOUNDED_FACTOR}x (bounded)", met=ratio <= BOUNDED_FACTOR)
    _variety(section, config, progress)
    return section.finish()


def _write(section: Section, config: Config, progress: Progress, rows: int) -> int:
    path = history_path(config.work_dir, rows, TRAIN_SEED)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    task = progress.add_task(f"generator: write_history {rows:,} rows (CSV)", total=1)
    run = run_child(python_child(["generate", "--rows", str(rows), "--seed",
                                  str(TRAIN_SEED), "--out", str(path)]),
                    timeout=max(120, rows / 1000), cwd=machine.ROOT)
    progress.update(task, completed=1)
    result = run.result()
    if not run.ok or result is None:
        note = (f"timed out after {run.wall_seconds:.0f} s" if run.timed_out
                else f"failed: {run.stderr_tail.strip().splitlines()[-1:]}")
        section.add(f"write_{rows}.seconds", f"write_history {rows:,} rows", None, "s",
                    note=note)
        return 0
    seconds = result["seconds"]
    target = met = None
    if rows == MILLION:
        target, met = f"< {MILLION_TARGET_SECONDS} s", seconds < MILLION_TARGET_SECONDS
    section.add(f"write_{rows}.seconds", f"write_history {rows:,} rows (CSV)", seconds, "s",
                target=target, met=met)
    section.add(f"write_{rows}.rows_per_second", f"write_history {rows:,} rows: speed",
                rows / seconds, "rows/s")
    section.add(f"write_{rows}.peak_tree_rss",
                f"write_history {rows:,} rows: peak memory, all processes", run.peak_tree_rss,
                "B")
    section.details[f"write_{rows}"] = {
        "seconds": seconds, "file_bytes": result["bytes"], "peak_rss_largest_process":
        run.peak_rss, "peak_tree_rss": run.peak_tree_rss, "child_wall_seconds":
        run.wall_seconds, "child_cpu_seconds": run.cpu_seconds, "format": "csv",
        "path": str(path)}
    return run.peak_tree_rss


def _variety(section: Section, config: Config, progress: Progress) -> None:
    import time

    import pandas as pd

    from data.generator import variety_report

    rows = config.variety_rows
    task = progress.add_task(f"generator: variety of {rows:,} narratives", total=1)
    narratives = pd.read_csv(history(config.work_dir, rows), usecols=["narrative"],
                             dtype=str)["narrative"]
    started = time.perf_counter()
    report = variety_report(narratives)
    seconds = time.perf_counter() - started
    progress.update(task, completed=1)
    section.add("variety.distinct_share", f"distinct narratives in {rows:,} rows",
                report.distinct_share * 100, "%", target=f"> {DISTINCT_TARGET:.0%}",
                met=report.distinct_share > DISTINCT_TARGET)
    section.add("variety.top_frame_share", "rows holding the commonest sentence frame",
                report.top_frame_share * 100, "%", target=f"< {TOP_FRAME_TARGET:.0%}",
                met=report.top_frame_share < TOP_FRAME_TARGET,
                note=f"frame: {report.top_frame!r}")
    section.details["variety"] = {"rows": report.rows, "distinct_share":
                                  report.distinct_share, "top_frame": report.top_frame,
                                  "top_frame_share": report.top_frame_share,
                                  "report_seconds": seconds}
