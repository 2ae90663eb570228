"""Create and align the network's topics with the declaration in streams/topics.py.

Idempotent: a topic that exists keeps its data; missing partitions are added, differing
configs are set, nothing is ever deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from confluent_kafka import KafkaException
from confluent_kafka.admin import (
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    NewPartitions,
    NewTopic,
)

from streams.settings import Settings
from streams.topics import TopicSpec, network_topics


class ProvisionError(RuntimeError):
    """The broker refused to create or change a topic."""


@dataclass
class ProvisionReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{len(self.created)} topics created, {len(self.changed)} changed, "
                f"{len(self.unchanged)} already as declared")


def provision(settings: Settings, specs: Sequence[TopicSpec] | None = None,
              timeout: float = 30.0) -> ProvisionReport:
    specs = list(specs) if specs is not None else network_topics(
        settings.network, settings.topic_partitions)
    admin = AdminClient(settings.librdkafka())
    report = ProvisionReport()
    try:
        existing = admin.list_topics(timeout=timeout).topics
    except KafkaException as exc:
        raise ProvisionError(f"cannot list topics on {settings.kafka_bootstrap}: {exc}") from exc

    missing = [s for s in specs if s.name not in existing]
    if missing:
        futures = admin.create_topics(
            [NewTopic(s.name, s.partitions, settings.replication_factor, config=s.config)
             for s in missing], operation_timeout=timeout)
        for name, fut in futures.items():
            try:
                fut.result()
                report.created.append(name)
            except KafkaException as exc:
                if exc.args[0].code() != exc.args[0].TOPIC_ALREADY_EXISTS:
                    raise ProvisionError(f"cannot create topic {name}: {exc}") from exc
                report.unchanged.append(name)

    for spec in (s for s in specs if s.name in existing):
        changed = _align(admin, spec, len(existing[spec.name].partitions), timeout)
        (report.changed if changed else report.unchanged).append(spec.name)
    return report


def _align(admin: AdminClient, spec: TopicSpec, partitions: int, timeout: float) -> bool:
    changed = False
    if partitions < spec.partitions:
        admin.create_partitions([NewPartitions(spec.name, spec.partitions)])[spec.name].result(timeout)
        changed = True
    resource = ConfigResource(ConfigResource.Type.TOPIC, spec.name)
    current = admin.describe_configs([resource])[resource].result(timeout)
    wrong = {k: v for k, v in spec.config.items() if k not in current or current[k].value != v}
    if wrong:
        resource = ConfigResource(
            ConfigResource.Type.TOPIC, spec.name,
            incremental_configs=[ConfigEntry(k, v, incremental_operation=AlterConfigOpType.SET)
                                 for k, v in wrong.items()])
        admin.incremental_alter_configs([resource])[resource].result(timeout)
        changed = True
    return changed
