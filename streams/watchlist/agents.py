"""Watchlist stage: the latest version of every case kept in Redis for screening.

Redis is a cache of the cases topic: if it is emptied, a timer notices the missing marker
and rebuilds it from the topic.
"""

from __future__ import annotations

import asyncio
import logging

from schemas.codec import default_codec
from streams.app import app, metrics, settings
from streams.topics import CASES
from streams.watchlist.rebuild import rebuild_from_cases_topic
from streams.watchlist.store import WatchlistStore

log = logging.getLogger(__name__)
codec = default_codec()
store = WatchlistStore.connect(settings)
cases_topic = app.topic(CASES, key_serializer="raw", value_serializer="raw")


@app.agent(cases_topic)
async def update_watchlist(stream):  # type: ignore[no-untyped-def]
    async for value in stream:
        case = codec.decode(value).record
        await asyncio.to_thread(store.save_case, case)
        metrics.watchlist_exporters.set(await asyncio.to_thread(store.size))


@app.timer(interval=10.0)
async def restore_watchlist() -> None:
    """Rebuild from the cases topic when Redis lost the watchlist (flushed, restarted empty).

    Every worker checks; two rebuilding at once write the same versions, which is harmless."""
    if await asyncio.to_thread(store.has_marker):
        return
    count = await asyncio.to_thread(rebuild_from_cases_topic, settings, store)
    log.warning("watchlist was missing from Redis: rebuilt it from %s (%d cases)", CASES, count)
    metrics.watchlist_exporters.set(await asyncio.to_thread(store.size))
