"""A member node's connector: sources in, outbox in the middle, the broker out.

The constructor stores settings; ``setup()`` opens the outbox and checks the folder (it does
not need the broker: a connector starts and accepts records while the link is down);
``serve()`` runs the HTTP server, the drop-folder watch and the drainer until stopped;
``flush()`` waits until the outbox is empty.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry

from connectors.drain import Drainer
from connectors.dropfolder import DropFolder
from connectors.files import FileIngest, FileResult
from connectors.http import IngestService, build_app
from connectors.outbox import Outbox
from schemas.codec import default_codec
from streams.metrics import ConnectorMetrics
from streams.settings import Settings

log = logging.getLogger("tracenet.connector")


@dataclass(frozen=True)
class ConnectorOptions:
    outbox_path: Path | None = None
    watch: Path | None = None
    port: int = Settings.connector_port
    host: str = "127.0.0.1"
    token: str | None = None
    record_type: str | None = None
    settle: float = 1.0
    scan_interval: float = 1.0
    delivery_timeout_ms: int = 30_000


def default_outbox(settings: Settings, node: str) -> Path:
    return settings.runtime_dir / "connectors" / node.lower() / "outbox.sqlite"


class Connector:
    """One node's connector; see the module docstring for its lifecycle."""

    def __init__(self, settings: Settings, node: str, options: ConnectorOptions | None = None) -> None:
        self.settings = settings
        self.node = node
        self.options = options or ConnectorOptions()
        self.registry = CollectorRegistry()
        self.metrics = ConnectorMetrics.create(self.registry)
        self.outbox = Outbox(self.options.outbox_path or default_outbox(settings, node))
        self.drainer: Drainer | None = None
        self.folder: DropFolder | None = None
        self.ingest_file: FileIngest | None = None
        self._thread: threading.Thread | None = None

    def setup(self) -> None:
        node = self.settings.network.node(self.node)
        self.node = node.code
        self.outbox.setup()
        skew = timedelta(seconds=self.settings.clock_skew_seconds)
        self.ingest_file = FileIngest(self.node, self.settings.network, self.outbox, default_codec(),
                                      self.metrics, self.options.record_type, skew)
        if self.options.watch is not None:
            self.folder = DropFolder(self.options.watch, self.ingest_file, self.node,
                                     settle=self.options.settle)
            self.folder.setup()
        self.drainer = Drainer(self.settings, self.node, self.outbox, self.metrics,
                               delivery_timeout_ms=self.options.delivery_timeout_ms)
        # read at scrape time, so the backlog shows even while the drainer waits on the broker
        self.metrics.outbox_depth.labels(self.node).set_function(self.outbox.depth)
        self.metrics.outbox_oldest_age.labels(self.node).set_function(self.outbox.oldest_age)

    def read_file(self, path: Path) -> FileResult:
        """One file into the outbox (a file named on the command line; it is not moved)."""
        assert self.ingest_file is not None, "call setup() first"
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist or is not a file")
        result = self.ingest_file(path)
        self.wake()
        return result

    def wake(self) -> None:
        if self.drainer is not None:
            self.drainer.wake.set()

    def start_drainer(self) -> None:
        assert self.drainer is not None, "call setup() first"
        if self._thread is None:
            self._thread = threading.Thread(target=self.drainer.run, name="drainer", daemon=True)
            self._thread.start()

    def health(self) -> dict[str, Any]:
        assert self.drainer is not None
        return {"node": self.node, "outbox_depth": self.outbox.depth(),
                "oldest_unacknowledged_seconds": round(self.outbox.oldest_age(), 3),
                "broker": "up" if self.drainer.broker_up else "down",
                "last_error": "" if self.drainer.broker_up else self.drainer.last_error}

    async def serve(self, stop: asyncio.Event, *, once: bool = False) -> None:
        """Run until `stop` is set (or, with once, until the drop folder is empty)."""
        assert self.drainer is not None, "call setup() first"
        service = IngestService(self.node, self.settings.network, self.outbox, default_codec(),
                                self.metrics, timedelta(seconds=self.settings.clock_skew_seconds))
        app = build_app(service, self.registry, self.options.token, self.health)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.options.host, self.options.port).start()
        except OSError as exc:
            await runner.cleanup()
            where = f"{self.options.host}:{self.options.port}"
            raise PermissionError(f"cannot serve on {where} ({exc.strerror}); "
                                  "choose another with --port") from exc
        log.info("node %s: metrics and health on http://%s:%d/ (ingest %s)", self.node, self.options.host,
                 self.options.port, "on" if self.options.token else "off: no token")
        self.start_drainer()
        try:
            while not stop.is_set():
                if self.folder is not None:
                    found = await asyncio.to_thread(self.folder.scan_once)
                    if found:
                        self.wake()
                        continue
                if once and not self._folder_busy():
                    break
                try:
                    await asyncio.wait_for(stop.wait(), self.options.scan_interval)
                except TimeoutError:
                    pass
        finally:
            await runner.cleanup()

    def _folder_busy(self) -> bool:
        return self.folder is not None and bool(self.folder.waiting())

    def flush(self, timeout: float = 60.0) -> int:
        """Wait until the outbox is empty; returns how many records still wait."""
        deadline = time.monotonic() + timeout
        self.start_drainer()
        while self.outbox.depth() and time.monotonic() < deadline:
            self.wake()
            time.sleep(0.2)
        return self.outbox.depth()

    def close(self) -> None:
        if self.drainer is not None:
            self.drainer.stop()
        if self._thread is not None:
            self._thread.join(timeout=self.options.delivery_timeout_ms / 1000 + 15)
        self.outbox.close()
