"""Export files into the outbox: reports by line, resumable, and a drop folder nothing blocks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from connectors.dropfolder import DropFolder
from connectors.files import FileIngest, FileResult, format_report
from connectors.outbox import Outbox
from schemas.codec import default_codec
from schemas.mapping import record_to_json
from streams.metrics import ConnectorMetrics
from streams.settings import Settings
from tests.factories import alert


def line(**overrides: object) -> str:
    row = record_to_json("SuspiciousShipmentAlert", alert("LA"))
    for key in ("record_id", "issuing_node", "issued_at"):
        row.pop(key, None)
    row.update(overrides)
    return json.dumps(row, ensure_ascii=False, default=str) + "\n"


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    box = Outbox(tmp_path / "state" / "outbox.sqlite").setup()
    yield box
    box.close()


@pytest.fixture
def ingest(outbox: Outbox) -> FileIngest:
    metrics = ConnectorMetrics.create(CollectorRegistry())
    return FileIngest("LA", Settings.from_env({}).network, outbox, default_codec(), metrics,
                      show_progress=lambda: False)


def test_report_lists_rejected_rows_by_line() -> None:
    result = FileResult("x.jsonl", "ab" * 32, accepted=3, rejects=[(5, "the line is cut off"), (2, "bad")])
    text = format_report(result, "LA")
    lines = text.splitlines()
    assert lines[0] == "tracenet connector report for x.jsonl (node LA)"
    assert "3 records accepted for publishing, 2 rows rejected" in text
    assert lines[-2:] == ["line 2: bad", "line 5: the line is cut off"]
    assert format_report(FileResult("y.csv", "-", rejects=[(0, "not UTF-8")]), "LA").endswith(
        "file: not UTF-8\n")


def test_a_file_is_read_once_and_bad_rows_are_named(ingest: FileIngest, outbox: Outbox,
                                                   tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(line() + line(containers=["CSQU3054384"]) + line() + '{"type": "al', encoding="utf-8")
    result = ingest(path)
    assert result.accepted == 2 and [n for n, _ in result.rejects] == [2, 4]
    assert "cut off" in dict(result.rejects)[4] and not dict(result.rejects)[4].startswith("line")
    assert outbox.depth() == 2
    again = ingest(path)
    assert again.seen_before and outbox.depth() == 2


def test_a_resumed_file_continues_after_the_committed_line(ingest: FileIngest, outbox: Outbox,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("".join(line() for _ in range(1200)), encoding="utf-8")
    first = ingest(path)
    ids = [p.record_id for p in outbox.pending(5000)]
    # pretend the connector died after its first batch of 500: forget the rest, keep the progress
    outbox.db.execute("DELETE FROM outbox WHERE seq > 500")
    outbox.db.execute("DELETE FROM ledger WHERE record_id NOT IN (SELECT record_id FROM outbox)")
    outbox.db.execute("UPDATE files SET next_line = 501, accepted = 500, finished_at = NULL")
    resumed = ingest(path)
    assert first.accepted == 1200 and resumed.accepted == 1200
    after = [p.record_id for p in outbox.pending(5000)]
    assert len(after) == len(set(after)) == 1200 and after[:500] == ids[:500]


def test_not_utf8_gives_one_clear_reason(ingest: FileIngest, tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(line().encode("utf-8") + "{\"notes\": \"Société\"}\n".encode("latin-1"))
    result = ingest(path)
    assert result.accepted == 0 and result.rejects[0][0] == 0
    assert "not UTF-8" in result.rejects[0][1]


def test_drop_folder_skips_temporary_names_and_files_everything_away(ingest: FileIngest,
                                                                    tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    folder = DropFolder(drop, ingest, "LA", settle=0)
    folder.setup()
    (drop / "a.jsonl").write_text(line(), encoding="utf-8")
    (drop / "b.jsonl").write_bytes(b"\xff\xfe not text")
    (drop / "c.jsonl.tmp").write_text(line(), encoding="utf-8")
    (drop / ".d.jsonl").write_text(line(), encoding="utf-8")
    (drop / "e.txt").write_text("hello", encoding="utf-8")
    (drop / "f.jsonl").write_text(line() + '{"type": "alert", "event_', encoding="utf-8")
    results = {r.name: r for r in folder.scan_once()}
    assert set(results) == {"a.jsonl", "b.jsonl", "e.txt", "f.jsonl"}
    assert sorted(p.name for p in folder.done.iterdir()) == ["a.jsonl"]
    rejected = sorted(p.name for p in folder.rejected.iterdir())
    assert rejected == ["b.jsonl", "b.jsonl.report.txt", "e.txt", "e.txt.report.txt",
                        "f.jsonl", "f.jsonl.report.txt"]
    assert "line 2: " in (folder.rejected / "f.jsonl.report.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in drop.iterdir() if p.is_file()) == [".d.jsonl", "c.jsonl.tmp"]


def test_drop_folder_waits_until_a_file_stops_changing(ingest: FileIngest, tmp_path: Path) -> None:
    folder = DropFolder(tmp_path, ingest, "LA", settle=2.0)
    folder.setup()
    (tmp_path / "a.jsonl").write_text(line(), encoding="utf-8")
    assert folder.ready(now=100.0) == []
    assert folder.ready(now=101.0) == []
    assert [p.name for p in folder.ready(now=102.5)] == ["a.jsonl"]
    with (tmp_path / "a.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(line())
    assert folder.ready(now=103.0) == []
