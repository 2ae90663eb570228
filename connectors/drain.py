"""Moving the outbox to the broker: in order, in windows, and never twice.

The idempotent producer removes duplicates within one producer session only. Two gaps
remain: the connector dies after the broker appended a record but before the outbox
forgot it, and a window fails while some of its records did reach the broker. Both are
closed by reconciling: the outbox remembers, per partition, up to which offset the topic
is accounted for; before sending again after a restart or a failure, the drainer reads the
topic from there and removes from the outbox every record the broker already holds.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Message, TopicPartition

from connectors.outbox import Outbox, Pending
from connectors.publisher import BrokerUnreachable, NodePublisher
from streams.metrics import ConnectorMetrics
from streams.settings import Settings

log = logging.getLogger("tracenet.connector")


@dataclass
class _Window:
    """Acknowledgements of one window of records, filled by librdkafka's callbacks."""

    acked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    next_offsets: dict[tuple[str, int], int] = field(default_factory=dict)

    def report(self, record_id: str) -> Callable[[KafkaError | None, Message], None]:
        def done(err: KafkaError | None, msg: Message) -> None:
            if err is not None:
                self.errors.append(err.str())
                return
            self.acked.append(record_id)
            key = (msg.topic(), msg.partition())
            self.next_offsets[key] = max(self.next_offsets.get(key, 0), msg.offset() + 1)
        return done


class Drainer:
    """Sends the outbox to the node's ingress topic; run() in its own thread."""

    def __init__(self, settings: Settings, node: str, outbox: Outbox, metrics: ConnectorMetrics, *,
                 window: int = 2000, delivery_timeout_ms: int = 30_000, max_backoff: float = 10.0) -> None:
        self.settings = settings
        self.node = node
        self.outbox = outbox
        self.metrics = metrics
        self.window = window
        self.delivery_timeout_ms = delivery_timeout_ms
        self.max_backoff = max_backoff
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.broker_up = False
        self.last_error = ""
        self._publisher: NodePublisher | None = None
        self._reconciled = False
        self._probed = 0.0

    def run(self) -> None:
        backoff = 1.0
        while not self.stopping.is_set():
            try:
                sent = self.drain_once()
                backoff = 1.0
            except (BrokerUnreachable, KafkaException, _WindowFailed) as exc:
                self._lost_broker(str(exc))
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            if not sent:
                self.wake.wait(0.5)
                self.wake.clear()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()

    def drain_once(self) -> int:
        """Send one window and forget what the broker acknowledged; returns how many were sent."""
        batch = self.outbox.pending(self.window)
        if not batch:
            self._probe()
            return 0
        publisher = self._connect()
        if not self._reconciled:
            self.reconcile(publisher.topic)
            batch = self.outbox.pending(self.window)
            if not batch:
                return 0
        window = _Window()
        for item in batch:
            publisher.produce(item.record_id, item.payload, window.report(item.record_id), item.record_type)
        publisher.flush(self.delivery_timeout_ms / 1000 + 10)
        clean = not window.errors and len(window.acked) == len(batch)
        self.outbox.remove(window.acked, window.next_offsets if clean else None)
        self._count_published(batch, set(window.acked))
        if not clean:
            raise _WindowFailed(f"{len(batch) - len(window.acked)} of {len(batch)} records not "
                                f"acknowledged: {window.errors[0] if window.errors else 'timeout'}")
        return len(batch)

    def reconcile(self, topic: str) -> int:
        """Remove from the outbox what the topic already holds past the accounted-for offsets."""
        consumer = Consumer(self.settings.librdkafka(**{
            "group.id": f"tracenet-connector-reconcile-{uuid.uuid4().hex}",
            "enable.auto.commit": False, "auto.offset.reset": "earliest", "log_level": 2}))
        try:
            known = self.outbox.positions(topic)
            meta = consumer.list_topics(topic, timeout=10).topics[topic]
            ends = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
                    for p in meta.partitions}
            if not known:  # first connection: nothing of ours can be in the topic yet
                self.outbox.remove([], {(topic, p): high for p, (_low, high) in ends.items()})
                self._reconciled = True
                return 0
            found = self._keys_between(consumer, topic, known, ends)
        finally:
            consumer.close()
        removed = self.outbox.remove(found, {(topic, p): high for p, (_low, high) in ends.items()})
        if removed:
            log.info("reconciled: %d records were already on %s", removed, topic)
        self._reconciled = True
        return removed

    @staticmethod
    def _keys_between(consumer: Consumer, topic: str, known: dict[int, int],
                      ends: dict[int, tuple[int, int]]) -> list[str]:
        todo = {p: high for p, (low, high) in ends.items() if max(known.get(p, 0), low) < high}
        if not todo:
            return []
        consumer.assign([TopicPartition(topic, p, known.get(p, OFFSET_BEGINNING)) for p in todo])
        keys: list[str] = []
        deadline = time.monotonic() + 120
        while todo and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error() is not None:
                continue
            if msg.key():
                keys.append(msg.key().decode("utf-8", "replace"))
            if msg.offset() + 1 >= todo.get(msg.partition(), 0):
                todo.pop(msg.partition(), None)
        if todo:
            raise KafkaException(f"could not read {topic} back to reconcile the outbox")
        return keys

    def _probe(self, every: float = 10.0) -> None:
        """While idle, keep knowing whether the broker answers (for /health and the log)."""
        if self.broker_up and time.monotonic() - self._probed < every:
            return
        self._probed = time.monotonic()
        publisher = self._connect()
        publisher.check(timeout=5.0)
        if not self._reconciled:
            self.reconcile(publisher.topic)

    def _connect(self) -> NodePublisher:
        if self._publisher is None:
            publisher = NodePublisher(self.settings, self.node,
                                      delivery_timeout_ms=self.delivery_timeout_ms, log_level=2)
            publisher.setup(connect_timeout=5.0)
            self._publisher = publisher
            if not self.broker_up:
                log.info("broker reachable at %s; draining %d waiting records",
                         self.settings.kafka_bootstrap, self.outbox.depth())
            self.broker_up = True
        return self._publisher

    def _lost_broker(self, why: str) -> None:
        """Drop the producer (a fresh one starts a clean idempotence session) and reconcile later."""
        if self.broker_up or why != self.last_error:
            log.warning("broker not acknowledging (%s); records wait in the outbox (%d)",
                        why, self.outbox.depth())
        self.broker_up = False
        self.last_error = why
        self._publisher = None
        self._reconciled = False

    def _count_published(self, batch: list[Pending], acked: set[str]) -> None:
        for item in batch:
            if item.record_id in acked:
                self.metrics.records.labels(self.node, item.record_type, "published").inc()


class _WindowFailed(Exception):
    """Some records of a window were not acknowledged; they stay in the outbox."""
