"""Validation stage: every record a node publishes is checked before the network sees it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from schemas.codec import default_codec
from streams.app import app, metrics, settings
from streams.topics import DEAD_LETTERS, VALIDATED, ingress_topic
from streams.validation.gate import Accepted, check_message

codec = default_codec()
ingress = app.topic(*(ingress_topic(code) for code in settings.network.codes),
                    key_serializer="raw", value_serializer="raw")
validated = app.topic(VALIDATED, key_serializer="raw", value_serializer="raw")
dead_letters = app.topic(DEAD_LETTERS, key_serializer="raw", value_serializer="raw")
SKEW = timedelta(seconds=settings.clock_skew_seconds)


@app.agent(ingress)
async def validate_records(stream):  # type: ignore[no-untyped-def]
    """Valid records go on, with their bytes unchanged; the rest become dead letters."""
    async for event in stream.events():
        started = time.perf_counter()
        msg = event.message
        verdict = check_message(msg.value, topic=msg.topic, partition=msg.partition,
                                offset=msg.offset, network=settings.network, codec=codec,
                                now=datetime.now(UTC), skew=SKEW)
        if isinstance(verdict, Accepted):
            record_id = str(verdict.record["record_id"])
            await validated.send(key=record_id.encode(), value=msg.value)
            metrics.records_received.labels(verdict.node, verdict.record_type).inc()
            metrics.records_accepted.labels(verdict.node, verdict.record_type).inc()
            metrics.node_last_record.labels(verdict.node).set(time.time())
        else:
            await dead_letters.send(key=msg.key, value=codec.encode("DeadLetter", verdict.dead_letter))
            metrics.records_received.labels(verdict.node or "unknown",
                                            verdict.dead_letter["record_type"] or "unknown").inc()
            metrics.dead_letters.labels(verdict.node or "unknown", verdict.reason_code).inc()
        metrics.agent_processing.labels("validate_records").observe(time.perf_counter() - started)
