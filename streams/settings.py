"""One frozen settings object for every tracenet process.

Values come from environment variables (``TRACENET_*``) over defaults that suit the local
stack on loopback. Nothing else in tracenet reads the environment or hard-codes an address.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from streams.network import Network

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(f"TRACENET_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Where tracenet's parts live and how correlation behaves."""

    runtime_dir: Path = PROJECT_ROOT / ".tracenet"
    cache_dir: Path = Path.home() / ".cache" / "tracenet"
    network_file: Path = PROJECT_ROOT / "deploy" / "network.toml"
    kafka_port: int = 29092
    kafka_controller_port: int = 29093
    redis_port: int = 26379
    worker_web_port: int = 26066
    prometheus_port: int = 29090
    kafka_heap: str = "768M"
    topic_partitions: int = 4
    replication_factor: int = 1
    app_id: str = "tracenet"
    # correlation windows (days) and quorum
    repeat_exporter_nodes: int = 2
    repeat_exporter_window_days: int = 180
    port_hopping_window_days: int = 90
    reused_container_window_days: int = 180
    clock_skew_seconds: int = 300
    redis_persistence: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        d = cls()
        return cls(
            runtime_dir=Path(_env("RUNTIME_DIR", str(d.runtime_dir))),
            cache_dir=Path(_env("CACHE_DIR", str(d.cache_dir))),
            network_file=Path(_env("NETWORK_FILE", str(d.network_file))),
            kafka_port=int(_env("KAFKA_PORT", str(d.kafka_port))),
            kafka_controller_port=int(_env("KAFKA_CONTROLLER_PORT", str(d.kafka_controller_port))),
            redis_port=int(_env("REDIS_PORT", str(d.redis_port))),
            worker_web_port=int(_env("WORKER_WEB_PORT", str(d.worker_web_port))),
            prometheus_port=int(_env("PROMETHEUS_PORT", str(d.prometheus_port))),
            kafka_heap=_env("KAFKA_HEAP", d.kafka_heap),
            topic_partitions=int(_env("TOPIC_PARTITIONS", str(d.topic_partitions))),
            app_id=_env("APP_ID", d.app_id),
            repeat_exporter_nodes=int(_env("REPEAT_EXPORTER_NODES", str(d.repeat_exporter_nodes))),
            repeat_exporter_window_days=int(
                _env("REPEAT_EXPORTER_WINDOW_DAYS", str(d.repeat_exporter_window_days))),
            port_hopping_window_days=int(
                _env("PORT_HOPPING_WINDOW_DAYS", str(d.port_hopping_window_days))),
            reused_container_window_days=int(
                _env("REUSED_CONTAINER_WINDOW_DAYS", str(d.reused_container_window_days))),
            redis_persistence=_env("REDIS_PERSISTENCE", "1") not in ("0", "false", "no"),
        )

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def kafka_bootstrap(self) -> str:
        return os.environ.get("TRACENET_KAFKA_BOOTSTRAP", f"127.0.0.1:{self.kafka_port}")

    @property
    def redis_url(self) -> str:
        return os.environ.get("TRACENET_REDIS_URL", f"redis://127.0.0.1:{self.redis_port}/0")

    @property
    def kafka_jars_dir(self) -> Path:
        return self.cache_dir / "kafka-libs"

    @property
    def table_dir(self) -> Path:
        return self.runtime_dir / "worker-tables"

    @cached_property
    def network(self) -> Network:
        return Network.load(self.network_file)

    def librdkafka(self, **overrides: object) -> dict[str, object]:
        """librdkafka's dotted keys for a confluent-kafka client of this network."""
        conf: dict[str, object] = {"bootstrap.servers": self.kafka_bootstrap}
        conf.update(overrides)
        return conf
