"""Reading one export file into the outbox, resumably, and the report an officer reads.

A file is known by the SHA-256 of its content. Its rows go to the outbox in batches, and
each batch commits the line reached together with its records: a connector killed in the
middle of a large file resumes after the last committed line, so no row is lost and none
is accepted twice (the record ids were fixed when their batch committed).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from tqdm import tqdm

from connectors.outbox import Entry, FileProgress, Outbox
from connectors.source import rows_to_publish
from schemas.codec import CodecError, RecordCodec
from schemas.mapping import MappingError
from streams.metrics import ConnectorMetrics
from streams.network import Network

BATCH_ROWS = 500
BAR_MIN_LINES = 2000  # smaller files finish before a bar is worth drawing


@dataclass
class FileResult:
    name: str
    sha256: str
    accepted: int = 0
    duplicates: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    seen_before: bool = False

    @property
    def clean(self) -> bool:
        return not self.rejects


@dataclass(frozen=True)
class FileIngest:
    """What reading a file needs; one per connector."""

    node: str
    network: Network
    outbox: Outbox
    codec: RecordCodec
    metrics: ConnectorMetrics
    record_type: str | None = None
    skew: timedelta = timedelta(minutes=5)
    show_progress: Callable[[], bool] = sys.stderr.isatty

    def __call__(self, path: Path) -> FileResult:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        state = self.outbox.file_state(sha)
        if state is not None and state.finished:
            return FileResult(path.name, sha, state.accepted, state.duplicates, list(state.rejects),
                              seen_before=True)
        start = state.next_line if state is not None else 1
        progress = FileProgress(sha, path.name, start)
        lines = data.count(b"\n") + 1
        bar = tqdm(total=lines, initial=start - 1, unit="rows", desc=path.name, file=sys.stderr,
                   disable=not self.show_progress() or lines < BAR_MIN_LINES, leave=False)
        try:
            progress = self._read(path, start, progress, bar)
        except MappingError as exc:  # the file as a whole: not UTF-8, unknown suffix, bad header
            progress = FileProgress(sha, path.name, start, [(0, str(exc))])
            self.metrics.records.labels(self.node, "unknown", "rejected").inc()
        finally:
            bar.close()
        self.outbox.finish_file(progress)
        done = self.outbox.file_state(sha)
        assert done is not None
        return FileResult(path.name, sha, done.accepted, done.duplicates, list(done.rejects))

    def _read(self, path: Path, start: int, progress: FileProgress, bar: tqdm) -> FileProgress:
        entries: list[Entry] = []
        rejects: list[tuple[int, str]] = []
        last = start - 1
        for row in rows_to_publish(path, self.node, self.network, record_type=self.record_type,
                                   skew=self.skew):
            if row.line < start:
                continue
            bar.update(row.line - last)
            last = row.line
            reason = "; ".join(_unprefixed(p, row.line) for p in row.problems)
            if row.accepted:
                assert row.record is not None and row.record_type is not None
                try:
                    payload = self.codec.encode(row.record_type, row.record)
                    entries.append(Entry(str(row.record["record_id"]), row.record_type, payload,
                                         f"{path.name}:{row.line}"))
                except CodecError as exc:
                    reason = str(exc)
            if reason:
                rejects.append((row.line, reason))
                self.metrics.records.labels(self.node, row.record_type or "unknown", "rejected").inc()
            if len(entries) + len(rejects) >= BATCH_ROWS:
                progress = self._commit(progress, entries, rejects, last + 1)
                entries, rejects = [], []
        return self._commit(progress, entries, rejects, last + 1)

    def _commit(self, progress: FileProgress, entries: list[Entry], rejects: list[tuple[int, str]],
                next_line: int) -> FileProgress:
        step = FileProgress(progress.sha256, progress.name, max(next_line, progress.next_line), rejects)
        added = self.outbox.add(entries, step)
        for entry, new in zip(entries, added, strict=True):
            if new:
                self.metrics.records.labels(self.node, entry.record_type, "accepted").inc()
        return FileProgress(step.sha256, step.name, step.next_line)


def _unprefixed(problem: str, line: int) -> str:
    """Mapping errors say "line N: ..." already; the report puts the line number in front once."""
    prefix = f"line {line}: "
    return problem[len(prefix):] if problem.startswith(prefix) else problem


def format_report(result: FileResult, node: str) -> str:
    """The .report.txt next to a rejected file: one line per rejected row, line number first."""
    head = [f"tracenet connector report for {result.name} (node {node})",
            f"sha256 {result.sha256}",
            f"{result.accepted} records accepted for publishing, {len(result.rejects)} rows rejected"
            + (f", {result.duplicates} already accepted before" if result.duplicates else ""),
            "Rejected rows were not published: fix them and drop a file with those rows only.", ""]
    body = [f"file: {reason}" if line == 0 else f"line {line}: {reason}"
            for line, reason in sorted(result.rejects)]
    return "\n".join(head + body) + "\n"
