"""The connector's HTTP server: ingest for national systems that push, metrics, health.

``POST /v1/alerts``, ``/v1/seizures``, ``/v1/control-results`` take one JSON object or an
array in the JSON form (schemas/README.md). A request is one unit: 202 when every record was
accepted into the outbox (with their record ids), 422 when any was rejected, and then none
of the request was accepted, so the sender fixes the named records and sends it again. A
record that carries its own record_id can be re-sent safely: the outbox ledger answers
"duplicate" instead of accepting it twice. Ingest needs the node's bearer token; without a
configured token only ``/metrics`` and ``/health`` are served.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from connectors.outbox import Entry, Outbox
from connectors.source import check_record
from schemas.codec import CodecError, RecordCodec
from schemas.mapping import MappingError, record_from_json
from streams.metrics import ConnectorMetrics
from streams.network import Network

ROUTES = {"alerts": "alert", "seizures": "seizure", "control-results": "control_result"}
MAX_BODY = 16 * 1024 * 1024


@dataclass(frozen=True)
class IngestService:
    """Checks and accepts pushed records; plain code, called from the handler in a thread."""

    node: str
    network: Network
    outbox: Outbox
    codec: RecordCodec
    metrics: ConnectorMetrics
    skew: timedelta = timedelta(minutes=5)

    def accept(self, kind: str, items: list[Any]) -> tuple[int, dict[str, Any]]:
        entries: list[tuple[int, Entry, tuple[str, ...]]] = []
        rejected: list[dict[str, Any]] = []
        for index, obj in enumerate(items):
            record_type = None
            try:
                record_type, record = record_from_json(obj, kind)
                row = check_record(record_type, record, self.node, self.network, skew=self.skew)
                if row.problems:
                    raise _Rejected(list(row.problems))
                payload = self.codec.encode(record_type, row.record or {})
            except (MappingError, CodecError, _Rejected) as exc:
                reasons = exc.reasons if isinstance(exc, _Rejected) else [str(exc)]
                rejected.append({"index": index, "reasons": reasons})
                self.metrics.records.labels(self.node, record_type or "unknown", "rejected").inc()
                continue
            entry = Entry(str(record["record_id"]), record_type, payload, "http")
            entries.append((index, entry, row.warnings))
        if rejected:
            return 422, {"accepted": [], "rejected": rejected,
                         "message": f"{len(rejected)} of {len(items)} records rejected; nothing of this "
                                    "request was accepted: fix them and send the request again"}
        added = self.outbox.add([e for _i, e, _w in entries])
        accepted = []
        for (index, entry, warnings), new in zip(entries, added, strict=True):
            if new:
                self.metrics.records.labels(self.node, entry.record_type, "accepted").inc()
            accepted.append({"index": index, "record_id": entry.record_id,
                             "status": "accepted" if new else "duplicate", "warnings": list(warnings)})
        return 202, {"accepted": accepted, "rejected": []}


class _Rejected(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def build_app(service: IngestService, registry: CollectorRegistry, token: str | None,
              health: Callable[[], dict[str, Any]]) -> web.Application:
    """The aiohttp application; the caller runs it (web.AppRunner) on the connector's port."""

    async def ingest(request: web.Request) -> web.Response:
        if token is None:
            return web.json_response({"error": "HTTP ingest is off: the connector has no token "
                                      "(start it with --token-file)"}, status=503)
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return web.json_response({"error": "missing or wrong bearer token"}, status=401,
                                     headers={"WWW-Authenticate": 'Bearer realm="tracenet"'})
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "the body is not JSON (send one object or an array)"},
                                     status=400)
        items = body if isinstance(body, list) else [body]
        if not items:
            return web.json_response({"error": "the array is empty"}, status=400)
        kind = ROUTES[request.match_info["kind"]]
        status, answer = await asyncio.to_thread(service.accept, kind, items)
        return web.json_response(answer, status=status)

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response(await asyncio.to_thread(health))

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(r"/v1/{kind:alerts|seizures|control-results}", ingest)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/health", healthz)
    return app
