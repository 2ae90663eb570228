"""Every Kafka topic tracenet uses, declared in one place and derived from the node list.

Ingress topics are per node: the node whose topic carried a record is its issuing node, so
what a node may write is decided per topic (ACLs later). Inbox topics are per node for the
same reason on the read side. Everything else is shared and internal to the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from streams.network import Network

DAY_MS = 24 * 3600 * 1000
# a hint on ingress and inbox messages; the Avro frame's fingerprint is what decides
RECORD_TYPE_HEADER = "tracenet-record-type"
VERSION = "v1"


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str] = field(default_factory=dict)
    purpose: str = ""


def ingress_topic(node: str) -> str:
    return f"tracenet.ingress.{node.lower()}.{VERSION}"


def inbox_topic(node: str) -> str:
    return f"tracenet.inbox.{node.lower()}.{VERSION}"


VALIDATED = f"tracenet.validated.{VERSION}"
SIGHTINGS = f"tracenet.sightings.{VERSION}"
CASES = f"tracenet.cases.{VERSION}"
DEAD_LETTERS = f"tracenet.deadletters.{VERSION}"
AUDIT = f"tracenet.audit.{VERSION}"


def node_of_ingress(topic: str) -> str | None:
    """The issuing node of a record, from the ingress topic that carried it."""
    parts = topic.split(".")
    if len(parts) == 4 and parts[0] == "tracenet" and parts[1] == "ingress":
        return parts[2].upper()
    return None


def network_topics(network: Network, partitions: int) -> list[TopicSpec]:
    """The topics `tracenet up` provisions for this network, idempotently."""
    keep_years = str(5 * 365 * DAY_MS)
    specs: list[TopicSpec] = []
    for node in network.nodes:
        specs.append(TopicSpec(
            ingress_topic(node.code), partitions,
            {"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
            f"records published by {node.name}; only {node.code} writes here",
        ))
        specs.append(TopicSpec(
            inbox_topic(node.code), partitions,
            {"cleanup.policy": "delete", "retention.ms": str(365 * DAY_MS)},
            f"what {node.name} is entitled to read: alerts from others and cases",
        ))
    specs += [
        TopicSpec(VALIDATED, partitions,
                  {"cleanup.policy": "delete", "retention.ms": keep_years},
                  "records that passed validation, keyed by record id"),
        TopicSpec(SIGHTINGS, partitions,
                  {"cleanup.policy": "delete", "retention.ms": str(30 * DAY_MS)},
                  "resolved events keyed by entity (exporter, consignee, container, B/L)"),
        TopicSpec(CASES, partitions,
                  {"cleanup.policy": "compact", "min.compaction.lag.ms": str(DAY_MS)},
                  "latest state of every case, keyed by case id; rebuilds the watchlist"),
        TopicSpec(DEAD_LETTERS, partitions,
                  {"cleanup.policy": "delete", "retention.ms": str(90 * DAY_MS)},
                  "rejected input with its reason code, for the publishing node to fix"),
        TopicSpec(AUDIT, 1,
                  {"cleanup.policy": "delete", "retention.ms": keep_years},
                  "who published, delivered and opened what, in order"),
    ]
    return specs
