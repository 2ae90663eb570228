"""`tracenet publish` as an officer runs it: rejected rows by line, valid rows published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.codec import default_codec
from streams.settings import Settings
from streams.topics import ingress_topic
from tests.integration.support import read_topic, run_cli

pytestmark = pytest.mark.integration

GOOD = {"type": "alert", "event_time": "2026-09-20T06:40:00Z",
        "handling": {"distribution": "ALL_MEMBERS", "tlp": "AMBER"}, "stage": "PRE_CONTROL",
        "exporter": {"name": "CÔNG TY TNHH NHỰA XANH", "country": "VN"},
        "commodities": [{"hs_subheading": "3915.90", "description": "plastic scrap", "weight_kg": 18000}],
        "containers": ["CSQU3054383"], "route": {"port_of_loading": "VNHPH", "port_of_discharge": "MYPKG"},
        "risk_indicators": ["MISDECLARED_AS_RAW_MATERIAL"]}


def test_publish_reports_rejected_rows_and_publishes_the_rest(settings: Settings, tmp_path: Path) -> None:
    rows = [
        GOOD,
        {**GOOD, "containers": ["CSQU3054384"]},                       # line 2: check digit
        {**GOOD, "event_time": "2026-13-01T00:00:00Z"},                 # line 3: no such month
        {**GOOD, "exporter": {"name": "Green Polymer Recycling Sdn Bhd", "country": "MY"}},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + '{"type": "al',
                    encoding="utf-8")

    result = run_cli(settings, "publish", "--node", "VN", str(path))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = result.stderr.splitlines()
    assert any(line.startswith("line 2: rejected") and "check digit" in line for line in errors), errors
    assert any(line.startswith("line 3: rejected") and "event_time" in line for line in errors), errors
    assert any(line.startswith("line 5: rejected") for line in errors), errors
    assert "2 published, 3 rejected" in result.stdout
    published = read_topic(settings, ingress_topic("VN"), timeout=20)
    names = sorted(default_codec().decode(v).record["exporter"]["name"] for _k, v in published)
    assert "CÔNG TY TNHH NHỰA XANH" in names and "Green Polymer Recycling Sdn Bhd" in names


def test_publish_names_an_unknown_node_in_plain_words(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    result = run_cli(settings, "publish", "--node", "XX", str(path))
    assert result.returncode == 2
    assert "'XX' is not a node of this network" in result.stderr
    assert "Traceback" not in result.stderr


def test_publish_says_when_the_broker_is_unreachable(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    elsewhere = settings.with_(kafka_bootstrap_servers="127.0.0.1:1")
    result = run_cli(elsewhere, "publish", "--node", "VN", str(path))
    assert result.returncode == 2
    assert "cannot reach the Kafka broker at 127.0.0.1:1" in result.stderr
    assert "Traceback" not in result.stderr
