"""The audit store against SQLite and the live PostgreSQL: append, read, filter, chain."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from data.schema import CallRecord
from serving.audit import AuditStore, UnknownDecisionError
from tests.serving.stub_recommender import StubRecommender

MODEL = StubRecommender("7")


def _append(store: AuditStore, narrative: str = "man sleeping in doorway", *,
            call_id: str = "c-1", district: str | None = "D1", key: str | None = None,
            **answers: str):
    record = CallRecord(call_id=call_id, narrative=narrative, questionnaire=answers,
                        district=district)
    decision = MODEL.decide(record)
    return store.append_decision(record, decision, client_role="dispatch", latency_ms=1.25,
                                 run_id=MODEL.run_id, idempotency_key=key), decision


def test_append_then_read_back_exactly(store: AuditStore) -> None:
    stored, decision = _append(store, "he has a gun", weapons="yes")
    again = store.get_decision(decision.decision_id)
    assert again == stored
    assert again.decision == decision
    assert again.response_json == decision.model_dump_json(by_alias=True)
    assert again.record.narrative == "he has a gun"
    assert (again.overridden, again.rules_fired, again.run_id) == (True, ["weapon-present"],
                                                                   "run-7")
    assert again.created_at == decision.created_at
    assert store.get_decision("nope") is None


def test_migrate_is_idempotent(store: AuditStore) -> None:
    _append(store)
    store.migrate()
    assert store.list_decisions()[1] == 1


def test_same_idempotency_key_stores_once(store: AuditStore) -> None:
    first, _ = _append(store, key="k-1")
    second, _ = _append(store, key="k-1")
    assert second == first
    assert store.find_by_idempotency_key("k-1") == first
    assert store.list_decisions()[1] == 1


def test_a_decision_stored_again_is_refused_by_the_table_and_the_chain_goes_on(
        store: AuditStore) -> None:
    """No look-up precedes a write: the unique decision id refuses the second row, and
    the refused transaction leaves the chain head where it was."""
    record = CallRecord(call_id="c-1", narrative="man sleeping in doorway")
    decision = MODEL.decide(record)
    arguments = {"client_role": "dispatch", "latency_ms": 1.0, "run_id": MODEL.run_id}
    first = store.append_decision(record, decision, **arguments)
    again = store.append_decision(record, decision, **arguments)
    assert again == first
    later, _ = _append(store, call_id="c-2")
    assert (later.seq, later.prev_hash) == (2, first.row_hash)
    assert store.verify().ok and store.list_decisions()[1] == 2


def test_filters_and_paging(store: AuditStore) -> None:
    _append(store, "sleeping", call_id="a", district="D1")
    _append(store, "he has a gun", call_id="b", district="D2", weapons="yes")
    _append(store, "yelling", call_id="c", district="D2", violence="yes")
    _append(store, "yelling at neighbour", call_id="d", district=None)

    def ids(**filters) -> list[str]:
        rows, total = store.list_decisions(**filters)
        assert total == len(rows)
        return [row.call_id for row in rows]

    assert ids() == ["d", "c", "b", "a"]  # newest first
    assert ids(recommendation="police") == ["c", "b"]
    assert ids(overridden=True) == ["c", "b"]
    assert ids(overridden=False) == ["d", "a"]
    assert ids(rule_id="weapon-present") == ["b"]
    assert ids(rule_id="weapon") == []  # a whole rule id, not a prefix
    assert ids(district="D2") == ["c", "b"]
    assert ids(disagreement=True) == ["c"]  # co_response raised to police
    assert ids(model_version="7") == ["d", "c", "b", "a"]
    assert ids(model_version="8") == []
    page, total = store.list_decisions(limit=2, offset=1)
    assert ([row.call_id for row in page], total) == (["c", "b"], 4)
    now = datetime.now(UTC)
    assert ids(start=now + timedelta(minutes=1)) == []
    assert ids(start=now - timedelta(minutes=5), end=now + timedelta(minutes=5)) == [
        "d", "c", "b", "a"]
    assert [row.call_id for row in store.iter_decisions()] == ["a", "b", "c", "d"]


def test_outcomes_append_in_order_and_need_a_decision(store: AuditStore) -> None:
    stored, _ = _append(store)
    store.append_outcome(stored.decision_id, {"responder_sent": "heart", "felt_safe": True},
                         client_role="dispatch")
    store.append_outcome(stored.decision_id, {"responder_sent": "police"},
                         client_role="admin")
    outcomes = store.outcomes_for(stored.decision_id)
    assert [o.responder_sent for o in outcomes] == ["heart", "police"]
    assert outcomes[0].body == {"responder_sent": "heart", "felt_safe": True}
    with pytest.raises(UnknownDecisionError):
        store.append_outcome("missing", {}, client_role="dispatch")
    assert store.verify().ok


def test_verify_names_an_edited_row(store: AuditStore) -> None:
    rows = [_append(store, call_id=f"c{i}")[0] for i in range(3)]
    assert store.verify() == store.verify() and store.verify().ok
    assert store.verify().checked == 3
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE decisions SET recommendation = 'police' WHERE seq = 2"))
    result = store.verify()
    assert not result.ok
    assert result.first_broken[:3] == ("decisions", 2, rows[1].decision_id)
    assert "edited" in result.first_broken.why


@pytest.mark.parametrize(("deleted", "named", "why"), [(2, 3, "deleted"), (3, 3, "end")])
def test_verify_detects_deleted_rows(store: AuditStore, deleted: int, named: int,
                                     why: str) -> None:
    rows = [_append(store, call_id=f"c{i}")[0] for i in range(3)]
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM decisions WHERE seq = :seq"), {"seq": deleted})
    broken = store.verify().first_broken
    assert broken.table == "decisions" and why in broken.why
    expected = rows[named - 1] if deleted != named else rows[named - 2]
    assert broken.decision_id == expected.decision_id


def test_verify_detects_an_edited_outcome(store: AuditStore) -> None:
    stored, _ = _append(store)
    store.append_outcome(stored.decision_id, {"felt_safe": True}, client_role="dispatch")
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE outcomes SET body_json = :body"),
                           {"body": '{"felt_safe":false}'})
    broken = store.verify().first_broken
    assert (broken.table, broken.seq, broken.decision_id) == ("outcomes", 1,
                                                              stored.decision_id)


def test_concurrent_appends_keep_one_linear_chain(db_url: str, store: AuditStore) -> None:
    """Separate stores (separate pools, like separate workers) append at once."""
    stores = [AuditStore.from_url(db_url) for _ in range(4)]
    errors: list[BaseException] = []

    def work(worker: AuditStore, n: int) -> None:
        try:
            for i in range(10):
                _append(worker, call_id=f"w{n}-{i}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in stores:
        worker.close()
    assert not errors
    result = store.verify()
    assert result.ok and result.checked == 40
    assert [row.seq for row in store.iter_decisions()] == list(range(1, 41))
