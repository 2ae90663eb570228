"""Connector sources and the inbox on the real broker: drop folder, HTTP ingest, inbox and sink."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer

from schemas import examples
from schemas.codec import default_codec
from streams.settings import Settings
from streams.topics import RECORD_TYPE_HEADER, inbox_topic, ingress_topic
from tests.factories import alert
from tests.integration.support import (
    ConnectorProcess,
    drop,
    free_port,
    read_topic,
    rows,
    run_cli,
    wait_for,
)
from tests.unit.connectors.test_webhook import Receiver

pytestmark = pytest.mark.integration


def notes_on(settings: Settings, topic: str) -> list[str]:
    return sorted(default_codec().decode(v).record["risk_notes"] for _k, v in read_topic(settings, topic))


def test_bad_files_in_the_drop_folder_are_reported_and_never_block_the_next(
        settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    drop(folder, "01-good.jsonl", rows("TH", 3, start=0))
    drop(folder, "02-latin1.jsonl", rows("TH", 1, start=10).encode() + b'{"risk_notes": "Soci\xe9t\xe9"}\n')
    drop(folder, "03-truncated.jsonl", rows("TH", 2, start=20) + rows("TH", 1, start=22)[:150])
    (folder / "04-half.jsonl.tmp").write_text(rows("TH", 1, start=30)[:99], encoding="utf-8")
    drop(folder, "05-good.jsonl", rows("TH", 2, start=40))

    result = run_cli(settings, "connect", "--node", "TH", "--watch", str(folder), "--once", "--settle", "0",
                 "--port", str(free_port()), "--outbox", str(tmp_path / "outbox.sqlite"))

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (folder / "done").iterdir()) == ["01-good.jsonl", "05-good.jsonl"]
    assert sorted(p.name for p in (folder / "rejected").iterdir()) == [
        "02-latin1.jsonl", "02-latin1.jsonl.report.txt",
        "03-truncated.jsonl", "03-truncated.jsonl.report.txt"]
    latin1 = (folder / "rejected" / "02-latin1.jsonl.report.txt").read_text(encoding="utf-8")
    assert "file: 02-latin1.jsonl is not UTF-8 text: byte 0xE9" in latin1 and "(line 2)" in latin1
    truncated = (folder / "rejected" / "03-truncated.jsonl.report.txt").read_text(encoding="utf-8")
    assert "2 records accepted for publishing, 1 rows rejected" in truncated
    assert any(line.startswith("line 3: ") and "cut off" in line for line in truncated.splitlines())
    assert (folder / "04-half.jsonl.tmp").exists()
    expected = ["row 0", "row 1", "row 2", "row 20", "row 21", "row 40", "row 41"]
    assert notes_on(settings, ingress_topic("TH")) == expected


def post(port: int, path: str, body: Any, token: str | None) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_http_ingest_answers_per_record_and_publishes(settings: Settings, tmp_path: Path) -> None:
    token = "s3cret-token-for-node-ph-0123456789"
    (tmp_path / "token").write_text(token + "\n", encoding="utf-8")
    good = [json.loads(line) for line in rows("PH", 2, start=0).splitlines()]
    connector = ConnectorProcess(settings, tmp_path, "--node", "PH", "--token-file",
                                 str(tmp_path / "token")).start()
    try:
        assert post(connector.port, "/v1/alerts", good, None)[0] == 401
        assert post(connector.port, "/v1/alerts", good, "wrong-token")[0] == 401
        bad = [good[0], {**good[1], "containers": ["CSQU3054384"]}]
        status, answer = post(connector.port, "/v1/alerts", bad, token)
        assert status == 422 and answer["accepted"] == []
        assert [r["index"] for r in answer["rejected"]] == [1]
        assert "check digit" in " ".join(answer["rejected"][0]["reasons"])

        status, answer = post(connector.port, "/v1/alerts", good, token)
        assert status == 202, answer
        ids = [a["record_id"] for a in answer["accepted"]]
        assert len(set(ids)) == 2
        status, again = post(connector.port, "/v1/alerts", {**good[0], "record_id": ids[0]}, token)
        assert status == 202 and again["accepted"][0]["status"] == "duplicate"

        wait_for(lambda: connector.metric("tracenet_connector_records_total", outcome="published") == 2,
                 60, "the records to be published")
        assert connector.metric("tracenet_connector_records_total", outcome="rejected") == 1
    finally:
        connector.stop()
    published = read_topic(settings, ingress_topic("PH"), expect=2)
    assert sorted(k.decode() for k, _v in published) == sorted(ids)


def test_inbox_shows_and_sinks_what_was_delivered_to_the_node(settings: Settings, tmp_path: Path) -> None:
    codec = default_codec()
    case = examples.case()
    producer = Producer(settings.librdkafka())
    deliveries = [("SuspiciousShipmentAlert", alert("VN")), ("Case", case),
                  ("Case", {**case, "version": case["version"] + 1, "status": "ESCALATED"})]
    for record_type, record in deliveries:
        producer.produce(inbox_topic("MY"), codec.encode(record_type, record),
                         headers=[(RECORD_TYPE_HEADER, record_type.encode())])
    producer.produce(inbox_topic("MY"), b"not a frame")
    assert producer.flush(30) == 0

    shown = run_cli(settings, "inbox", "--node", "MY")
    assert "Traceback" not in shown.stderr
    lines = shown.stdout.splitlines()
    assert len(lines) == 3, shown.stdout
    assert any("SuspiciousShipmentAlert" in line and "from VN" in line and "route VNHPH" in line
               for line in lines)
    assert sum(line.startswith(f"CASE {case['case_id']}") for line in lines) == 2
    assert "cannot read this delivery (not_single_object" in shown.stderr
    as_json = [json.loads(line)
               for line in run_cli(settings, "inbox", "--node", "MY", "--json").stdout.splitlines()]
    assert {d["record_type"] for d in as_json} == {"SuspiciousShipmentAlert", "Case"}

    receiver = Receiver([503, 500])
    receiver.start()
    folder = tmp_path / "inbox"
    sunk = run_cli(settings, "inbox", "--node", "MY", "--to-folder", str(folder), "--webhook", receiver.url)
    assert "3 deliveries written" in sunk.stderr, sunk.stderr
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 3 and not any(name.startswith(".") for name in files)
    assert sum(name.startswith("case-") for name in files) == 2
    keys = [key for key, _body in receiver.seen]
    assert len(keys) == 5 and len(set(keys)) == 3  # two retries, then one post per delivery
    again = run_cli(settings, "inbox", "--node", "MY", "--to-folder", str(folder))
    assert "0 deliveries written" in again.stderr, again.stderr
    assert sorted(p.name for p in folder.iterdir()) == files
    receiver.loop.call_soon_threadsafe(receiver.loop.stop)
