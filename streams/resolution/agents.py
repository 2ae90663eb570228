"""Resolution stage: each alert and seizure learns which exporter entity it names.

Records are regrouped by the exporter's country (the blocking key), so one table entry
holds every exporter known in that country and `resolve` compares a name only with them.
Each resolved event then goes to the sightings topic once per entity it mentions.
"""

from __future__ import annotations

import time
from typing import Any

from schemas.codec import CodecError, default_codec
from schemas.names import AVRO_TO_SHORT
from streams.app import app, metrics, settings
from streams.correlation.config import CorrelationConfig
from streams.correlation.events import event_from_record
from streams.correlation.state import entity_keys
from streams.failures import guarded
from streams.resolution import UNKNOWN_COUNTRY, Entity, PartyRef, new_entity, ref_block, resolve
from streams.topics import SIGHTINGS, VALIDATED

codec = default_codec()
cfg = CorrelationConfig.from_settings(settings)
validated = app.topic(VALIDATED, key_serializer="raw", value_serializer="raw")
sightings = app.topic(SIGHTINGS, key_serializer="raw", value_serializer="json")
exporter_registry = app.Table("exporter-registry", default=list,
                              partitions=settings.topic_partitions,
                              help="known exporter entities per country block")


def names_an_exporter(value: bytes) -> bool:
    """Alerts and seizures name an exporter; control results answer an alert and do not."""
    try:
        return "exporter" in codec.decode(value).record
    except CodecError:
        return True  # let the agent's guard dead-letter it with the reason


def exporter_block(value: bytes) -> str:
    try:
        return ref_block(PartyRef.from_record(codec.decode(value).record["exporter"]))
    except (CodecError, KeyError, TypeError):
        return UNKNOWN_COUNTRY


def register(block: list[dict[str, Any]], entity: Entity) -> list[dict[str, Any]] | None:
    """The block with the entity added or updated, or None when it holds it as it is."""
    as_dict = entity.to_dict()
    others = [e for e in block if e["entity_id"] != entity.entity_id]
    if len(others) < len(block) and as_dict in block:
        return None
    return sorted([*others, as_dict], key=lambda e: e["entity_id"])


@app.agent(validated)
async def resolve_exporters(stream):  # type: ignore[no-untyped-def]
    grouped = stream.filter(names_an_exporter).group_by(exporter_block, name="exporter-block")
    async for event in grouped.events():
        async with guarded("resolve_exporters", event.message):
            started = time.perf_counter()
            await resolve_record(event.value)
            metrics.agent_processing.labels("resolve_exporters").observe(time.perf_counter() - started)


async def resolve_record(value: bytes) -> None:
    decoded = codec.decode(value)
    record = decoded.record
    ref = PartyRef.from_record(record["exporter"])
    block_key = ref_block(ref)
    block = exporter_registry[block_key]
    entity, evidence = resolve(ref, [Entity.from_dict(e) for e in block], cfg.resolution_threshold)
    updated = register(block, entity)
    if updated is not None:
        exporter_registry[block_key] = updated
    consignee = record.get("consignee")
    consignee_id = new_entity(PartyRef.from_record(consignee)).entity_id if consignee else None
    event = event_from_record(AVRO_TO_SHORT[decoded.record_type], record, entity.entity_id,
                              consignee_id, settings.network)
    for key in entity_keys(event):
        await sightings.send(key=key.encode(), value={
            "entity": key, "event": event.to_dict(),
            "exporter": entity.to_dict(), "match": evidence.to_dict()})
