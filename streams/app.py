"""The Faust app: created here, agents found in the domain packages by autodiscovery.

Importing this module builds the app object but opens no connection; the worker
(`tracenet worker`, streams/worker.py) starts it.
"""

from __future__ import annotations

import faust
from faust.sensors.prometheus import setup_prometheus_sensors
from faust.web import Request, Response, View
from prometheus_client import CollectorRegistry

from streams.metrics import WorkerMetrics
from streams.settings import Settings

AGENT_PACKAGES = [
    "streams.validation",
    "streams.resolution",
    "streams.correlation",
    "streams.delivery",
    "streams.watchlist",
]


def create_app(settings: Settings) -> faust.App:
    return faust.App(
        settings.app_id,
        broker=f"kafka://{settings.kafka_bootstrap}",
        store="memory://",  # tables are rebuilt from their changelog topics on start
        datadir=str(settings.runtime_dir / "worker-data"),
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        topic_disable_leader=True,
        producer_acks=-1,
        web_bind="127.0.0.1",
        web_port=settings.worker_web_port,
        web_host="127.0.0.1",
        autodiscover=AGENT_PACKAGES,
        origin="streams",
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.worker_session_timeout_seconds,
        broker_heartbeat_interval=min(3, settings.worker_session_timeout_seconds / 3),
        broker_commit_every=100,
        broker_commit_interval=1.0,
    )


settings = Settings.from_env()
app = create_app(settings)
registry = CollectorRegistry()
setup_prometheus_sensors(app, registry=registry, name_prefix="tracenet_faust")
metrics = WorkerMetrics.create(registry)


@app.page("/ready")
class Ready(View):
    """200 once the worker has joined its group and holds partitions: ready for traffic."""

    async def get(self, request: Request) -> Response:
        assigned = self.app.consumer.assignment() if self.app.consumer else set()
        if self.app.rebalancing or not assigned:
            return self.json({"ready": False, "rebalancing": self.app.rebalancing}, status=503)
        return self.json({"ready": True, "partitions": len(assigned)})
