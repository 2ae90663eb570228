"""`GET /v1/screen?exporter=NAME&country=CC` on the worker: screening for node systems."""

from __future__ import annotations

import asyncio
import time

from faust.web import Request, Response, View

from streams.app import app, registry
from streams.metrics import ScreeningMetrics
from streams.watchlist.agents import store
from streams.watchlist.screening import screen

screening_metrics = ScreeningMetrics.create(registry)


@app.page("/v1/screen")
class Screen(View):
    async def get(self, request: Request) -> Response:
        name = request.query.get("exporter", "").strip()
        if not name:
            return self.json({"error": "give the exporter's name as ?exporter=NAME"}, status=400)
        started = time.perf_counter()
        result = await asyncio.to_thread(screen, store, name, request.query.get("country") or None)
        screening_metrics.latency.observe(time.perf_counter() - started)
        screening_metrics.requests.labels("hit" if result.hit else "clear").inc()
        return self.json(result.to_dict())
