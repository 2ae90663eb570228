"""Correlation stage: each entity's sightings folded into its history, cases opened and grown.

The sightings topic is keyed by entity ("EXPORTER:<id>", "CONTAINER:<number>", ...), so one
table entry holds an entity's history and its cases together and one partition owns both.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from redis import RedisError

from schemas.codec import default_codec
from streams.app import app, metrics, settings
from streams.correlation.cases import Case
from streams.correlation.config import CorrelationConfig
from streams.correlation.events import Event
from streams.correlation.state import EntityState, observe
from streams.failures import guarded
from streams.resolution import Entity
from streams.topics import CASES, SIGHTINGS
from streams.watchlist.store import ExporterProfile, WatchlistStore

log = logging.getLogger(__name__)
codec = default_codec()
cfg = CorrelationConfig.from_settings(settings)
store = WatchlistStore.connect(settings)
sightings = app.topic(SIGHTINGS, key_serializer="raw", value_serializer="raw")  # JSON, read in the guard
cases_topic = app.topic(CASES, key_serializer="raw", value_serializer="raw")
entity_state = app.Table("entity-state", default=dict, partitions=settings.topic_partitions,
                         help="history and cases of each exporter, consignee, container and B/L")


async def publish_case(case: Case) -> None:
    await cases_topic.send(key=case.case_id.encode(), value=codec.encode("Case", case.to_record()))


def exporter_profile(entity: Entity, state: EntityState) -> ExporterProfile:
    """The exporter's events per node within the correlation horizon, for the Redis profile."""
    nodes = Counter(e.node for e in state.history)
    return ExporterProfile(entity.entity_id, entity.label, entity.country,
                           tuple(a for a in entity.aliases if a != entity.label), dict(nodes))


@app.agent(sightings)
async def correlate_sightings(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        async with guarded("correlate_sightings", event.message):
            started = time.perf_counter()
            await correlate(json.loads(event.value))
            metrics.agent_processing.labels("correlate_sightings").observe(time.perf_counter() - started)


async def correlate(sighting: dict[str, Any]) -> None:
    entity = sighting["entity"]
    event = Event.from_dict(sighting["event"])
    now = datetime.now(UTC)
    seen = observe(EntityState.from_dict(entity_state[entity]), entity, event, cfg, now)
    if seen.added:
        entity_state[entity] = seen.state.to_dict()
    for case in seen.changed:
        await publish_case(case)
        counter = metrics.cases_opened if case.version == 1 else metrics.cases_escalated
        counter.labels(case.rule).inc()
        metrics.case_latency.labels(case.rule).observe((now - event.issued_at).total_seconds())
    for case in seen.holding:
        await publish_case(case)  # same version again: consumers keep the newest, once
    if seen.added and entity.startswith("EXPORTER:"):
        profile = exporter_profile(Entity.from_dict(sighting["exporter"]), seen.state)
        try:
            await asyncio.to_thread(store.save_profile, profile)
        except RedisError:  # the profile is derived state: the next sighting rewrites it
            log.warning("Redis unavailable: exporter profile %s not updated", profile.entity_id)
