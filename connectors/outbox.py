"""The connector's durable outbox: a record is ours from the moment it is accepted.

SQLite in WAL mode with ``synchronous=FULL``: a national system (or a file moved to
``done/``) forgets a record once we accepted it, so an accepted record must survive a power
cut, not only a crash of this process. NORMAL would lose the last commits on power loss;
the fsync that FULL adds costs little because records are committed in batches.

A record enters once: its record_id is fixed at insertion and a ledger of accepted ids
turns a re-submission of the same id into a no-op. It leaves only when the broker
acknowledged it (``remove``). File progress is committed in the same transaction as the
records read from the file, so a killed connector resumes exactly where it stopped.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, record_id TEXT NOT NULL UNIQUE,
    record_type TEXT NOT NULL, payload BLOB NOT NULL, source TEXT NOT NULL,
    accepted_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS ledger (record_id TEXT PRIMARY KEY, accepted_at REAL NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, next_line INTEGER NOT NULL DEFAULT 1,
    accepted INTEGER NOT NULL DEFAULT 0, duplicates INTEGER NOT NULL DEFAULT 0,
    finished_at REAL);
CREATE TABLE IF NOT EXISTS file_rejects (
    sha256 TEXT NOT NULL, line INTEGER NOT NULL, reason TEXT NOT NULL,
    PRIMARY KEY (sha256, line)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS positions (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Entry:
    """One accepted record, already encoded: what goes to the broker, keyed by record_id."""

    record_id: str
    record_type: str
    payload: bytes
    source: str


@dataclass(frozen=True)
class Pending:
    seq: int
    record_id: str
    record_type: str
    payload: bytes
    accepted_at: float


@dataclass(frozen=True)
class FileState:
    sha256: str
    name: str
    next_line: int
    accepted: int
    duplicates: int
    finished: bool
    rejects: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class FileProgress:
    """Where a file stands after a batch: committed with the batch's records."""

    sha256: str
    name: str
    next_line: int
    rejects: Sequence[tuple[int, str]] = ()


class Outbox:
    """Records accepted but not yet acknowledged; `setup()` opens the database."""

    def __init__(self, path: Path, *, synchronous: str = "FULL", ledger_days: int = 30) -> None:
        self.path = Path(path)
        self.synchronous = synchronous
        self.ledger_seconds = ledger_days * 86400
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def setup(self) -> Outbox:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={self.synchronous}")
        db.execute("PRAGMA busy_timeout=10000")
        db.executescript(SCHEMA)
        self._db = db
        self.prune_ledger()
        return self

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "call setup() first"
        return self._db

    def add(self, entries: Iterable[Entry], progress: FileProgress | None = None,
            now: float | None = None) -> list[bool]:
        """Store records (and a file's progress) in one transaction; False marks a known id."""
        now = time.time() if now is None else now
        added: list[bool] = []
        with self._lock, self._transaction():
            for e in entries:
                cur = self.db.execute("INSERT OR IGNORE INTO ledger VALUES (?, ?)", (e.record_id, now))
                if cur.rowcount == 0:
                    added.append(False)
                    continue
                self.db.execute(
                    "INSERT INTO outbox (record_id, record_type, payload, source, accepted_at) "
                    "VALUES (?, ?, ?, ?, ?)", (e.record_id, e.record_type, e.payload, e.source, now))
                added.append(True)
            if progress is not None:
                self._save_progress(progress, sum(added), len(added) - sum(added))
        return added

    def pending(self, limit: int = 1000) -> list[Pending]:
        """The oldest records still waiting, in acceptance order."""
        with self._lock:
            rows = self.db.execute(
                "SELECT seq, record_id, record_type, payload, accepted_at FROM outbox "
                "ORDER BY seq LIMIT ?", (limit,)).fetchall()
        return [Pending(*row) for row in rows]

    def remove(self, record_ids: Iterable[str], positions: dict[tuple[str, int], int] | None = None) -> int:
        """Forget acknowledged records and, with them, how far the topic is accounted for."""
        with self._lock, self._transaction():
            removed = 0
            for rid in record_ids:
                removed += self.db.execute("DELETE FROM outbox WHERE record_id = ?", (rid,)).rowcount
            for (topic, partition), offset in (positions or {}).items():
                self.db.execute(
                    "INSERT INTO positions VALUES (?, ?, ?) ON CONFLICT (topic, partition) "
                    "DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)",
                    (topic, partition, offset))
        return removed

    def positions(self, topic: str) -> dict[int, int]:
        with self._lock:
            rows = self.db.execute("SELECT partition, next_offset FROM positions WHERE topic = ?",
                                   (topic,)).fetchall()
        return dict(rows)

    def depth(self) -> int:
        with self._lock:
            return int(self.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def oldest_age(self, now: float | None = None) -> float:
        """Seconds the oldest waiting record has waited; 0 when the outbox is empty."""
        with self._lock:
            oldest = self.db.execute("SELECT MIN(accepted_at) FROM outbox").fetchone()[0]
        return 0.0 if oldest is None else max(0.0, (time.time() if now is None else now) - oldest)

    def file_state(self, sha256: str) -> FileState | None:
        with self._lock:
            row = self.db.execute("SELECT sha256, name, next_line, accepted, duplicates, finished_at "
                                  "FROM files WHERE sha256 = ?", (sha256,)).fetchone()
            if row is None:
                return None
            rejects = self.db.execute("SELECT line, reason FROM file_rejects WHERE sha256 = ? "
                                      "ORDER BY line", (sha256,)).fetchall()
        return FileState(*row[:5], finished=row[5] is not None, rejects=tuple(rejects))

    def finish_file(self, progress: FileProgress, now: float | None = None) -> None:
        with self._lock, self._transaction():
            self._save_progress(progress, 0, 0)
            self.db.execute("UPDATE files SET finished_at = ? WHERE sha256 = ?",
                            (time.time() if now is None else now, progress.sha256))

    def prune_ledger(self, now: float | None = None) -> None:
        """Forget accepted ids after ledger_days: the window in which a re-send is deduplicated."""
        cutoff = (time.time() if now is None else now) - self.ledger_seconds
        with self._lock:
            self.db.execute("DELETE FROM ledger WHERE accepted_at < ? AND record_id NOT IN "
                            "(SELECT record_id FROM outbox)", (cutoff,))

    def _save_progress(self, p: FileProgress, accepted: int, duplicates: int) -> None:
        self.db.execute(
            "INSERT INTO files (sha256, name, next_line, accepted, duplicates) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (sha256) DO UPDATE SET next_line = max(next_line, excluded.next_line), "
            "accepted = accepted + excluded.accepted, duplicates = duplicates + excluded.duplicates",
            (p.sha256, p.name, p.next_line, accepted, duplicates))
        self.db.executemany("INSERT OR REPLACE INTO file_rejects VALUES (?, ?, ?)",
                            [(p.sha256, line, reason) for line, reason in p.rejects])

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error (the connection is in autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
