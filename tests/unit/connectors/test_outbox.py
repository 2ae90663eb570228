"""The outbox keeps order, forgets only what was acknowledged, and survives a reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from connectors.outbox import Entry, FileProgress, Outbox


def entry(n: int) -> Entry:
    return Entry(f"id-{n:05d}", "SuspiciousShipmentAlert", f"payload-{n}".encode(), f"f.jsonl:{n}")


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    box = Outbox(tmp_path / "outbox.sqlite").setup()
    yield box
    box.close()


def test_pending_comes_out_in_acceptance_order(outbox: Outbox) -> None:
    outbox.add([entry(n) for n in (3, 1, 2)])
    outbox.add([entry(0)])
    assert [p.record_id for p in outbox.pending()] == ["id-00003", "id-00001", "id-00002", "id-00000"]
    assert [p.record_id for p in outbox.pending(limit=2)] == ["id-00003", "id-00001"]


def test_only_acknowledged_records_leave(outbox: Outbox) -> None:
    outbox.add([entry(n) for n in range(5)])
    assert outbox.remove(["id-00001", "id-00003", "not-there"]) == 2
    assert [p.record_id for p in outbox.pending()] == ["id-00000", "id-00002", "id-00004"]
    assert outbox.depth() == 3


def test_a_record_id_is_accepted_once_even_after_it_left(outbox: Outbox) -> None:
    assert outbox.add([entry(1), entry(2)]) == [True, True]
    outbox.remove(["id-00001"])
    assert outbox.add([entry(1), entry(3)]) == [False, True]
    assert [p.record_id for p in outbox.pending()] == ["id-00002", "id-00003"]


def test_everything_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    box = Outbox(path).setup()
    box.add([entry(n) for n in range(3)], FileProgress("abc", "f.jsonl", 4, [(2, "bad row")]))
    box.remove(["id-00000"], {("topic", 0): 17})
    del box  # no close: as if the process had been killed
    again = Outbox(path).setup()
    assert [p.record_id for p in again.pending()] == ["id-00001", "id-00002"]
    assert again.positions("topic") == {0: 17}
    state = again.file_state("abc")
    assert state is not None and state.next_line == 4 and state.rejects == ((2, "bad row"),)
    assert not state.finished
    again.close()


def test_a_failed_batch_leaves_neither_records_nor_progress(outbox: Outbox) -> None:
    broken = Entry("id-x", "SuspiciousShipmentAlert", None, "f")  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        outbox.add([entry(1), broken], FileProgress("abc", "f.jsonl", 10))
    assert outbox.depth() == 0
    assert outbox.file_state("abc") is None
    assert outbox.add([entry(1)]) == [True]  # the rolled-back ledger row did not stick


def test_file_progress_accumulates_and_finishes(outbox: Outbox) -> None:
    outbox.add([entry(1), entry(2)], FileProgress("abc", "f.jsonl", 3))
    outbox.add([entry(2), entry(4)], FileProgress("abc", "f.jsonl", 5, [(3, "cut off")]))
    outbox.finish_file(FileProgress("abc", "f.jsonl", 5))
    state = outbox.file_state("abc")
    assert state is not None
    assert (state.accepted, state.duplicates, state.finished) == (3, 1, True)


def test_positions_only_move_forward_and_age_is_measured(outbox: Outbox) -> None:
    outbox.remove([], {("t", 0): 10, ("t", 1): 5})
    outbox.remove([], {("t", 0): 8})
    assert outbox.positions("t") == {0: 10, 1: 5}
    assert outbox.oldest_age() == 0.0
    outbox.add([entry(1)], now=1000.0)
    assert outbox.oldest_age(now=1012.5) == 12.5


def test_the_database_is_in_wal_mode_with_full_sync(outbox: Outbox) -> None:
    assert outbox.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert outbox.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
