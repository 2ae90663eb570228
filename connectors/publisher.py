"""Publishing a node's records to its own ingress topic.

The producer is idempotent with acks=all, and every record is keyed by its stable
record id, so a retry after a lost acknowledgement never creates a second record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from confluent_kafka import KafkaError, KafkaException, Message, Producer

from schemas.codec import RecordCodec, default_codec
from streams.settings import Settings
from streams.topics import RECORD_TYPE_HEADER, ingress_topic

Delivered = Callable[[str, "str | None"], None]
Report = Callable[["KafkaError | None", Message], None]


class BrokerUnreachable(KafkaException):
    """Raised before publishing when the broker does not answer at all."""


@dataclass
class NodePublisher:
    """Writes one node's records; `setup()` connects, `flush()` waits for acknowledgements."""

    settings: Settings
    node: str
    codec: RecordCodec | None = None
    delivery_timeout_ms: int = 30_000
    # librdkafka logs every failed reconnect; the connector reports outages itself (2 = critical)
    log_level: int | None = None
    _producer: Producer | None = None

    @property
    def topic(self) -> str:
        return ingress_topic(self.node)

    def setup(self, connect_timeout: float = 10.0) -> None:
        self.codec = self.codec or default_codec()
        self._producer = Producer(self.settings.librdkafka(**{
            "enable.idempotence": True,
            "acks": "all",
            "linger.ms": 5,
            "compression.type": "zstd",
            "delivery.timeout.ms": self.delivery_timeout_ms,
            "client.id": f"tracenet-node-{self.node.lower()}",
            **({"log_level": self.log_level} if self.log_level is not None else {}),
        }))
        self.check(connect_timeout)

    def check(self, timeout: float = 5.0) -> None:
        """Raise BrokerUnreachable unless the broker answers a metadata request in time."""
        assert self._producer is not None, "call setup() first"
        try:
            self._producer.list_topics(self.topic, timeout=timeout)
        except KafkaException as exc:
            raise BrokerUnreachable(
                f"cannot reach the Kafka broker at {self.settings.kafka_bootstrap} "
                f"(is the stack up? `tracenet status` tells): {exc}") from exc

    def publish(self, record_type: str, record: dict, on_delivery: Delivered) -> None:
        """Queue one record; `on_delivery(record_id, error_or_None)` runs at acknowledgement."""
        assert self._producer is not None and self.codec is not None, "call setup() first"
        record_id = str(record["record_id"])

        def report(err: KafkaError | None, _msg: Message) -> None:
            on_delivery(record_id, None if err is None else err.str())

        self.produce(record_id, self.codec.encode(record_type, record), report)

    def produce(self, record_id: str, payload: bytes, report: Report, record_type: str = "") -> None:
        """Queue one encoded record; `report(error, message)` sees the partition and offset."""
        assert self._producer is not None, "call setup() first"
        headers = [(RECORD_TYPE_HEADER, record_type.encode())] if record_type else None
        while True:
            try:
                self._producer.produce(self.topic, key=record_id.encode(), value=payload,
                                       on_delivery=report, headers=headers)
                break
            except BufferError:  # local queue full: let acknowledgements drain it
                self._producer.poll(0.5)
        self._producer.poll(0)

    def poll(self, timeout: float = 0) -> None:
        if self._producer is not None:
            self._producer.poll(timeout)

    def flush(self, timeout: float = 60.0) -> int:
        """Wait for acknowledgements; returns how many records are still unacknowledged."""
        return self._producer.flush(timeout) if self._producer is not None else 0
