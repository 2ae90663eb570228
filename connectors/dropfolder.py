"""A folder national systems drop their exports into, watched by the connector.

Convention (connectors/README.md): a producer writes ``name.tmp`` (or a dotfile) and renames
it to ``name.jsonl`` / ``name.csv`` when complete; a rename is atomic, so a file with a
final name is whole. As a second guard against producers that write in place, a file is
read only once its size and modification time have stayed the same for ``settle`` seconds.
Every file ends in ``done/`` or, with its ``.report.txt``, in ``rejected/``; one bad file
never holds back the files after it.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from connectors.files import FileResult, format_report

log = logging.getLogger("tracenet.connector")

READ_SUFFIXES = (".jsonl", ".ndjson", ".json-lines", ".csv")
SKIP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".swp")


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _free_name(folder: Path, name: str, tag: str) -> Path:
    """done/<name>, or done/<stem>.<tag><suffix> when a file of that name is already there."""
    target = folder / name
    if not target.exists():
        return target
    stem, dot, suffix = name.partition(".")
    return folder / f"{stem}.{tag}{dot}{suffix}"


class DropFolder:
    """Finds complete files in arrival order and files each away after it was read."""

    def __init__(self, folder: Path, ingest: Callable[[Path], FileResult], node: str, *,
                 settle: float = 1.0) -> None:
        self.folder = Path(folder)
        self.ingest = ingest
        self.node = node
        self.settle = settle
        self._seen: dict[Path, tuple[int, int, float]] = {}

    @property
    def done(self) -> Path:
        return self.folder / "done"

    @property
    def rejected(self) -> Path:
        return self.folder / "rejected"

    def setup(self) -> None:
        if not self.folder.is_dir():
            raise FileNotFoundError(f"drop folder {self.folder} does not exist or is not a folder")
        self.done.mkdir(exist_ok=True)
        self.rejected.mkdir(exist_ok=True)

    def ready(self, now: float | None = None) -> list[Path]:
        """Files with a final name whose size and mtime have settled, oldest first."""
        now = time.monotonic() if now is None else now
        found: list[tuple[int, str, Path]] = []
        for path in self.waiting():
            name = path.name
            try:
                st = path.stat()
            except FileNotFoundError:  # renamed or removed by its producer since the listing
                continue
            sig = (st.st_size, st.st_mtime_ns)
            first = self._seen.get(path)
            if first is None or first[:2] != sig:
                self._seen[path] = (*sig, now)
                if self.settle > 0:
                    continue
            elif now - first[2] < self.settle:
                continue
            found.append((st.st_mtime_ns, name, path))
        return [p for _m, _n, p in sorted(found)]

    def waiting(self) -> list[Path]:
        """Files with a final name in the folder, settled or not (temporary names are not)."""
        return [p for p in self.folder.iterdir()
                if p.is_file() and not p.name.startswith((".", "~"))
                and not p.name.lower().endswith(SKIP_SUFFIXES)]

    def scan_once(self, now: float | None = None) -> list[FileResult]:
        results = []
        for path in self.ready(now):
            results.append(self.process(path))
        return results

    def process(self, path: Path) -> FileResult:
        """Read one file into the outbox, then move it away; never raises for a bad file."""
        self._seen.pop(path, None)
        if not path.name.lower().endswith(READ_SUFFIXES):
            result = FileResult(path.name, "-", rejects=[(0, f"{path.name}: the connector reads .jsonl "
                                                          "and .csv exports only")])
        else:
            try:
                result = self.ingest(path)
            except OSError as exc:
                result = FileResult(path.name, "-", rejects=[(0, f"cannot read the file: {exc}")])
        self.file_away(path, result)
        return result

    def file_away(self, path: Path, result: FileResult) -> Path:
        tag = result.sha256[:12] if result.sha256 != "-" else time.strftime("%Y%m%dT%H%M%S")
        if result.clean:
            target = _free_name(self.done, path.name, tag)
            os.replace(path, target)
            what = "already published earlier (same content)" if result.seen_before else \
                f"{result.accepted} records accepted"
            log.info("%s: %s -> %s", path.name, what, target)
            return target
        target = _free_name(self.rejected, path.name, tag)
        _atomic_write(target.with_name(target.name + ".report.txt"), format_report(result, self.node))
        os.replace(path, target)
        log.warning("%s: %d rows rejected, %d accepted -> %s (read %s.report.txt)", path.name,
                    len(result.rejects), result.accepted, target, target.name)
        return target
