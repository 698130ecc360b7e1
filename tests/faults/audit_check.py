"""After the storm: does the audit log hold exactly what the clients were told?

`check_audit` compares the decision ids the clients received with a 200 against the
rows of the audit database (read directly, not through the server, which may be dead)
and runs the real `fifthbranch audit verify` over the same database.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from serving.audit import AuditStore
from serving.audit.models import decisions
from tests.faults.live import ROOT, clean_env


@dataclass
class AuditCheck:
    """Rows versus acknowledgements, and the verdict of `fifthbranch audit verify`."""

    rows: int
    duplicates: dict[str, int]
    missing: set[str]
    unacknowledged: set[str]
    verify_ok: bool
    verify_output: str

    def summary(self) -> str:
        return (f"audit log: {self.rows} rows, {len(self.missing)} acknowledged but missing, "
                f"{len(self.duplicates)} duplicated ids, {len(self.unacknowledged)} stored "
                f"but never acknowledged (in flight when a client gave up); verify: "
                f"{self.verify_output.strip()}")


def stored_decision_ids(db_url: str) -> list[str]:
    """Every decision id in the audit log, in chain order."""
    store = AuditStore.from_url(db_url)
    try:
        with store.engine.connect() as connection:
            return list(connection.execute(
                select(decisions.c.decision_id).order_by(decisions.c.seq)).scalars())
    finally:
        store.close()


def verify_cli(db_url: str, home: Path) -> subprocess.CompletedProcess[str]:
    """`fifthbranch audit verify` on `db_url`, as an operator would run it."""
    return subprocess.run([sys.executable, "-m", "cli.app", "audit", "verify"],
                          cwd=ROOT, env=clean_env(home, FIFTHBRANCH_DB_URL=db_url),
                          capture_output=True, text=True, timeout=300)


def check_audit(db_url: str, acknowledged: set[str], home: Path) -> AuditCheck:
    ids = stored_decision_ids(db_url)
    counts = Counter(ids)
    verified = verify_cli(db_url, home)
    return AuditCheck(
        rows=len(ids),
        duplicates={i: n for i, n in counts.items() if n > 1},
        missing=acknowledged - counts.keys(),
        unacknowledged=set(counts) - acknowledged,
        verify_ok=verified.returncode == 0,
        verify_output=verified.stdout + verified.stderr,
    )
