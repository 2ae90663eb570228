"""Delivery stage: records and cases reach the inbox topics of the nodes in their audience.

A record's audience comes from its own handling (streams.correlation.events.audience); a
case's audience is already the intersection of its evidence's audiences, so a record
marked for named nodes never reaches another node through a case.
"""

from __future__ import annotations

from schemas.codec import default_codec
from streams.app import app, metrics, settings
from streams.correlation.events import audience
from streams.failures import guarded
from streams.topics import CASES, RECORD_TYPE_HEADER, VALIDATED, inbox_topic

codec = default_codec()
validated = app.topic(VALIDATED, key_serializer="raw", value_serializer="raw")
cases_topic = app.topic(CASES, key_serializer="raw", value_serializer="raw")
inboxes = {code: app.topic(inbox_topic(code), key_serializer="raw", value_serializer="raw")
           for code in settings.network.codes}


async def deliver(nodes: set[str] | frozenset[str], key: bytes | None, value: bytes,
                  record_type: str) -> None:
    for node in sorted(n for n in nodes if n in inboxes):
        await inboxes[node].send(key=key, value=value,
                                 headers={RECORD_TYPE_HEADER: record_type.encode()})
        metrics.inbox_deliveries.labels(node, record_type).inc()


@app.agent(validated)
async def share_records(stream):  # type: ignore[no-untyped-def]
    """Alerts, seizures and control results go to every other node entitled to them."""
    async for event in stream.events():
        async with guarded("share_records", event.message):
            decoded = codec.decode(event.message.value)
            record = decoded.record
            issuer = record["issuing_node"]
            readers = audience(record["handling"], issuer, settings.network) - {issuer}
            await deliver(readers, event.message.key, event.message.value, decoded.record_type)


@app.agent(cases_topic)
async def deliver_cases(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        async with guarded("deliver_cases", event.message):
            case = codec.decode(event.message.value).record
            await deliver(frozenset(case["audience"]), event.message.key, event.message.value, "Case")
