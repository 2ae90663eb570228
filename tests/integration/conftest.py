"""The real local stack for integration tests: one Kafka broker and one Redis per test module.

A module gets a broker of its own so that what one module publishes never reaches the
workers of another (every worker reads its topics from the beginning). Ports are picked
free so a running `make demo` stack is never touched; the runtime folder is temporary.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from confluent_kafka import Consumer, TopicPartition

from deploy.local.stack import LocalStack, Worker, ephemeral_settings, free_port
from streams.settings import Settings
from streams.topics import CASES, SIGHTINGS, VALIDATED


@pytest.fixture(scope="module")
def stack_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return ephemeral_settings(Settings.from_env({}), tmp_path_factory.mktemp("tracenet-runtime"))


@pytest.fixture(scope="module")
def stack(stack_settings: Settings) -> Iterator[LocalStack]:
    local = LocalStack(stack_settings)
    local.up(worker=False, progress=lambda _msg: None)
    yield local
    local.down(progress=lambda _msg: None)


@pytest.fixture
def settings(stack: LocalStack) -> Settings:
    """Settings for one test: its own consumer group and Faust app id, same broker."""
    return stack.settings.with_(app_id=f"tracenet-test-{uuid.uuid4().hex[:8]}",
                                worker_web_port=free_port())


@pytest.fixture
def redis_client(settings: Settings) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def worker(settings: Settings) -> Iterator[Worker]:
    """A real worker process for this test, stopped afterwards; its log is kept on failure."""
    proc = Worker(settings)
    proc.start(progress=lambda _msg: None)
    yield proc
    proc.stop()


def read_topic(settings: Settings, topic: str, *, timeout: float = 30.0,
               expect: int | None = None) -> list[tuple[bytes | None, bytes]]:
    """Every message of a topic from the beginning (or until `expect` arrived)."""
    consumer = Consumer(settings.librdkafka(**{
        "group.id": f"reader-{uuid.uuid4().hex}", "auto.offset.reset": "earliest",
        "enable.auto.commit": False}))
    meta = consumer.list_topics(topic, timeout=10).topics[topic]
    parts = [TopicPartition(topic, p) for p in meta.partitions]
    ends = {p.partition: consumer.get_watermark_offsets(p, timeout=10)[1] for p in parts}
    consumer.assign([TopicPartition(topic, p.partition, 0) for p in parts])
    out: list[tuple[bytes | None, bytes]] = []
    deadline = time.monotonic() + timeout
    done_at_end = expect is None
    try:
        while time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and msg.error() is None:
                out.append((msg.key(), msg.value()))
            if expect is not None and len(out) >= expect:
                break
            if done_at_end and msg is None:
                positions = consumer.position(parts)
                if all(p.offset >= ends[p.partition] or ends[p.partition] == 0 for p in positions):
                    break
    finally:
        consumer.close()
    return out


def wait_idle(settings: Settings, timeout: float = 90.0) -> None:
    """Return once the worker (group = app id) has committed every message of every topic it
    reads: the pipeline has caught up. Faust commits about every second."""
    consumer = Consumer(settings.librdkafka(**{"group.id": settings.app_id,
                                               "enable.auto.commit": False}))
    deadline = time.monotonic() + timeout
    try:
        while True:
            topics = [name for name in consumer.list_topics(timeout=10).topics
                      if name.startswith(("tracenet.ingress.", VALIDATED, SIGHTINGS, CASES))
                      or (name.startswith(f"{settings.app_id}-") and name.endswith("-repartition"))]
            parts = [TopicPartition(t, p) for t in topics
                     for p in consumer.list_topics(t, timeout=10).topics[t].partitions]
            behind = []
            for tp in consumer.committed(parts, timeout=10):
                end = consumer.get_watermark_offsets(tp, timeout=10)[1]
                if end > 0 and tp.offset < end:
                    behind.append(f"{tp.topic}[{tp.partition}] {max(tp.offset, 0)}/{end}")
            if not behind:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the worker did not catch up within {timeout:.0f}s: {behind}")
            time.sleep(0.5)
    finally:
        consumer.close()
