"""HTTP figures: `fifthbranch serve` against `mlflow models serve`, same champion, same calls.

A temporary FIFTHBRANCH_HOME gets a history (`fifthbranch generate`) and a champion
(`fifthbranch train`). Both servers then run side by side, one worker each: ours with API
keys and the audit log on SQLite (every answer recorded and explained), MLflow's with
`--env-manager local`. The same held-out calls go to each in turn (never both at once)
at each concurrency level: ours as the contract's JSON record to POST /v1/recommendations,
MLflow's as `dataframe_split` in the training-file layout to POST /invocations.
Afterwards every one of our answers must have been 200, the audit log must hold exactly
one row per 200 and `fifthbranch audit verify` must find the hash chain intact.
Two floors put our figures in context: GET /healthz (HTTP and client), and a synced
4 KiB write beside the audit DB, timed just before and after our 1-client run (every
answer waits for one such sync; its cost depends on what else the machine writes).
"""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from rich.progress import Progress

from bench import machine
from bench.config import TRAIN_SEED, Config
from bench.data import held_out_records
from bench.load import LoadResult, drive
from bench.results import Section, percentile
from bench.servers import BIN, Server, home_env, mlflow_server, ours, run_command

MODEL_NAME = "fifthbranch-responder"
WARM_UP = 50
MEDIAN_TARGET_MS, P99_TARGET_MS, RATIO_TARGET = 5.0, 25.0, 3.0
#: Synced 4 KiB writes timed before and after our 1-client run (`_sync_floor`).
SYNC_PROBES = 100
MLFLOW_COLUMNS = ("call_id", "narrative", "q_weapons", "q_threats", "q_violence",
                  "q_self_harm", "q_injuries", "q_intoxication", "q_crime_in_progress",
                  "call_type")


def _bodies(records: list[Any], tag: str) -> tuple[list[bytes], list[bytes]]:
    """(ours, MLflow's) request bodies for the same calls, each with a unique call_id."""
    from data.table import record_to_row

    mine, theirs = [], []
    for index, record in enumerate(records):
        call_id = f"{record.call_id}-{tag}{index}"[:64]
        mine.append(orjson.dumps({**record.model_dump(mode="json", exclude_none=True),
                                  "call_id": call_id}))
        row = {**record_to_row(record), "call_id": call_id}
        theirs.append(orjson.dumps({"dataframe_split": {
            "columns": list(MLFLOW_COLUMNS), "data": [[row[c] for c in MLFLOW_COLUMNS]]}}))
    return mine, theirs


def _prepare(home: Path, rows: int, progress: Progress) -> dict[str, float]:
    """The champion, made by the CLI. Set-up only (not timed as a figure), so it runs with
    BLAS on one thread and without cross-style folds, which only save minutes."""
    task = progress.add_task(f"http: fifthbranch generate + train ({rows:,} rows)", total=2)
    env = home_env(home, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    history = home / "history.csv"
    generate = run_command([str(BIN / "fifthbranch"), "generate", "--rows", str(rows),
                            "--seed", str(TRAIN_SEED), "--out", str(history)], env, 900, home)
    progress.advance(task)
    train = run_command([str(BIN / "fifthbranch"), "train", "--data", str(history),
                         "--no-cross-style"], env, 1800, home)
    progress.advance(task)
    return {"generate_seconds": generate, "train_seconds": train}


def _sync_floor(folder: Path, count: int = SYNC_PROBES) -> list[float]:
    """Milliseconds per `fdatasync` of a 4 KiB write in `folder` (beside the audit DB).

    Every answer waits for one such sync (SQLite's WAL commit with synchronous=FULL), and
    its cost depends on what else the machine does: a disk flush also waits for other
    processes' data, and for kernel threads that a busy CPU may not run at once. Like the
    WAL between checkpoints, the probe overwrites blocks of a file already allocated
    (growing a file adds journal work that SQLite mostly avoids). Timed next to our
    1-client run, it says how much of that median was the disk's. Never run while a
    server is being measured (it would compete for the disk).
    """
    path = folder / "sync-probe.bin"
    block, blocks = b"\1" * 4096, 256
    took = []
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, b"\0" * (len(block) * blocks))
        os.fsync(fd)
        for index in range(count):
            os.pwrite(fd, block, (index % blocks) * len(block))
            started = time.perf_counter()
            os.fdatasync(fd)
            took.append((time.perf_counter() - started) * 1000)
    finally:
        os.close(fd)
        path.unlink(missing_ok=True)
    return took


