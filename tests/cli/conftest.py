"""CLI fixtures: the audit log at its default place under a fresh FIFTHBRANCH_HOME."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from serving.audit import AuditStore


@pytest.fixture
def audit_store(fb_home: Path) -> Iterator[AuditStore]:
    """The SQLite audit log the commands read by default, migrated and empty."""
    store = AuditStore.from_url(f"sqlite:///{fb_home / 'audit.db'}")
    store.migrate()
    yield store
    store.close()
