"""The inbox sink: each delivery becomes a JSON file in a folder, and optionally a webhook POST.

Files are written to a dot-name, fsynced and renamed, so a system that reads the folder
never sees half a file; the name is stable per id and version, so a delivery read twice
(after a restart) lands on the same file. The consumer group's offset is committed only
after the file is written and the webhook took it: a crash means a repeat, never a loss.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from connectors.inbox import Delivery
from connectors.webhook import Webhook


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass
class FolderSink:
    folder: Path
    webhook: Webhook | None = None
    written: int = 0
    already: int = 0
    posted: int = 0

    def setup(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PermissionError(f"cannot create the inbox folder {self.folder}: {exc.strerror}") from exc

    def deliver(self, d: Delivery) -> Path:
        """Write (unless already there) and post one delivery; raises WebhookError on give-up."""
        body = json.dumps(d.to_json(), ensure_ascii=False, sort_keys=True, indent=2).encode()
        target = self.folder / d.file_name
        if target.exists():
            self.already += 1
        else:
            write_atomically(target, body)
            self.written += 1
        if self.webhook is not None:
            ident, version = d.ident
            self.webhook.post(body, f"{ident}@v{version}")
            self.posted += 1
        return target

    def summary(self) -> str:
        return (f"{self.written} deliveries written to {self.folder}, {self.already} were there already"
                + (f", {self.posted} posted to the webhook" if self.webhook else ""))


