"""HTTP ingest: a request is one unit, outcomes per record, bearer token compared in constant time."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import CollectorRegistry

from connectors.http import IngestService, build_app
from connectors.outbox import Outbox
from schemas.codec import default_codec
from schemas.mapping import record_to_json
from streams.metrics import ConnectorMetrics
from streams.settings import Settings
from tests.factories import alert

TOKEN = "0123456789abcdef-token"


def good() -> dict[str, Any]:
    row = json.loads(json.dumps(record_to_json("SuspiciousShipmentAlert", alert("LA")), default=str))
    row.pop("issuing_node", None)
    return row


@pytest.fixture
def service(tmp_path: Path) -> Iterator[IngestService]:
    outbox = Outbox(tmp_path / "outbox.sqlite").setup()
    yield IngestService("LA", Settings.from_env({}).network, outbox, default_codec(),
                        ConnectorMetrics.create(CollectorRegistry()))
    outbox.close()


def test_one_bad_record_rejects_the_request_and_names_it(service: IngestService) -> None:
    status, answer = service.accept("alert", [good(), {**good(), "containers": ["CSQU3054384"]}, "x"])
    assert status == 422
    assert [r["index"] for r in answer["rejected"]] == [1, 2]
    assert service.outbox.depth() == 0


def test_accepted_records_get_ids_and_a_resend_is_a_duplicate(service: IngestService) -> None:
    status, answer = service.accept("alert", [good(), good()])
    assert status == 202 and [a["status"] for a in answer["accepted"]] == ["accepted", "accepted"]
    first = answer["accepted"][0]["record_id"]
    _status, again = service.accept("alert", [{**good(), "record_id": first}])
    assert again["accepted"][0] == {**again["accepted"][0], "record_id": first, "status": "duplicate"}
    assert service.outbox.depth() == 2


def test_the_server_wants_the_token_and_serves_metrics(service: IngestService) -> None:
    registry = CollectorRegistry()

    async def scenario() -> None:
        app = build_app(service, registry, TOKEN, lambda: {"outbox_depth": 0})
        async with TestClient(TestServer(app)) as client:
            assert (await client.post("/v1/alerts", json=good())).status == 401
            wrong = {"Authorization": "Bearer nope"}
            assert (await client.post("/v1/alerts", json=good(), headers=wrong)).status == 401
            auth = {"Authorization": f"Bearer {TOKEN}"}
            assert (await client.post("/v1/alerts", data=b"{", headers=auth)).status == 400
            response = await client.post("/v1/alerts", json=[good()], headers=auth)
            assert response.status == 202
            assert (await client.post("/v1/seizures", json=good(), headers=auth)).status == 422
            assert (await client.get("/health")).status == 200
            assert (await client.get("/metrics")).status == 200
        off = build_app(service, registry, None, lambda: {})
        async with TestClient(TestServer(off)) as client:
            assert (await client.post("/v1/alerts", json=good())).status == 503

    asyncio.run(scenario())
