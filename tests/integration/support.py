"""Helpers for the connector tests: a real `tracenet connect` process, rows, health (no tests here)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, TopicPartition

from deploy.local.stack import free_port
from schemas.mapping import record_to_json
from streams.settings import Settings
from streams.topics import CASES, SIGHTINGS, VALIDATED
from tests.factories import alert


def run_cli(settings: Settings, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """`tracenet ARGS` as a user runs it, against the test's stack."""
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **settings.environment()}, timeout=timeout, check=False)


def rows(node: str, count: int, start: int = 0) -> str:
    """JSON Lines of valid alerts without record ids; risk_notes carries the row number."""
    base = record_to_json("SuspiciousShipmentAlert", alert(node))
    for key in ("record_id", "issuing_node", "issued_at"):
        base.pop(key, None)
    return "".join(json.dumps({**base, "risk_notes": f"row {n}"}, ensure_ascii=False, default=str) + "\n"
                   for n in range(start, start + count))


def drop(folder: Path, name: str, text: str | bytes) -> Path:
    """Write-then-rename, as the drop-folder convention asks of producers."""
    tmp = folder / f"{name}.tmp"
    tmp.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return tmp.rename(folder / name)


def wait_for(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class ConnectorProcess:
    """`python -m streams.cli connect ...` as a node installs it, with its log kept."""

    def __init__(self, settings: Settings, tmp: Path, *args: str, port: int | None = None) -> None:
        self.settings = settings
        self.port = port or free_port()
        self.args = ["--port", str(self.port), "--outbox", str(tmp / "outbox.sqlite"), *args]
        self.log = tmp / "connector.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, extra_env: dict[str, str] | None = None) -> ConnectorProcess:
        env = {**os.environ, **self.settings.environment(), **(extra_env or {})}
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "streams.cli", "connect", *self.args],
                                         stdout=log, stderr=subprocess.STDOUT, env=env)
        wait_for(lambda: self.health() is not None, 30, f"the connector to serve (log {self.log})")
        return self

    def health(self) -> dict[str, Any] | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                return json.loads(r.read())
        except OSError:
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"connector exited: {self.log.read_text()[-3000:]}") from None
            return None

    def metric(self, name: str, **labels: str) -> float:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            text = r.read().decode()
        total = 0.0
        for line in text.splitlines():
            if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def wait_idle(settings: Settings, timeout: float = 90.0,
              progress: Callable[[str], None] | None = None) -> None:
    """Return once the worker (group = app id) has committed every message of every topic it
    reads: the pipeline has caught up. Faust commits about every second."""
    consumer = Consumer(settings.librdkafka(**{"group.id": settings.app_id,
                                               "enable.auto.commit": False}))
    deadline = time.monotonic() + timeout
    next_report = time.monotonic() + 5
    try:
        while True:
            topics = [name for name in consumer.list_topics(timeout=10).topics
                      if name.startswith(("tracenet.ingress.", VALIDATED, SIGHTINGS, CASES))
                      or name.endswith("-repartition")]
            parts = [TopicPartition(t, p) for t in topics
                     for p in consumer.list_topics(t, timeout=10).topics[t].partitions]
            behind = []
            for tp in consumer.committed(parts, timeout=10):
                end = consumer.get_watermark_offsets(tp, timeout=10)[1]
                if end > 0 and tp.offset < end:
                    behind.append(f"{tp.topic}[{tp.partition}] {max(tp.offset, 0)}/{end}")
            if not behind:
                return
            if progress is not None and time.monotonic() >= next_report:
                progress(f"worker behind on {len(behind)} partitions: {', '.join(behind[:3])}")
                next_report = time.monotonic() + 5
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker did not catch up within {timeout:.0f}s: {behind}")
            time.sleep(0.5)
    finally:
        consumer.close()


def read_topic(settings: Settings, topic: str, *, timeout: float = 30.0,
               expect: int | None = None) -> list[tuple[bytes | None, bytes]]:
    """Every message of a topic from the beginning (or until `expect` arrived)."""
    consumer = Consumer(settings.librdkafka(**{
        "group.id": f"reader-{uuid.uuid4().hex}", "auto.offset.reset": "earliest",
        "enable.auto.commit": False}))
    meta = consumer.list_topics(topic, timeout=10).topics[topic]
    parts = [TopicPartition(topic, p) for p in meta.partitions]
    ends = {p.partition: consumer.get_watermark_offsets(p, timeout=10)[1] for p in parts}
    consumer.assign([TopicPartition(topic, p.partition, 0) for p in parts])
    out: list[tuple[bytes | None, bytes]] = []
    deadline = time.monotonic() + timeout
    done_at_end = expect is None
    try:
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                out.append((msg.key(), msg.value()))
            if expect is not None and len(out) >= expect:
                break
            if done_at_end and msg is None:
                positions = consumer.position(parts)
                if all(p.offset >= ends[p.partition] or ends[p.partition] == 0 for p in positions):
                    break
    finally:
        consumer.close()
    return out
