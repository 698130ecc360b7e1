"""The spool: durable appends that never tear, drains that never block or duplicate."""

from __future__ import annotations

import errno
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from data.schema import CallRecord
from serving.audit import AuditStore
from serving.audit.durable import DurableAudit
from serving.audit.spool import Spool, SpoolError, spool_entry, store_entries, store_entry
from tests.serving.stub_recommender import StubRecommender


def entry(call_id: str, key: str | None = None) -> dict[str, Any]:
    record = CallRecord.model_validate({"call_id": call_id, "narrative": "man asleep"})
    decision = StubRecommender().decide(record)
    return spool_entry(request_json=record.model_dump_json(),
                       response_json=decision.model_dump_json(by_alias=True),
                       decision_id=decision.decision_id, client_role="dispatch",
                       latency_ms=1.0, run_id="run-1", idempotency_key=key)


def stored_calls(store: AuditStore) -> list[str]:
    return [row.call_id for row in store.iter_decisions()]


@pytest.fixture
def spool(tmp_path: Path) -> Spool:
    return Spool(tmp_path / "spool")


def test_appends_are_readable_in_order(spool: Spool) -> None:
    entries = [entry(f"c{i}", key=f"k{i}") for i in range(3)]
    for item in entries:
        spool.append(item)
    assert [e["decision_id"] for e in spool.entries()] == [e["decision_id"] for e in entries]
    assert spool.depth() == 3 and spool.waiting()
    assert spool.find(idempotency_key="k1")["decision_id"] == entries[1]["decision_id"]
    assert spool.find(decision_id=entries[2]["decision_id"]) is not None
    assert spool.find(decision_id="nope") is None


def test_a_full_disk_fails_loudly_and_leaves_no_torn_line(
        spool: Spool, monkeypatch: pytest.MonkeyPatch) -> None:
    spool.append(entry("before"))
    size = spool.path.stat().st_size
    real_write = os.write

    def half_then_enospc(fd: int, data: Any) -> int:
        if len(data) > 8:  # the first chunk lands, the rest hits a full disk
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_enospc)
    with pytest.raises(SpoolError, match="no space left on the device"):
        spool.append(entry("lost"))
    monkeypatch.setattr(os, "write", real_write)
    assert spool.path.stat().st_size == size  # cut back: nothing half-written remains
    spool.append(entry("after"))
    assert [e["request_json"].count("after") for e in spool.entries()] == [0, 1]


def test_a_line_torn_by_a_crash_never_swallows_the_next_decision(
        spool: Spool, store: AuditStore) -> None:
    spool.append(entry("whole-1"))
    with open(spool.path, "ab") as handle:  # a crash in the middle of a write
        handle.write(b'{"decision_id": "torn", "request_js')
    spool.append(entry("whole-2"))
    assert spool.drain(store) == 2
    assert stored_calls(store) == ["whole-1", "whole-2"]
    rejected = list(spool.directory.glob("rejected-*.jsonl"))
    assert len(rejected) == 1 and b'"torn"' in rejected[0].read_bytes()
    assert not spool.waiting() and spool.depth() == 0


def test_a_repeated_drain_adds_no_duplicates(spool: Spool, store: AuditStore) -> None:
    entries = [entry(f"c{i}") for i in range(5)]
    for item in entries:
        spool.append(item)
    # An earlier drain stored the first two, then the database went away again.
    for item in entries[:2]:
        store_entry(store, item)
    assert spool.drain(store) == 5
    assert stored_calls(store) == [f"c{i}" for i in range(5)]
    assert store.verify().ok


def test_leftover_draining_files_go_first_then_the_live_file(spool: Spool,
                                                             store: AuditStore) -> None:
    spool.append(entry("old-1"))
    spool.append(entry("old-2"))
    assert spool._rotate() is not None  # a drainer died after setting the file aside
    spool.append(entry("new-1"))
    assert spool.depth() == 3 and [e["request_json"].split('"')[3] for e in
                                   spool.entries()] == ["old-1", "old-2", "new-1"]
    assert spool.drain(store) == 3
    assert stored_calls(store) == ["old-1", "old-2", "new-1"]
    assert spool.depth() == 0 and not spool.waiting()


