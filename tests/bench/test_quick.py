"""The benchmark harness end to end at toy sizes: the in-process benches only, < 60 s.

It checks that the harness runs and records what it should (figures, targets, the
machine, the README table), not that a CI machine meets the performance targets.
The training and HTTP benches (child processes, MLflow, servers) run only from
`python -m bench` / `make bench`.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bench import readme
from bench.__main__ import run_benches
from bench.config import make_config


@pytest.mark.timeout(120)
def test_quick_in_process_benches(tmp_path: Path) -> None:
    config = dataclasses.replace(
        make_config(quick=True), generator_rows=(3_000,), variety_rows=3_000,
        model_rows=1_000, batch_rows=2_000, latency_records=200, work_dir=tmp_path / "work")
    out = tmp_path / "results.json"

    failed = run_benches(("generator", "batch", "latency"), config, out)

    assert failed == []
    data = json.loads(out.read_text())
    assert set(data["sections"]) == {"generator", "batch", "latency"}
    for section in data["sections"].values():
        assert section["mode"] == "quick"
        machine = section["machine"]
        assert machine["cores"] >= 1 and machine["memory_bytes"] > 0
        assert {"cpu_model", "python", "packages", "git_commit"} <= set(machine)
        for figure in section["figures"]:
            assert figure["value"] is not None and figure["value"] >= 0, figure
            assert figure["met"] in (True, False, None)
    keys = {f["key"] for s in data["sections"].values() for f in s["figures"]}
    assert {"generator.write_3000.seconds", "generator.variety.distinct_share",
            "batch.records_per_second", "latency.median_ms"} <= keys
    assert data["sections"]["batch"]["details"]["profile"]["parts"]


def test_readme_table_replaces_only_between_markers(tmp_path: Path) -> None:
    page = tmp_path / "README.md"
    page.write_text(f"# Title\n\n{readme.START}\nold table\n{readme.END}\n\nafter\n")
    figure = {"key": "batch.rate", "label": "decide_frame", "value": 51234.5,
              "unit": "rec/s", "target": "≥ 50,000 rec/s", "met": True, "note": ""}
    machine = {"cores": 2, "memory_gb": 23.5, "cpu_model": "cpu", "python": "3.11",
               "packages": {}, "git_commit": "abc", "git_dirty": False}
    data = {"sections": {"batch": {"mode": "full", "machine": machine, "figures": [figure],
                                   "measured_at": "2026-01-01T00:00:00+00:00"}}}

    readme.update(data, page)

    text = page.read_text()
    assert "old table" not in text and text.startswith("# Title") and "after" in text
    assert "| batch | decide_frame | 51,234 rec/s | ≥ 50,000 rec/s | met | 2 cores, 23.5 GB |" \
        in text


def test_readme_without_markers_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "README.md"
    page.write_text("# Title\n")
    with pytest.raises(readme.MarkersMissing):
        readme.update({"sections": {}}, page)
