"""`python -m tests.faults.load`: load a live server, then prove the audit log is whole.

Starts `fifthbranch serve` on 127.0.0.1 (a real model trained on a generated history,
the audit log in SQLite under a fresh home unless `--db-url` says otherwise), runs
`--clients` async clients for `--duration` seconds (single and batch recommendations
and auditor reads), stops the server gracefully, then checks: no 5xx, and the audit log
holds exactly one row per decision acknowledged with a 200, no more, no fewer, and
`fifthbranch audit verify` passes. Prints latency percentiles; exits 1 on any failure.

    python -m tests.faults.load --clients 32 --duration 60
    python -m tests.faults.load --db-url postgresql+psycopg://postgres@127.0.0.1:5432/mydb
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

from tests.faults.audit_check import AuditCheck, check_audit
from tests.faults.live import KEYS, LiveServer
from tests.faults.loadgen import LoadConfig, LoadResult, calls_from_history, run_load


def verdict(result: LoadResult, audit: AuditCheck) -> list[str]:
    """Every broken promise, in words; empty when the run passed."""
    problems = []
    if result.server_errors:
        problems.append(f"{result.server_errors} answers were 5xx")
    if result.transport_errors:
        problems.append(f"transport errors: {dict(result.transport_errors)}")
    if result.bad_bodies:
        problems.append(f"{len(result.bad_bodies)} malformed bodies, e.g. {result.bad_bodies[0]}")
    if result.duplicated_ids:
        problems.append(f"{result.duplicated_ids} decision ids were returned twice")
    if audit.missing:
        problems.append(f"{len(audit.missing)} acknowledged decisions are not in the audit log")
    if audit.duplicates:
        problems.append(f"{len(audit.duplicates)} decision ids are stored more than once")
    if audit.unacknowledged:
        problems.append(f"{len(audit.unacknowledged)} stored decisions were never acknowledged")
    if not audit.verify_ok:
        problems.append(f"audit verify failed: {audit.verify_output.strip()}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.faults.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--batch-share", type=float, default=0.15)
    parser.add_argument("--read-share", type=float, default=0.15)
    parser.add_argument("--db-url", help="audit database (default: SQLite in the home)")
    parser.add_argument("--home", type=Path, help="FIFTHBRANCH_HOME (default: a temp folder)")
    parser.add_argument("--model-dir", type=Path, help="a saved Recommender (default: train)")
    parser.add_argument("--rate-limit", default="off", help="FIFTHBRANCH_RATE_LIMIT")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 512 or not 0 < args.duration <= 3600:
        parser.error("--clients must be 1-512 and --duration 0-3600 s (a bounded load)")

    with tempfile.TemporaryDirectory(prefix="fb-load-") as scratch:
        home = args.home or Path(scratch) / "home"
        db_url = args.db_url or f"sqlite:///{home / 'audit.db'}"
        model_dir = args.model_dir
        if model_dir is None:
            from tests.faults.models import train_model_dir

            print("training a model on a generated history...", flush=True)
            model_dir = train_model_dir(Path(scratch) / "model")
        server = LiveServer(home=home, db_url=db_url, model_dir=model_dir,
                            rate_limit=args.rate_limit).start()
        print(f"server ready at {server.base_url}; audit log {db_url}", flush=True)
        config = LoadConfig(base_url=server.base_url, dispatch_key=KEYS["dispatch"],
                            auditor_key=KEYS["auditor"], clients=args.clients,
                            duration=args.duration, batch_share=args.batch_share,
                            read_share=args.read_share, calls=calls_from_history())
        try:
            result = asyncio.run(run_load(config))
        finally:
            stopped = time.monotonic()
            server.stop()
        print(f"server stopped in {time.monotonic() - stopped:.1f} s", flush=True)
        audit = check_audit(db_url, result.acknowledged, home)
        print(result.summary())
        print(audit.summary())
        problems = verdict(result, audit)
        if args.json:
            args.json.write_text(json.dumps({
                "clients": args.clients, "duration": args.duration,
                "requests": result.requests, "acknowledged": len(result.acknowledged),
                "rows": audit.rows, "percentiles_ms": {k: result.percentiles(k) for k in
                                                       ("single", "batch", "read_list",
                                                        "read_one")},
                "problems": problems}, indent=2))
    print("PASS" if not problems else "FAIL: " + "; ".join(problems))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
