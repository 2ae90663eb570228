"""A connector never loses a record: broker outages and a SIGKILL in the middle of a file."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from confluent_kafka import Consumer, TopicPartition

from deploy.local.stack import LocalStack
from schemas.codec import default_codec
from streams.settings import Settings
from streams.topics import ingress_topic
from tests.integration.support import ConnectorProcess, drop, rows, wait_for

pytestmark = pytest.mark.integration


def read_all(settings: Settings, topic: str, expect: int, timeout: float = 60) -> list[tuple[int, str, str]]:
    """(partition, key, row note) of every message, in partition order; waits for `expect` of them."""
    consumer = Consumer(settings.librdkafka(**{"group.id": f"check-{time.monotonic_ns()}",
                                               "enable.auto.commit": False}))
    parts = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, 0) for p in parts])
    codec, out = default_codec(), []
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            if len(out) >= expect and time.monotonic() - quiet_since > 3:
                break  # keep reading a little past `expect`: a duplicate would show up here
            continue
        quiet_since = time.monotonic()
        if msg.error() is None:
            record = codec.decode(msg.value()).record
            assert msg.key().decode() == record["record_id"]
            out.append((msg.partition(), record["record_id"], record["risk_notes"]))
    consumer.close()
    return out


def assert_exactly_once_in_order(messages: list[tuple[int, str, str]], count: int) -> None:
    notes = Counter(note for _p, _k, note in messages)
    assert len(notes) == count, f"{count - len(notes)} rows missing"
    assert max(notes.values()) == 1, f"duplicated: {[n for n, c in notes.items() if c > 1][:5]}"
    assert len({k for _p, k, _n in messages}) == count
    per_partition: dict[int, list[int]] = defaultdict(list)
    for partition, _key, note in messages:
        per_partition[partition].append(int(note.split()[1]))
    for partition, order in per_partition.items():
        assert order == sorted(order), f"partition {partition} out of order"


def test_broker_outage_keeps_accepting_and_drains_exactly_once(stack: LocalStack, settings: Settings,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    connector = ConnectorProcess(settings, tmp_path, "--node", "LA", "--watch", str(folder),
                                 "--settle", "0.2").start()
    try:
        wait_for(lambda: connector.health()["broker"] == "up", 30, "the connector to reach the broker")
        stack.kafka.stop()
        try:
            drop(folder, "outage.jsonl", rows("LA", 5000))
            wait_for(lambda: (folder / "done" / "outage.jsonl").exists(), 120, "the file to be read")
            # the drainer learns of the outage when its first window times out (delivery timeout)
            health = wait_for(lambda: (h := connector.health())["broker"] == "down" and h, 90,
                              "the connector to report the broker down")
            assert health["outbox_depth"] == 5000 and health["last_error"], health
            assert connector.metric("tracenet_connector_outbox_depth") == 5000
            time.sleep(2)
            assert connector.metric("tracenet_connector_outbox_oldest_age_seconds") >= 2
        finally:
            stack.kafka.start(progress=lambda _m: None)
        started = time.monotonic()
        wait_for(lambda: connector.health()["outbox_depth"] == 0, 180, "the outbox to drain")
        drained = time.monotonic() - started
        print(f"\n5000 records drained {drained:.1f}s after the broker was back")
        assert connector.metric("tracenet_connector_records_total", outcome="published") == 5000
    finally:
        connector.stop()
        if not stack.kafka.running():
            stack.kafka.start(progress=lambda _m: None)
    assert_exactly_once_in_order(read_all(settings, ingress_topic("LA"), 5000), 5000)


def test_sigkill_in_the_middle_of_a_large_file_loses_and_repeats_nothing(
        stack: LocalStack, settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    args = ("--node", "KH", "--watch", str(folder), "--settle", "0.2")
    connector = ConnectorProcess(settings, tmp_path, *args).start()
    try:
        wait_for(lambda: connector.health()["broker"] == "up", 30, "the connector to reach the broker")
        drop(folder, "large.jsonl", rows("KH", 20_000))
        wait_for(lambda: connector.metric("tracenet_connector_records_total", outcome="published") > 3000,
                 120, "a part of the file to be published", interval=0.05)
        connector.kill()
        assert (folder / "large.jsonl").exists(), "the file was finished before the kill: use a larger one"
        restarted = ConnectorProcess(settings, tmp_path, *args, port=connector.port).start()
        try:
            wait_for(lambda: (folder / "done" / "large.jsonl").exists(), 180, "the file to be finished")
            wait_for(lambda: restarted.health()["outbox_depth"] == 0, 180, "the outbox to drain")
        finally:
            restarted.stop()
    finally:
        connector.stop()
    assert_exactly_once_in_order(read_all(settings, ingress_topic("KH"), 20_000), 20_000)