def _audit_check(home: Path) -> dict[str, Any]:
    """Rows in the audit log, what `fifthbranch audit verify` says, and the server's own
    time to validate and decide (`latency_ms`, before the audit write) in the 1-client run.
    """
    with sqlite3.connect(home / "audit.db") as db:
        rows = db.execute("select count(*) from decisions").fetchone()[0]
        decide_ms = [row[0] for row in db.execute(
            "select latency_ms from decisions where call_id like '%-c1-%'")]
    done = subprocess.run([str(BIN / "fifthbranch"), "audit", "verify"], env=home_env(home),
                          capture_output=True, text=True, timeout=600, cwd=home)
    said = (done.stdout or done.stderr).strip()
    checked = re.search(r"(\d+) rows checked", said)
    return {"decision_rows": rows, "verify_exit": done.returncode, "verify_said": said,
            "verify_checked": int(checked.group(1)) if checked else None,
            "server_decide_median_ms": statistics.median(decide_ms) if decide_ms else None,
            "server_decide_p99_ms": percentile(decide_ms, 99)}


def _agreement(mine: LoadResult, theirs: LoadResult) -> tuple[float, list[dict[str, str]]]:
    """Share of calls both servers answered alike, and the first few that differ."""
    differ = []
    for a, b in zip(mine.bodies, theirs.bodies, strict=True):
        decision, prediction = orjson.loads(a), orjson.loads(b)["predictions"][0]
        if decision["recommendation"] != prediction:
            differ.append({"call_id": decision["call_id"], "ours": decision["recommendation"],
                           "mlflow": prediction})
    return 1 - len(differ) / len(mine.bodies), differ[:10]


def run(config: Config, progress: Progress) -> Section:
    section = Section("http", config.mode, machine.describe())
    records = held_out_records(config.http_requests)
    dispatch = secrets.token_urlsafe(24)
    keys = f"dispatch:{dispatch},auditor:{secrets.token_urlsafe(24)}"
    with tempfile.TemporaryDirectory(prefix="fifthbranch-bench-http-") as folder:
        home = Path(folder)
        section.details["setup"] = _prepare(home, config.http_train_rows, progress)
        servers = [ours(home, keys), mlflow_server(home, MODEL_NAME)]
        try:
            for server in servers:
                server.start()
            results = _measure(config, servers, records, dispatch, progress, home)
        finally:
            stopped = {server.name: server.stop() for server in servers}
        section.details["setup"].update({f"{s.name} ready_seconds": s.started_in
                                         for s in servers})
        section.details["exit_codes"] = stopped
        audit = _audit_check(home)
    _record(section, config, results, audit)
    return section.finish()


def _check_not_degraded(server: Server, key: str) -> None:
    """Refuse to measure a server answering from rules only: that is not the service."""
    import httpx

    model = httpx.get(server.base_url + "/v1/model", timeout=10,
                      headers={"Authorization": f"Bearer {key}"}).json()
    if model.get("degraded"):
        raise RuntimeError(f"{server.name} serves rules only: {model.get('degraded_reason')}")


def _measure(config: Config, servers: list[Server], records: list[Any], dispatch: str,
             progress: Progress, home: Path) -> dict[str, Any]:
    mine, theirs = servers
    _check_not_degraded(mine, dispatch)
    routes = {mine.name: (mine.base_url + "/v1/recommendations",
                          {"Authorization": f"Bearer {dispatch}"}),
              theirs.name: (theirs.base_url + "/invocations", {})}
    warm_ours, warm_theirs = _bodies(records[:WARM_UP], "warm")
    for server, bodies in ((mine, warm_ours), (theirs, warm_theirs)):
        url, headers = routes[server.name]
        warm = drive(url, bodies, headers=headers, concurrency=1)
        if warm.ok != len(bodies):
            raise RuntimeError(f"{server.name} warm-up answered {sorted(set(warm.statuses))}: "
                               f"{server.log.read_text(errors='replace')[-1500:]}")
    sent_to_ours = len(warm_ours)
    floor = drive(mine.base_url + "/healthz", [b""] * len(records), headers={},
                  concurrency=1, method="GET")
    levels: dict[str, dict[str, Any]] = {}
    agreement, differ = None, []
    sync_ms: list[float] = []
    for concurrency in config.http_concurrency:
        ours_bodies, mlflow_bodies = _bodies(records, f"c{concurrency}-")
        level: dict[str, Any] = {}
        for server, bodies in ((mine, ours_bodies), (theirs, mlflow_bodies)):
            url, headers = routes[server.name]
            task = progress.add_task(f"http: {server.name}, {concurrency} client(s)",
                                     total=len(bodies))
            probe = server is mine and concurrency == 1
            if probe:
                sync_ms += _sync_floor(home)
            level[server.name] = drive(url, bodies, headers=headers, concurrency=concurrency,
                                       keep_bodies=concurrency == 1,
                                       tick=lambda task=task: progress.advance(task))
            if probe:
                sync_ms += _sync_floor(home)
        if concurrency == 1:
            agreement, differ = _agreement(level[mine.name], level[theirs.name])
        sent_to_ours += len(ours_bodies)
        levels[str(concurrency)] = level
    return {"levels": levels, "agreement": agreement, "differ": differ,
            "floor": floor.summary(),
            "sync_floor": {"probes": len(sync_ms),
                           "median_ms": statistics.median(sync_ms) if sync_ms else None,
                           "p90_ms": percentile(sync_ms, 90) if sync_ms else None},
            "sent_to_ours": sent_to_ours,
            "warm_up_ok": len(warm_ours), "ours": mine.name, "theirs": theirs.name}


