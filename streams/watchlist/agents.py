"""Watchlist stage: the latest version of every case kept in Redis for screening.

Redis is a cache of the cases topic: if it is emptied, a timer notices the missing marker
and rebuilds it from the topic.
"""

from __future__ import annotations

import asyncio
import logging

from confluent_kafka import KafkaException
from redis import RedisError

from schemas.codec import default_codec
from streams.app import app, metrics, settings
from streams.failures import guarded
from streams.topics import CASES
from streams.watchlist.rebuild import rebuild_from_cases_topic
from streams.watchlist.store import WatchlistStore

log = logging.getLogger(__name__)
codec = default_codec()
store = WatchlistStore.connect(settings)
cases_topic = app.topic(CASES, key_serializer="raw", value_serializer="raw")


@app.agent(cases_topic)
async def update_watchlist(stream):  # type: ignore[no-untyped-def]
    async for event in stream.events():
        async with guarded("update_watchlist", event.message):
            case = codec.decode(event.message.value).record
            await until_redis_answers(store.save_case, case)
            metrics.watchlist_exporters.set(await until_redis_answers(store.size))


async def until_redis_answers(call, *args):  # type: ignore[no-untyped-def]
    """Redis down is an outage, not bad input: wait for it rather than drop a case."""
    delay = 0.5
    while True:
        try:
            return await asyncio.to_thread(call, *args)
        except RedisError as exc:
            log.warning("Redis unavailable (%s); retrying in %.0fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


@app.timer(interval=10.0)
async def restore_watchlist() -> None:
    """Rebuild from the cases topic when Redis lost the watchlist (flushed, restarted empty).

    Every worker checks; two rebuilding at once write the same versions, which is harmless."""
    try:
        if await asyncio.to_thread(store.has_marker):
            return
        count = await asyncio.to_thread(rebuild_from_cases_topic, settings, store)
    except (RedisError, KafkaException) as exc:
        log.warning("watchlist check skipped, will retry: %s", exc)
        return
    log.warning("watchlist was missing from Redis: rebuilt it from %s (%d cases)", CASES, count)
    metrics.watchlist_exporters.set(await asyncio.to_thread(store.size))
