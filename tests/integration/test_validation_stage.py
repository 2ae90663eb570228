"""The validation stage on the real broker: valid records pass once, bad ones are dead letters."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from confluent_kafka import Producer

from schemas.codec import default_codec
from streams.settings import Settings
from streams.topics import CASES, DEAD_LETTERS, SIGHTINGS, VALIDATED, ingress_topic
from tests.factories import NOW, alert, seizure
from tests.integration.support import read_topic, wait_idle

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


def test_later_stages_dead_letter_what_they_cannot_process_and_go_on(settings: Settings, worker) -> None:
    """Internal topics are written by the worker alone; if something else writes there, the
    stage dead-letters the message with the error and keeps processing what follows."""
    codec = default_codec()
    producer = Producer(settings.librdkafka())
    producer.produce(SIGHTINGS, key=b"EXPORTER:x", value=b"not json at all")
    producer.produce(SIGHTINGS, key=b"EXPORTER:x", value=b'{"entity": "EXPORTER:x"}')
    producer.produce(CASES, key=b"c1", value=b"\xc3\x01 not a case")
    hopper = {"name": "Pacific Hop Trading Ltd", "country": "HK", "identifiers": [], "address": None}
    refusal = seizure("VN", hopper, event_time=NOW - timedelta(days=20), outcome="REFUSED_ENTRY")
    follow_up = alert("MY", hopper, event_time=NOW - timedelta(days=5))
    producer.produce(ingress_topic("VN"), value=codec.encode("SeizureReport", refusal))
    producer.produce(ingress_topic("MY"), value=codec.encode("SuspiciousShipmentAlert", follow_up))
    assert producer.flush(30) == 0
    wait_idle(settings)

    cases = [codec.decode(v).record for _k, v in read_topic(settings, CASES)
             if v.startswith(b"\xc3\x01") and len(v) > 20]
    assert {c["rule"] for c in cases if c["entity_label"] == hopper["name"]} >= {"PORT_HOPPING"}
    failed = [codec.decode(v).record for _k, v in read_topic(settings, DEAD_LETTERS)]
    failed = [d for d in failed if d["reason_code"] == "processing_failed"]
    assert sorted(d["topic"] for d in failed) == sorted([SIGHTINGS, SIGHTINGS, CASES, CASES]), \
        "each bad message once per agent reading it (the cases topic has two readers)"
    assert any(d["original"] == b"\xc3\x01 not a case" for d in failed)
    assert all(d["reason"] for d in failed)
    assert worker.running()
