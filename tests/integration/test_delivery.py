"""Delivery through the real worker: each node's inbox holds what its handling allows, and
`tracenet inbox` shows it. A record for named nodes never reaches another node, not even
through a case built on it."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from deploy.local.stack import Worker
from schemas.codec import default_codec
from streams.settings import Settings
from streams.topics import inbox_topic
from tests.integration.support import read_topic, run_cli, wait_idle

pytestmark = pytest.mark.integration
BASE = {"type": "alert", "stage": "PRE_CONTROL", "risk_indicators": ["PRIOR_REFUSAL"],
        "commodities": [{"hs_subheading": "854900", "description": "e-waste", "weight_kg": 7000}],
        "route": {"port_of_loading": "HKHKG", "port_of_discharge": "VNHPH"}}


def row(node_day: str, exporter: str, distribution: str, tlp: str = "AMBER") -> dict:
    return {**BASE, "event_time": f"2026-10-{node_day}T00:00:00Z",
            "exporter": {"name": exporter, "country": "HK"},
            "handling": {"distribution": distribution, "tlp": tlp}}


def publish(settings: Settings, tmp: Path, node: str, *rows: dict) -> list[str]:
    path = tmp / f"{node}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run_cli(settings, "publish", "--node", node, str(path))
    assert result.returncode == 0, result.stderr
    return [line.split()[3] for line in result.stdout.splitlines() if " published " in line]


def inboxes(settings: Settings) -> dict[str, dict[str, set[str]]]:
    """Per node: record ids and case exporters found in its inbox topic."""
    codec = default_codec()
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"records": set(), "cases": set()})
    for node in settings.network.codes:
        for _key, value in read_topic(settings, inbox_topic(node), timeout=10):
            decoded = codec.decode(value)
            if decoded.record_type == "Case":
                out[node]["cases"].add(decoded.record["entity_label"])
            else:
                out[node]["records"].add(decoded.record["record_id"])
    return out


def test_inboxes_hold_what_handling_allows(settings: Settings, worker: Worker, tmp_path: Path) -> None:
    [for_all] = publish(settings, tmp_path, "VN", row("01", "Open Trading Ltd", "ALL_MEMBERS"))
    [mekong] = publish(settings, tmp_path, "TH", row("02", "River Scrap Ltd", "CUG:MEKONG"))
    # a named-nodes pair about one exporter: the case built on them is for VN and MY only
    [named_vn] = publish(settings, tmp_path, "VN", row("03", "Quiet Metals Ltd", "NODES:MY", "RED"))
    [named_my] = publish(settings, tmp_path, "MY", row("04", "QUIET METALS LIMITED", "NODES:VN", "RED"))
    wait_idle(settings)
    seen = inboxes(settings)

    assert for_all in seen["MY"]["records"] and for_all in seen["AU"]["records"]
    assert for_all not in seen["VN"]["records"], "the issuer is not sent its own record"
    assert {n for n in seen if mekong in seen[n]["records"]} == {"KH", "LA", "VN", "RILO"}
    assert {n for n in seen if named_vn in seen[n]["records"]} == {"MY"}
    assert {n for n in seen if named_my in seen[n]["records"]} == {"VN"}
    holders = {n for n in seen if "Quiet Metals Ltd" in seen[n]["cases"]}
    assert holders == {"VN", "MY"}, "a case on named-node records reaches only those nodes"

    shown = run_cli(settings, "inbox", "--node", "MY", "--json")
    assert shown.returncode == 0, shown.stderr
    lines = [json.loads(line) for line in shown.stdout.splitlines()]
    ids = {line["record"].get("record_id") for line in lines}
    assert {for_all, named_vn} <= ids and mekong not in ids
    assert any(line["record_type"] == "Case" for line in lines)