def _record(section: Section, config: Config, results: dict[str, Any],
            audit: dict[str, Any]) -> None:
    ours_name, theirs_name = results["ours"], results["theirs"]
    ok_total = results["warm_up_ok"]  # the warm-up was checked to be all 200
    summaries: dict[str, dict[str, Any]] = {}
    for concurrency, level in results["levels"].items():
        mine, theirs = level[ours_name].summary(), level[theirs_name].summary()
        summaries[concurrency] = {ours_name: mine, theirs_name: theirs,
                                  "statuses": {name: sorted(set(level[name].statuses))
                                               for name in level}}
        ok_total += mine["ok"]
        single = concurrency == "1"
        clients = f"{concurrency} client{'s' if not single else ''}"
        section.add(f"ours.c{concurrency}.median_ms", f"ours, {clients}: median",
                    mine["median_ms"], "ms",
                    target=f"< {MEDIAN_TARGET_MS:g} ms" if single else None,
                    met=mine["median_ms"] < MEDIAN_TARGET_MS if single else None)
        section.add(f"ours.c{concurrency}.p99_ms", f"ours, {clients}: p99", mine["p99_ms"],
                    "ms", target=f"< {P99_TARGET_MS:g} ms" if single else None,
                    met=mine["p99_ms"] < P99_TARGET_MS if single else None)
        section.add(f"ours.c{concurrency}.throughput", f"ours, {clients}: throughput",
                    mine["throughput_rps"], "req/s")
        section.add(f"mlflow.c{concurrency}.median_ms", f"mlflow, {clients}: median",
                    theirs["median_ms"], "ms")
        section.add(f"mlflow.c{concurrency}.p99_ms", f"mlflow, {clients}: p99",
                    theirs["p99_ms"], "ms")
        section.add(f"mlflow.c{concurrency}.throughput", f"mlflow, {clients}: throughput",
                    theirs["throughput_rps"], "req/s")
        ratio = theirs["median_ms"] / mine["median_ms"]
        section.add(f"ratio.c{concurrency}.median", f"{clients}: mlflow median / ours", ratio,
                    "x", target=f"≥ {RATIO_TARGET:g}x", met=ratio >= RATIO_TARGET)
        section.add(f"ratio.c{concurrency}.throughput",
                    f"{clients}: our throughput / mlflow's",
                    mine["throughput_rps"] / theirs["throughput_rps"], "x")
    floor, decide_ms = results["floor"], audit["server_decide_median_ms"]
    section.add("ours.c1.server_decide_ms", "ours, 1 client: validate + decide in the server, "
                "median (audit latency_ms)", decide_ms, "ms")
    section.add("floor.healthz_ms", "GET /healthz, 1 client, median (HTTP + client floor)",
                floor["median_ms"], "ms")
    sync = results["sync_floor"]
    if sync["median_ms"] is not None:
        section.add("floor.sync_ms", "fdatasync of a 4 KiB write beside the audit DB, median "
                    "around the 1-client run (each answer waits for one)", sync["median_ms"],
                    "ms")
    sent = results["sent_to_ours"]
    section.add("ours.non_200", "our answers other than 200", sent - ok_total, "answers",
                target="0", met=sent == ok_total, note=f"of {sent}")
    intact = audit["verify_exit"] == 0
    section.add("audit.rows", "audit rows after the run (one per 200)",
                audit["decision_rows"], "rows", target=f"= {ok_total:,}, chain intact",
                met=audit["decision_rows"] == ok_total and intact,
                note="verify: intact" if intact else f"verify: {audit['verify_said']}")
    if results["agreement"] is not None:
        section.add("agreement", "same recommendation from both servers",
                    results["agreement"] * 100, "%", target="100 %",
                    met=results["agreement"] == 1.0)
    section.details.update({"levels": summaries, "audit": audit, "warm_up": WARM_UP,
                            "healthz_floor": floor,
                            "sync_floor": results["sync_floor"],
                            "disagreements": results["differ"],
                            "requests_per_level": config.http_requests,
                            "ours_body": "contract JSON record, POST /v1/recommendations",
                            "ours_settings": "1 worker, API keys, audit log on SQLite, "
                            "FIFTHBRANCH_RATE_LIMIT=off",
                            "mlflow_body": "dataframe_split, POST /invocations",
                            "client": "httpx.AsyncClient, keep-alive, closed loop, same "
                            "machine as the servers"})
    section.notes.append("the load client shares the machine's cores with the server "
                         "under test")
