"""What the network delivered to a node: reading its inbox topic, in words or as JSON.

Inbox values are Avro single-object frames (alerts of other nodes, cases that concern the
node); the ``tracenet-record-type`` header is a hint only, the frame's fingerprint decides.
A delivery is identified by its id and version (record_id and 1 for records, case_id and
version for cases), which makes the folder sink idempotent.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from confluent_kafka import Consumer, KafkaException, Message, TopicPartition

from schemas.codec import CodecError, RecordCodec
from schemas.mapping import record_to_json
from streams.settings import Settings
from streams.topics import inbox_topic


@dataclass(frozen=True)
class Delivery:
    record_type: str
    record: dict[str, Any]
    partition: int
    offset: int

    @property
    def ident(self) -> tuple[str, int]:
        if self.record_type == "Case":
            return str(self.record["case_id"]), int(self.record.get("version") or 1)
        return str(self.record.get("record_id")), 1

    @property
    def file_name(self) -> str:
        """A safe, stable file name: the same delivery always gets the same name."""
        ident, version = self.ident
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", ident)[:80]
        digest = hashlib.sha256(ident.encode()).hexdigest()[:8]
        kind = "case" if self.record_type == "Case" else record_to_json(self.record_type, {})["type"]
        return f"{kind}-{safe}-{digest}-v{version}.json"

    def to_json(self) -> dict[str, Any]:
        ident, version = self.ident
        return {"delivery_id": f"{ident}@v{version}", "record_type": self.record_type,
                "record": record_to_json(self.record_type, self.record)}


def describe(d: Delivery) -> str:
    """One readable line per delivery, as an officer scans a list."""
    r = d.record
    if d.record_type == "Case":
        nodes = ",".join(r.get("nodes") or [])
        reasons = "; ".join(r.get("reasons") or [])
        return (f"CASE {r['case_id']} v{r.get('version')} {r.get('rule')} {r.get('status')}: "
                f"{r.get('entity_label')} (nodes {nodes}, score {r.get('score')}) - {reasons}")
    head = f"{d.record_type} {r.get('record_id')} from {r.get('issuing_node')}"
    tlp = (r.get("handling") or {}).get("tlp")
    when = r.get("event_time")
    parts = [head, f"[TLP:{tlp}]" if tlp else "", f"event {when}" if when else ""]
    exporter = r.get("exporter") or {}
    if exporter:
        parts.append(f"exporter {exporter.get('name')} ({exporter.get('country') or '?'})")
    goods = r.get("commodities") or []
    if goods:
        parts.append("goods " + ", ".join(f"{c.get('hs_subheading')} {c.get('description')}" for c in goods))
    if r.get("containers"):
        parts.append("containers " + " ".join(r["containers"]))
    route = r.get("route") or {}
    if route:
        legs = [route.get("port_of_loading"), *(route.get("transshipment") or []),
                route.get("port_of_discharge")]
        parts.append("route " + " > ".join(str(x) for x in legs if x))
    if r.get("outcome"):
        parts.append(f"outcome {r['outcome']}")
    return " ".join(p for p in parts if p)


class InboxReader:
    """Reads a node's inbox topic; `setup()` connects. Without a group it reads everything."""

    def __init__(self, settings: Settings, node: str, codec: RecordCodec, *,
                 group: str | None = None) -> None:
        self.settings = settings
        self.node = node
        self.codec = codec
        self.group = group
        self.topic = inbox_topic(node)
        self._consumer: Consumer | None = None
        self._ends: dict[int, int] = {}

    def setup(self, timeout: float = 10.0) -> None:
        consumer = Consumer(self.settings.librdkafka(**{
            "group.id": self.group or f"tracenet-inbox-view-{uuid.uuid4().hex}",
            "enable.auto.commit": False, "auto.offset.reset": "earliest"}))
        try:
            meta = consumer.list_topics(self.topic, timeout=timeout).topics[self.topic]
            if meta.error is not None:
                raise KafkaException(meta.error)
            parts = list(meta.partitions)
            self._ends = {p: consumer.get_watermark_offsets(TopicPartition(self.topic, p), timeout=timeout)[1]
                          for p in parts}
        except KafkaException as exc:
            consumer.close()
            raise KafkaException(f"cannot read {self.topic} from the broker at "
                                 f"{self.settings.kafka_bootstrap}: {exc}") from exc
        if self.group:
            consumer.subscribe([self.topic])
        else:
            consumer.assign([TopicPartition(self.topic, p, 0) for p in parts])
        self._consumer = consumer

    def deliveries(self, *, follow: bool, on_error: Callable[[Message, CodecError], None],
                   idle_exit: float = 3.0) -> Iterator[tuple[Message, Delivery | None]]:
        """Messages with what they carry; without follow, stops at the end seen at setup."""
        assert self._consumer is not None, "call setup() first"
        idle_since = time.monotonic()
        while True:
            msg = self._consumer.poll(0.5)
            if msg is None:
                if not follow and (self._at_end() or time.monotonic() - idle_since > idle_exit):
                    return
                continue
            idle_since = time.monotonic()
            if msg.error() is not None:
                continue
            try:
                decoded = self.codec.decode(msg.value())
            except CodecError as exc:
                on_error(msg, exc)
                yield msg, None
                continue
            yield msg, Delivery(decoded.record_type, decoded.record, msg.partition(), msg.offset())

    def _at_end(self) -> bool:
        assert self._consumer is not None
        if not any(self._ends.values()):
            return True
        try:
            positions = self._consumer.position([TopicPartition(self.topic, p) for p in self._ends])
        except KafkaException:
            return False
        return all(tp.offset >= self._ends[tp.partition] or self._ends[tp.partition] == 0
                   for tp in positions if tp.offset >= 0) and all(tp.offset >= 0 or
                                                                  self._ends[tp.partition] == 0
                                                                  for tp in positions)

    def commit(self, msg: Message) -> None:
        assert self._consumer is not None
        if self.group:
            self._consumer.commit(message=msg, asynchronous=False)

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None


def as_json_line(d: Delivery) -> str:
    return json.dumps(d.to_json(), ensure_ascii=False, sort_keys=True)
