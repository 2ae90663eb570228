"""The validation stage on the real broker: valid records pass once, bad ones are dead letters."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from confluent_kafka import Producer

from schemas.codec import default_codec
from streams.settings import Settings
from streams.topics import DEAD_LETTERS, VALIDATED, ingress_topic
from tests.factories import NOW, alert, seizure
from tests.integration.support import read_topic

pytestmark = pytest.mark.integration


def test_mixed_batch_splits_into_validated_and_dead_letters(settings: Settings, worker) -> None:
    codec = default_codec()
    valid = [alert("VN"), seizure("VN"), alert("MY", event_time=NOW - timedelta(days=3)),
             alert("TH", exporter={"name": "บริษัท พลาสติก สยาม จำกัด", "country": "TH",
                                   "identifiers": [], "address": None})]
    good_alert = codec.encode("SuspiciousShipmentAlert", alert("VN"))
    future = alert("VN", event_time=NOW + timedelta(days=2))
    bad = {
        "truncated": (ingress_topic("VN"), good_alert[:40]),
        "not_single_object": (ingress_topic("VN"), b'{"exporter": "json is not avro"}'),
        "unknown_schema": (ingress_topic("VN"), b"\xc3\x01" + b"\x01" * 8 + good_alert[10:]),
        "container_check_digit": (ingress_topic("VN"), codec.encode(
            "SuspiciousShipmentAlert", alert("VN", containers=["CSQU3054384"]))),
        "imo_check_digit": (ingress_topic("VN"), codec.encode(
            "SuspiciousShipmentAlert",
            alert("VN", vessel={"imo": "IMO9074728", "name": "X", "voyage": None}))),
        "event_time_in_future": (ingress_topic("VN"), codec.encode("SuspiciousShipmentAlert", future)),
        "issuing_node_mismatch": (ingress_topic("MY"), good_alert),
    }
    producer = Producer(settings.librdkafka())
    for record in valid:
        kind = "SeizureReport" if "outcome" in record else "SuspiciousShipmentAlert"
        producer.produce(ingress_topic(record["issuing_node"]), key=record["record_id"].encode(),
                         value=codec.encode(kind, record))
    for topic, payload in bad.values():
        producer.produce(topic, value=payload)
    assert producer.flush(30) == 0

    passed = read_topic(settings, VALIDATED, expect=len(valid), timeout=60)
    dead = read_topic(settings, DEAD_LETTERS, expect=len(bad), timeout=60)

    passed_ids = Counter(codec.decode(value).record["record_id"] for _key, value in passed)
    assert passed_ids == Counter(r["record_id"] for r in valid), "every valid record exactly once"
    letters = [codec.decode(value).record for _key, value in dead]
    reasons = Counter(letter["reason_code"] for letter in letters)
    assert sum(reasons.values()) == len(bad), f"one dead letter per bad message, got {reasons}"
    for expected in bad:
        assert any(expected in (letter["reason_code"], *(f["code"] for f in letter["findings"]))
                   for letter in letters), f"no dead letter for {expected}: {reasons}"
    for letter in letters:
        assert letter["reason"], "every dead letter says why in words"
        assert letter["original"] in {payload for _topic, payload in bad.values()}
    assert worker.running(), "bad input never stops the worker"
