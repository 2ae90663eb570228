"""A real Prometheus scrapes the real worker during a scenario; PromQL sees what happened."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer

from deploy.local.prometheus import PrometheusServer
from deploy.local.stack import Worker
from schemas.codec import default_codec
from streams.settings import PROJECT_ROOT, Settings
from streams.topics import ingress_topic
from tests.factories import alert, seizure
from tests.unit.observability.dashboard import dashboard_queries

pytestmark = pytest.mark.integration
DASHBOARD = PROJECT_ROOT / "deploy" / "grafana" / "dashboards" / "tracenet.json"


def api(prometheus: PrometheusServer, path: str, **params: str) -> Any:
    url = f"{prometheus.url}/api/v1/{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - loopback
        body = json.load(resp)
    assert body["status"] == "success", body
    return body["data"]


def by_label(prometheus: PrometheusServer, query: str, label: str) -> dict[str, float]:
    return {r["metric"].get(label, ""): float(r["value"][1])
            for r in api(prometheus, "query", query=query)["result"]}


def eventually(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            return check()
        time.sleep(1)


@pytest.fixture
def observed(settings: Settings, tmp_path: Path) -> Iterator[tuple[Settings, PrometheusServer]]:
    """A worker and a Prometheus scraping it; nodes count as silent after 10 s."""
    settings = settings.with_(silent_node_seconds=10)
    worker = Worker(settings)
    prometheus = PrometheusServer(settings.with_(runtime_dir=tmp_path))
    worker.start(progress=lambda _m: None)
    prometheus.start(progress=lambda _m: None)
    yield settings, prometheus
    prometheus.stop()
    worker.stop()


def test_prometheus_sees_flow_dead_letters_and_a_silent_node(observed) -> None:  # type: ignore[no-untyped-def]
    settings, prometheus = observed
    codec = default_codec()
    producer = Producer(settings.librdkafka())
    for record in (alert("VN"), alert("VN"), seizure("VN"), alert("MY"), alert("MY")):
        kind = "SeizureReport" if "outcome" in record else "SuspiciousShipmentAlert"
        producer.produce(ingress_topic(record["issuing_node"]), value=codec.encode(kind, record))
    producer.produce(ingress_topic("TH"), value=codec.encode(
        "SuspiciousShipmentAlert", alert("TH", containers=["CSQU3054384"])))
    producer.produce(ingress_topic("TH"), value=b"\xc3\x01\x00")
    assert producer.flush(30) == 0

    accepted = eventually(lambda: (r := by_label(
        prometheus, "sum by (node) (tracenet_records_accepted_total)", "node")) == {"VN": 3, "MY": 2}
        and r)
    assert accepted == {"VN": 3.0, "MY": 2.0}
    dead = eventually(lambda: (r := by_label(
        prometheus, 'sum by (reason) (tracenet_dead_letters_total{node="TH"})', "reason"))
        and len(r) == 2 and r)
    assert dead == {"container_check_digit": 1.0, "truncated": 1.0}

    def silent_vn() -> list[dict[str, Any]]:
        alerts = api(prometheus, "alerts")["alerts"]
        return [a for a in alerts if a["labels"].get("alertname") == "TracenetNodeSilent"
                and a["labels"].get("node") == "VN" and a["state"] in ("pending", "firing")]

    assert eventually(silent_vn, timeout=60), "VN went quiet: its silence alert must be pending"

    failures = []
    for title, expr in dashboard_queries(DASHBOARD):
        url = f"{prometheus.url}/api/v1/query?{urllib.parse.urlencode({'query': expr})}"
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - loopback
            body = json.load(resp)
        if body["status"] != "success":
            failures.append((title, expr, body))
    assert not failures, failures
