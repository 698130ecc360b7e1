"""`python -m tests.faults.pg_stop --yes-stop-postgres`: a real PostgreSQL outage, by hand.

The CI test cuts a proxy (tests/faults/test_pg_outage.py) because the shared server
must stay up for other tests. This script does the real thing for a manual run: a live
`fifthbranch serve` on a fresh database, load from `--clients` clients, then
`pg_ctlcluster ... stop` for `--outage` seconds (30 by default) and `start` again. It
reports what the clients saw and checks that the spool drained and the audit log holds
each acknowledged decision exactly once, then verifies the chain. Exits 1 on a failure.

It stops the machine's PostgreSQL for everyone: never in CI (it refuses when CI is set).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from tests.faults.audit_check import check_audit
from tests.faults.live import KEYS, LiveServer
from tests.faults.load import verdict
from tests.faults.loadgen import BackgroundLoad, LoadConfig, calls_from_history

SERVER = "postgresql://postgres@127.0.0.1:5432"


def cluster(action: str) -> None:
    """`pg_ctlcluster --skip-systemctl-redirect <version> main <action>`."""
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
                   check=True)


def wait_for_postgres(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode:
        if time.monotonic() > deadline:
            raise SystemExit("PostgreSQL did not come back")
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.faults.pg_stop", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--yes-stop-postgres", action="store_true", required=True,
                        help="confirm: this stops the machine's PostgreSQL")
    parser.add_argument("--outage", type=float, default=30.0, help="seconds down")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--model-dir", type=Path, help="a saved Recommender (default: train)")
    args = parser.parse_args(argv)
    if os.environ.get("CI"):
        parser.error("refusing to stop the shared PostgreSQL under CI")
    if not 1 <= args.outage <= 600:
        parser.error("--outage must be 1-600 seconds")

    name = f"fb_outage_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        with tempfile.TemporaryDirectory(prefix="fb-pg-stop-") as scratch:
            model_dir = args.model_dir
            if model_dir is None:
                from tests.faults.models import train_model_dir

                print("training a model on a generated history...", flush=True)
                model_dir = train_model_dir(Path(scratch) / "model")
            home = Path(scratch) / "home"
            server = LiveServer(home=home, db_url=db_url, model_dir=model_dir).start()
            load = BackgroundLoad(LoadConfig(
                base_url=server.base_url, dispatch_key=KEYS["dispatch"],
                auditor_key=KEYS["auditor"], clients=args.clients,
                duration=args.outage + 60, timeout=15, calls=calls_from_history())).start()
            load.at(5)
            print(f"stopping PostgreSQL for {args.outage:.0f} s", flush=True)
            cluster("stop")
            load.at(5 + args.outage)
            print(f"during the outage: {server.readyz()}", flush=True)
            cluster("start")
            wait_for_postgres()
            print("PostgreSQL is back", flush=True)
            time.sleep(10)
            result = load.stop()
            drained = server.wait_drained(timeout=120)
            server.stop()
            audit = check_audit(db_url, result.acknowledged, home)
            outage = result.between(5, 5 + args.outage)
            print(result.summary())
            print(f"answered during the outage: {dict(outage)}")
            print(f"after: {drained['status']}, spool depth {drained['audit']['spool_depth']}")
            print(audit.summary())
            problems = [p for p in verdict(result, audit) if "were 5xx" not in p]
            problems += [f"{n} {kind} answers were {status}" for (kind, status), n in
                         result.statuses.items() if status >= 500 and not kind.startswith("read")]
    finally:
        wait_for_postgres()
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("PASS" if not problems else "FAIL: " + "; ".join(problems))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
