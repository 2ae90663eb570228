"""A real Prometheus scrapes the real worker and a node's connector during a scenario;
PromQL over its HTTP API sees what happened, and every dashboard query runs."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer

from deploy.local.prometheus import PrometheusServer
from deploy.local.stack import Worker, free_port
from schemas.codec import default_codec
from streams.settings import PROJECT_ROOT, Settings
from streams.topics import ingress_topic
from tests.factories import alert
from tests.integration.support import ConnectorProcess, rows, wait_for
from tests.integration.test_network import publish_scenario
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


def settles_at(prometheus: PrometheusServer, query: str, label: str,
               expected: dict[str, float], timeout: float = 60) -> None:
    """Wait until the query returns exactly the expected values (scrapes are every 2 s)."""
    last: dict[str, float] = {}

    def check() -> bool:
        nonlocal last
        last = by_label(prometheus, query, label)
        return last == expected

    try:
        wait_for(check, timeout, f"{query} == {expected}", interval=1)
    except AssertionError as exc:
        raise AssertionError(f"{query}: got {last}, expected {expected}") from exc


@pytest.fixture
def observed(settings: Settings, tmp_path: Path) -> Iterator[tuple[Settings, PrometheusServer,
                                                                   ConnectorProcess]]:
    """Worker, a KH connector reading a drop folder, and a Prometheus scraping both; a node
    counts as silent after 10 s."""
    settings = settings.with_(silent_node_seconds=10)
    (tmp_path / "drop").mkdir()
    connector = ConnectorProcess(settings, tmp_path, "--node", "KH", "--watch", str(tmp_path / "drop"),
                                 port=free_port())
    worker = Worker(settings)
    prometheus = PrometheusServer(settings.with_(runtime_dir=tmp_path), connector_ports=[connector.port])
    worker.start(progress=lambda _m: None)
    connector.start()
    prometheus.start(progress=lambda _m: None)
    yield settings, prometheus, connector
    prometheus.stop()
    connector.stop()
    worker.stop()


def test_prometheus_sees_flow_dead_letters_cases_and_a_silent_node(observed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings, prometheus, connector = observed
    publish_scenario(settings)  # 14 valid records from eight nodes: four cases
    (tmp_path / "drop" / "kh-export.jsonl").write_text(rows("KH", 5), encoding="utf-8")
    codec = default_codec()
    producer = Producer(settings.librdkafka())
    producer.produce(ingress_topic("TH"), value=codec.encode(
        "SuspiciousShipmentAlert", alert("TH", containers=["CSQU3054384"])))
    producer.produce(ingress_topic("TH"), value=b"\xc3\x01\x00")
    assert producer.flush(30) == 0

    settles_at(prometheus, "sum by (node) (tracenet_records_accepted_total)", "node",
               {"ID": 2, "KH": 6, "LA": 1, "LK": 1, "MY": 3, "PH": 1, "TH": 2, "VN": 3})
    settles_at(prometheus, 'sum by (reason) (tracenet_dead_letters_total{node="TH"})', "reason",
               {"container_check_digit": 1, "truncated": 1})
    settles_at(prometheus, "sum by (rule) (tracenet_cases_opened_total)", "rule",
               {"PORT_HOPPING": 2, "REPEAT_EXPORTER": 1, "REUSED_CONTAINER": 1})
    settles_at(prometheus, "sum by (outcome) (tracenet_connector_records_total)", "outcome",
               {"accepted": 5, "published": 5})
    settles_at(prometheus, "max(tracenet_connector_outbox_depth)", "", {"": 0})

    def silent_vn() -> list[dict[str, Any]]:
        alerts = api(prometheus, "alerts")["alerts"]
        return [a for a in alerts if a["labels"].get("alertname") == "TracenetNodeSilent"
                and a["labels"].get("node") == "VN" and a["state"] in ("pending", "firing")]

    wait_for(silent_vn, 60, "VN's silence alert to be pending", interval=1)

    failures = []
    for title, expr in dashboard_queries(DASHBOARD):
        url = f"{prometheus.url}/api/v1/query?{urllib.parse.urlencode({'query': expr})}"
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - loopback
            body = json.load(resp)
        if body["status"] != "success":
            failures.append((title, expr, body))
    assert not failures, failures