def test_an_append_that_raced_a_rotation_lands_in_the_live_file(spool: Spool) -> None:
    spool.append(entry("first"))
    appended = threading.Event()
    with spool._locked_live():  # another process holds the lock while it renames
        worker = threading.Thread(target=lambda: (spool.append(entry("raced")),
                                                  appended.set()))
        worker.start()
        time.sleep(0.2)  # the appender has opened the file and waits for the lock
        assert not appended.is_set()
        aside = spool.directory / "draining-00000000000000000001-1.jsonl"
        os.rename(spool.path, aside)
    worker.join(timeout=10)
    assert appended.is_set()
    assert b"raced" not in aside.read_bytes() and b"raced" in spool.path.read_bytes()


def test_append_decisions_skips_known_ids_and_keeps_the_chain(store: AuditStore) -> None:
    items = [entry(f"b{i}", key=f"key-{i}") for i in range(4)]
    assert store_entries(store, items[:1]) == 1
    assert store_entries(store, items) == 3
    assert store_entries(store, items) == 0
    assert stored_calls(store) == ["b0", "b1", "b2", "b3"]
    assert store.verify().ok and store.verify().checked == 4


class SlowStore:
    """Wraps a store so that batch appends take a while (a long drain)."""

    def __init__(self, store: AuditStore, seconds: float) -> None:
        self._store, self._seconds = store, seconds

    def append_decisions(self, items: Any) -> int:
        time.sleep(self._seconds)
        return self._store.append_decisions(items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def record_one(audit: DurableAudit, call_id: str) -> tuple[Any, float]:
    """Decide one call and hand it to `audit.record`: (what it returned, seconds taken)."""
    record = CallRecord.model_validate({"call_id": call_id, "narrative": "man asleep"})
    decision = StubRecommender().decide(record)
    started = time.monotonic()
    stored = audit.record(record, decision, request_json=record.model_dump_json(),
                          response_json=decision.model_dump_json(by_alias=True),
                          client_role="dispatch", latency_ms=1.0, run_id=None,
                          idempotency_key=None)
    return stored, time.monotonic() - started


def test_new_decisions_are_not_held_up_by_a_long_drain(tmp_path: Path,
                                                       store: AuditStore) -> None:
    audit = DurableAudit(SlowStore(store, 1.5), Spool(tmp_path / "spool"))  # type: ignore[arg-type]
    audit.start()
    for i in range(3):
        audit.spool.append(entry(f"backlog-{i}"))
    drainer = threading.Thread(target=audit.maintain)
    drainer.start()
    time.sleep(0.3)  # the drain is now storing (slowly)
    stored, seconds = record_one(audit, "during")
    assert seconds < 1.0
    assert stored is None  # queued behind the backlog, in the spool
    drainer.join(timeout=30)
    audit.maintain()
    assert stored_calls(store) == ["backlog-0", "backlog-1", "backlog-2", "during"]
    assert not audit.spool.waiting() and store.verify().ok


def test_spooled_narratives_are_readable_by_the_service_only(spool: Spool) -> None:
    spool.append(entry("private"))
    assert spool.directory.stat().st_mode & 0o777 == 0o700
    assert spool.path.stat().st_mode & 0o777 == 0o600


class HungStore(SlowStore):
    """A database that takes a direct write and never answers (for a while)."""

    def append_decision(self, *args: Any, **kwargs: Any) -> Any:
        time.sleep(self._seconds)
        return self._store.append_decision(*args, **kwargs)


def test_a_hung_database_is_given_up_on_and_the_decision_spooled(
        tmp_path: Path, store: AuditStore) -> None:
    audit = DurableAudit(HungStore(store, 1.2), Spool(tmp_path / "spool"),  # type: ignore[arg-type]
                         write_timeout=0.2)
    audit.start()
    stored, seconds = record_one(audit, "hung")
    assert stored is None and seconds < 1.0
    assert not audit.store_up and "did not answer within 0.2 s" in (audit.reason or "")
    time.sleep(1.3)  # the abandoned write lands after all...
    audit.maintain()  # ...and the drain skips it: stored once
    assert stored_calls(store) == ["hung"] and not audit.spool.waiting()
