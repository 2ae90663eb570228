"""Rebuild the Redis watchlist from the cases topic, the network's record of every case.

The cases topic is compacted and keyed by case id, so reading it from the beginning gives
the latest version of every case. Redis is a cache of it, never the only copy.
"""

from __future__ import annotations

import uuid
from typing import Any

from confluent_kafka import Consumer, KafkaException, TopicPartition

from schemas.codec import CodecError, default_codec
from streams.settings import Settings
from streams.topics import CASES
from streams.watchlist.store import WatchlistStore


def latest_cases(settings: Settings, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The newest version of every case on the cases topic, read up to its current end."""
    codec = default_codec()
    consumer = Consumer(settings.librdkafka(**{
        "group.id": f"tracenet-watchlist-rebuild-{uuid.uuid4().hex[:8]}",
        "enable.auto.commit": False, "auto.offset.reset": "earliest"}))
    try:
        meta = consumer.list_topics(CASES, timeout=timeout).topics[CASES]
        if meta.error is not None:
            raise KafkaException(meta.error)
        parts = [TopicPartition(CASES, p) for p in meta.partitions]
        ends = {tp.partition: consumer.get_watermark_offsets(tp, timeout=timeout)[1] for tp in parts}
        consumer.assign([TopicPartition(CASES, p, 0) for p in ends])
        pending = {p for p, end in ends.items() if end > 0}
        latest: dict[str, dict[str, Any]] = {}
        while pending:
            msg = consumer.poll(timeout)
            if msg is None:
                raise KafkaException(f"the cases topic stopped answering with partitions "
                                     f"{sorted(pending)} unread")
            if msg.error() is not None:
                continue
            try:
                case = codec.decode(msg.value()).record
            except CodecError:
                continue  # nothing but the worker writes here; a foreign record is not a case
            known = latest.get(case["case_id"])
            if known is None or known["version"] < case["version"]:
                latest[case["case_id"]] = case
            if msg.offset() + 1 >= ends[msg.partition()]:
                pending.discard(msg.partition())
        return list(latest.values())
    finally:
        consumer.close()


def rebuild_from_cases_topic(settings: Settings, store: WatchlistStore) -> int:
    return store.rebuild(latest_cases(settings))
