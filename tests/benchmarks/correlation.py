"""Benchmark of the correlation stage: events per second, and publish-to-case latency.

Not a test: it prints figures. Each figure comes with a baseline measured in the same run
(the machines are shared and noisy, so only ratios compare across runs):

1. In process: resolution + correlation per event, against decoding + validating the same
   records (the validation gate every record already pays).
2. On a throwaway local stack (real broker, Redis, worker): records per second through the
   whole pipeline until the worker is idle, and p50/p99 from publish to the case that
   record opened or escalated; baseline: publish to arrival on the validated topic.

    python -m tests.benchmarks.correlation [--records 4000] [--exporters 250] [--skip-stack]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from confluent_kafka import OFFSET_END, Consumer, Producer, TopicPartition

from deploy.local.stack import LocalStack, ephemeral_settings
from schemas.codec import default_codec
from schemas.codes import iso6346_check_digit
from schemas.names import AVRO_TO_SHORT
from streams.correlation.config import CorrelationConfig
from streams.correlation.events import event_from_record
from streams.correlation.state import EntityState, entity_keys, observe
from streams.resolution import Entity, PartyRef, new_entity, ref_block, resolve
from streams.settings import Settings
from streams.topics import CASES, VALIDATED, ingress_topic
from streams.validation.gate import Accepted, check_message
from tests.factories import NOW, alert, party, seizure
from tests.integration.support import wait_idle

NODES = ("KH", "ID", "LA", "MY", "PH", "TH", "LK", "VN")
PORTS = {"KH": "KHKOS", "ID": "IDTPP", "LA": "LAVTE", "MY": "MYPKG", "PH": "PHMNL", "TH": "THLCH",
         "LK": "LKCMB", "VN": "VNHPH"}
SUFFIXES = ("Co., Ltd", "CO LTD", "Company Limited", "Limited", "Co Ltd.")


def workload(records: int, exporters: int, seed: int = 7) -> list[tuple[str, dict[str, Any]]]:
    """Alerts and seizures from eight nodes over 120 days; names vary by legal form and case."""
    rng = random.Random(seed)
    stems = [f"{rng.choice(('Green', 'Pacific', 'Golden', 'Ocean', 'Eastern'))} "
             f"{rng.choice(('Polymer', 'Plastic', 'Metal', 'Fibre', 'Resin'))} "
             f"{rng.choice(('Trading', 'Recycling', 'Industries', 'Export'))} {n:04d}"
             for n in range(exporters)]
    out = []
    for _ in range(records):
        stem = rng.choice(stems)
        name = f"{stem} {rng.choice(SUFFIXES)}"
        name = name.upper() if rng.random() < 0.3 else name
        node = rng.choice(NODES)
        when = NOW - timedelta(days=rng.uniform(1, 120))
        exporter = party(name, "HK")
        # a container is reused now and then; bills of lading are unique
        serial = rng.randrange(1000 if rng.random() < 0.05 else 10**6)
        owner = f"{rng.choice(('MSC', 'CMA', 'OOL', 'TGH'))}U{serial:06d}"
        shipping = {"containers": [owner + str(iso6346_check_digit(owner) % 10)],
                    "bill_of_lading": f"BL{rng.randrange(10**9):09d}", "consignee": None}
        if rng.random() < 0.15:
            record = seizure(node, exporter, event_time=when, outcome="REFUSED_ENTRY",
                             port=PORTS[node], **shipping)
            out.append(("SeizureReport", record))
        else:
            out.append(("SuspiciousShipmentAlert", alert(node, exporter, event_time=when, **shipping)))
    return out


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def timed(label: str, fn: Callable[[], int]) -> float:
    started = time.perf_counter()
    count = fn()
    seconds = time.perf_counter() - started
    print(f"  {label:<44} {count:>7} in {seconds:6.2f}s  {rate(count, seconds):>10}", flush=True)
    return count / seconds


def in_process(records: list[tuple[str, dict[str, Any]]], settings: Settings) -> None:
    codec = default_codec()
    network = settings.network
    frames = [(r["issuing_node"], codec.encode(t, r)) for t, r in records]
    print("In process (one core):")

    def gate() -> int:
        for node, data in frames:
            verdict = check_message(data, topic=ingress_topic(node), partition=0, offset=0,
                                    network=network, codec=codec, now=datetime.now(UTC),
                                    skew=timedelta(minutes=5))
            assert isinstance(verdict, Accepted), verdict
        return len(frames)

    def correlate() -> int:
        cfg = CorrelationConfig.from_settings(settings)
        blocks: dict[str, list[Entity]] = {}
        states: dict[str, EntityState] = {}
        cases = 0
        for record_type, record in records:
            ref = PartyRef.from_record(record["exporter"])
            block = blocks.setdefault(ref_block(ref), [])
            entity, _ = resolve(ref, block, cfg.resolution_threshold)
            block[:] = [e for e in block if e.entity_id != entity.entity_id] + [entity]
            consignee = record.get("consignee")
            event = event_from_record(AVRO_TO_SHORT[record_type], record, entity.entity_id,
                                      new_entity(PartyRef.from_record(consignee)).entity_id
                                      if consignee else None, network)
            for key in entity_keys(event):
                seen = observe(states.get(key, EntityState()), key, event, cfg, datetime.now(UTC))
                states[key] = seen.state
                cases += len(seen.changed)
        print(f"  ({sum(len(b) for b in blocks.values())} exporter entities, "
              f"{cases} case versions)")
        return len(records)

    baseline = timed("baseline: decode + validate", gate)
    measured = timed("resolution + correlation", correlate)
    print(f"  ratio correlation/baseline throughput: {measured / baseline:.2f}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Arrivals(threading.Thread):
    """Notes, from now on, when each message of a topic arrives and which record ids it
    brings that earlier messages with the same key did not (a case's new evidence)."""

    def __init__(self, settings: Settings, topic: str, ids_of: Callable[[bytes], Iterable[str]]) -> None:
        super().__init__(daemon=True)
        self.arrivals: list[tuple[float, set[str]]] = []
        self.known: dict[bytes | None, set[str]] = {}
        self.ids_of = ids_of
        self.stop = threading.Event()
        self.consumer = Consumer(settings.librdkafka(**{"group.id": f"bench-{time.time_ns()}",
                                                        "enable.auto.commit": False}))
        parts = self.consumer.list_topics(topic, timeout=10).topics[topic].partitions
        self.consumer.assign([TopicPartition(topic, p, OFFSET_END) for p in parts])

    def run(self) -> None:
        while not self.stop.is_set():
            msg = self.consumer.poll(0.2)
            if msg is not None and msg.error() is None:
                ids = set(self.ids_of(msg.value()))
                known = self.known.setdefault(msg.key(), set())
                self.arrivals.append((time.time(), ids - known))
                known |= ids
        self.consumer.close()


def publish(settings: Settings, records: list[tuple[str, dict[str, Any]]],
            per_second: float | None) -> dict[str, float]:
    codec = default_codec()
    producer = Producer(settings.librdkafka(**{"enable.idempotence": True, "linger.ms": 1}))
    sent: dict[str, float] = {}
    started = time.monotonic()
    for n, (record_type, record) in enumerate(records, 1):
        if per_second:
            time.sleep(max(0.0, started + n / per_second - time.monotonic()))
        producer.produce(ingress_topic(record["issuing_node"]), key=record["record_id"].encode(),
                         value=codec.encode(record_type, record))
        sent[record["record_id"]] = time.time()
        producer.poll(0)
        if n % 1000 == 0:
            print(f"  published {n}/{len(records)}", flush=True)
    producer.flush(60)
    return sent


def latencies(sent: dict[str, float], arrivals: Arrivals) -> list[float]:
    """For each message, from the publishing of the newest record it brought to its arrival:
    the record that made a case open or grow, not the older evidence it pulled in."""
    out = []
    for arrived, new_ids in arrivals.arrivals:
        times = [sent[i] for i in new_ids if i in sent]
        if times:
            out.append(arrived - max(times))
    return out


def report_latency(label: str, values: list[float]) -> None:
    if not values:
        print(f"  {label:<44} no sample")
        return
    print(f"  {label:<44} n={len(values):<5} p50 {statistics.median(values) * 1000:7.1f} ms"
          f"   p99 {percentile(values, 0.99) * 1000:7.1f} ms")


def on_stack(records: list[tuple[str, dict[str, Any]]], paced: list[tuple[str, dict[str, Any]]],
             base: Settings, per_second: float) -> None:
    codec = default_codec()
    with tempfile.TemporaryDirectory(prefix="tracenet-bench-") as folder:
        settings = ephemeral_settings(base, Path(folder)).with_(app_id="tracenet-bench")
        stack = LocalStack(settings)
        print("\nOn a throwaway local stack (real broker, Redis, worker):")
        stack.up(worker=True, progress=lambda msg: print(f"  {msg}", flush=True))
        try:
            started = time.monotonic()
            publish(settings, records, None)
            wait_idle(settings, timeout=900, progress=lambda msg: print(f"  {msg}", flush=True))
            elapsed = time.monotonic() - started
            print(f"  burst: {len(records)} records, publish to worker idle: {elapsed:.1f}s "
                  f"{rate(len(records), elapsed):>10}")

            validated = Arrivals(settings, VALIDATED, lambda v: [codec.decode(v).record["record_id"]])
            cases = Arrivals(settings, CASES,
                             lambda v: [e["record_id"] for e in codec.decode(v).record["evidence"]])
            validated.start()
            cases.start()
            print(f"  paced: {len(paced)} records at {per_second:.0f}/s ...", flush=True)
            sent = publish(settings, paced, per_second)
            wait_idle(settings, timeout=300)
            time.sleep(1)
            validated.stop.set()
            cases.stop.set()
            validated.join()
            cases.join()
            base_lat = latencies(sent, validated)
            case_lat = latencies(sent, cases)
            report_latency("baseline: publish -> validated topic", base_lat)
            report_latency("publish -> case opened or escalated", case_lat)
            if base_lat and case_lat:
                print(f"  ratio p50 case/validated: "
                      f"{statistics.median(case_lat) / statistics.median(base_lat):.2f}")
        finally:
            stack.down(progress=lambda _m: None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=4000)
    parser.add_argument("--exporters", type=int, default=250)
    parser.add_argument("--paced", type=int, default=400, help="records for the latency run")
    parser.add_argument("--rate", type=float, default=20.0,
                        help="records per second for the latency run (below the burst throughput)")
    parser.add_argument("--skip-stack", action="store_true", help="only the in-process part")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    records = workload(args.records, args.exporters)
    in_process(records, settings)
    if not args.skip_stack:
        on_stack(records, workload(args.paced, args.exporters, seed=11), settings, args.rate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
