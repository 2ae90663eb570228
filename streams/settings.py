"""One frozen settings object for every tracenet process.

Each field can be set by an environment variable named ``TRACENET_<FIELD>`` (for example
``TRACENET_KAFKA_PORT=39092``); defaults suit the local stack on loopback. Nothing else in
tracenet reads the environment or hard-codes an address.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from pathlib import Path

from streams.network import Network

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_FALSE = ("0", "false", "no", "off")


class SettingsError(ValueError):
    """An environment variable holds a value tracenet cannot use."""


@dataclass(frozen=True)
class Settings:
    """Where tracenet's parts live and how correlation behaves."""

    runtime_dir: Path = PROJECT_ROOT / ".tracenet"
    cache_dir: Path = Path.home() / ".cache" / "tracenet"
    network_file: Path = PROJECT_ROOT / "deploy" / "network.toml"
    # empty means the local stack on loopback; set for a multi-host deployment
    kafka_bootstrap_servers: str = ""
    redis_address: str = ""
    kafka_port: int = 29092
    kafka_controller_port: int = 29093
    kafka_heap: str = "768M"
    redis_port: int = 26379
    redis_persistence: bool = True
    worker_web_port: int = 26066
    prometheus_port: int = 29090
    # a member node's connector: metrics, health and HTTP ingest; the node's ingest token
    connector_port: int = 26100
    connector_token: str = field(default="", repr=False)
    # how long a node may stay silent before ops are alerted (seconds)
    silent_node_seconds: int = 6 * 3600
    # how long the group waits for a worker that stopped answering before moving its partitions
    worker_session_timeout_seconds: int = 30
    topic_partitions: int = 4
    replication_factor: int = 1
    app_id: str = "tracenet"
    # correlation: quorum, windows (days) and the clock skew tolerated on event times
    repeat_exporter_nodes: int = 2
    repeat_exporter_window_days: int = 180
    port_hopping_window_days: int = 90
    reused_container_window_days: int = 180
    clock_skew_seconds: int = 300

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = environ.get(f"TRACENET_{f.name.upper()}")
            if raw is None:
                continue
            try:
                values[f.name] = _parse(str(f.type), raw)
            except ValueError as exc:
                raise SettingsError(f"TRACENET_{f.name.upper()}={raw!r} is not a valid "
                                    f"{f.type}") from exc
        return cls(**values)  # type: ignore[arg-type]

    def environment(self) -> dict[str, str]:
        """These settings as TRACENET_* variables, for the processes the stack starts."""
        return {f"TRACENET_{f.name.upper()}": _format(getattr(self, f.name)) for f in fields(self)}

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def kafka_bootstrap(self) -> str:
        return self.kafka_bootstrap_servers or f"127.0.0.1:{self.kafka_port}"

    @property
    def redis_url(self) -> str:
        return self.redis_address or f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def kafka_jars_dir(self) -> Path:
        return self.cache_dir / "kafka-libs"

    @cached_property
    def network(self) -> Network:
        return Network.load(self.network_file)

    def librdkafka(self, **overrides: object) -> dict[str, object]:
        """librdkafka's dotted keys for a confluent-kafka client of this network."""
        return {"bootstrap.servers": self.kafka_bootstrap, **overrides}


def _parse(kind: str, raw: str) -> object:
    if kind == "int":
        return int(raw)
    if kind == "bool":
        return raw.strip().lower() not in _FALSE
    if kind == "Path":
        return Path(raw)
    return raw


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
