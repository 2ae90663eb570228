"""`tracenet up | down | status`: the local stack as plain processes on loopback.

Order matters: Kafka and Redis first, then topics, then the worker (and Prometheus when
asked). `up` is idempotent: what already runs is left alone. `down` stops, in reverse
order, only what `up` started (the pid files say which).
"""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from deploy.local.kafka import KafkaBroker
from deploy.local.processes import (
    StackError,
    StackPart,
    ensure_port_free,
    http_ok,
)
from deploy.local.prometheus import PrometheusServer
from deploy.local.redis import RedisServer
from streams.provision import ProvisionError, provision
from streams.settings import PROJECT_ROOT, Settings


class Worker(StackPart):
    """The Faust worker, run as `python -m streams.worker` with the stack's settings."""

    name, label, stop_timeout = "worker", "The tracenet worker", 30.0

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings.runtime_dir)
        self.settings = settings

    @property
    def ready_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.worker_web_port}/ready"

    def healthy(self) -> bool:
        return http_ok(self.ready_url)

    def start(self, timeout: float = 90.0, progress=print) -> None:  # type: ignore[no-untyped-def]
        if self.running():
            return
        ensure_port_free(self.settings.worker_web_port, "the tracenet worker",
                         "TRACENET_WORKER_WEB_PORT")
        self.proc.start([sys.executable, "-m", "streams.worker"], cwd=PROJECT_ROOT,
                        env=self.settings.environment())
        progress(f"Starting the tracenet worker (metrics on 127.0.0.1:"
                 f"{self.settings.worker_web_port}/metrics) ...")
        self.await_ready(timeout, interval=0.5)


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    running: bool
    healthy: bool
    address: str
    pid: int | None
    log: str

    def line(self) -> str:
        state = "healthy" if self.healthy else ("UNHEALTHY" if self.running else "stopped")
        pid = f"pid {self.pid}" if self.pid else "-"
        return f"{self.name:<11} {state:<10} {self.address:<24} {pid:<12} {self.log}"


class LocalStack:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.kafka = KafkaBroker(settings)
        self.redis = RedisServer(settings)
        self.worker = Worker(settings)
        self.prometheus = PrometheusServer(settings)

    def up(self, *, worker: bool = True, prometheus: bool = False,
           progress=print) -> None:  # type: ignore[no-untyped-def]
        self.settings.runtime_dir.mkdir(parents=True, exist_ok=True)
        self.kafka.start(progress=progress)
        self.redis.start(progress=progress)
        try:
            report = provision(self.settings)
        except ProvisionError as exc:
            raise StackError(f"{exc}. See the broker log: {self.kafka.server_log}") from exc
        progress(f"Topics: {report}")
        if worker:
            self.worker.start(progress=progress)
        if prometheus:
            self.prometheus.start(progress=progress)

    def down(self, progress=print) -> list[str]:  # type: ignore[no-untyped-def]
        stopped = []
        for part in (self.prometheus, self.worker, self.redis, self.kafka):
            if part.stop():
                stopped.append(part.name)
                progress(f"stopped {part.name}")
        return stopped

    def status(self) -> list[ServiceStatus]:
        s = self.settings
        rows = []
        for part, port in ((self.kafka, s.kafka_port), (self.redis, s.redis_port),
                           (self.worker, s.worker_web_port), (self.prometheus, s.prometheus_port)):
            proc = part.proc.process()
            rows.append(ServiceStatus(part.name, proc is not None, proc is not None and part.healthy(),
                                      f"127.0.0.1:{port}", proc.pid if proc else None,
                                      str(part.proc.log_file)))
        return rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ephemeral_settings(base: Settings, runtime_dir: Path) -> Settings:
    """A throwaway stack beside any other: free ports, its own folder, no persistence.
    Tests and benchmarks run on it, never on the stack `tracenet up` started."""
    return base.with_(
        runtime_dir=runtime_dir, kafka_port=free_port(), kafka_controller_port=free_port(),
        redis_port=free_port(), worker_web_port=free_port(), prometheus_port=free_port(),
        connector_port=free_port(), redis_persistence=False, kafka_heap="512M", topic_partitions=2,
        worker_session_timeout_seconds=10)


__all__ = ["LocalStack", "StackError", "ensure_port_free", "ephemeral_settings", "free_port"]
