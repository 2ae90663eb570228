"""The webhook retries what may pass later, backs off exponentially, and stops on a refusal."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from aiohttp import web

from connectors.webhook import Webhook, WebhookError, backoff_delays


class Receiver:
    """A loopback aiohttp server that answers with the statuses it is given, in order."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.seen: list[tuple[str, bytes]] = []
        self.loop = asyncio.new_event_loop()
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.seen.append((request.headers.get("Idempotency-Key", ""), await request.read()))
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status)

    def start(self) -> None:
        ready = threading.Event()

        async def serve() -> None:
            app = web.Application()
            app.router.add_post("/hook", self.handle)
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()

        threading.Thread(target=lambda: (self.loop.run_until_complete(serve()), self.loop.run_forever()),
                         daemon=True).start()
        ready.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver([])
    r.start()
    yield r
    r.loop.call_soon_threadsafe(r.loop.stop)


def test_backoff_doubles_up_to_the_cap() -> None:
    assert list(backoff_delays(6, 0.5, 3.0)) == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert list(backoff_delays(1, 0.5, 3.0)) == []


def test_server_errors_are_retried_until_accepted(receiver: Receiver) -> None:
    receiver.statuses[:] = [503, 500, 429, 202]
    waits: list[float] = []
    hook = Webhook(receiver.url, attempts=6, base_delay=0.1, sleep=waits.append)
    assert hook.post(b'{"a": 1}', "case-1@v2") == 202
    assert waits == [0.1, 0.2, 0.4]
    assert [key for key, _ in receiver.seen] == ["case-1@v2"] * 4
    assert receiver.seen[-1][1] == b'{"a": 1}'


def test_gives_up_after_the_attempts_with_a_sentence(receiver: Receiver) -> None:
    receiver.statuses[:] = [502] * 10
    hook = Webhook(receiver.url, attempts=3, base_delay=0.01, sleep=lambda _s: None)
    with pytest.raises(WebhookError, match="after 3 attempts.*sent again"):
        hook.post(b"{}", "k")
    assert len(receiver.seen) == 3


def test_a_refusal_is_not_retried(receiver: Receiver) -> None:
    receiver.statuses[:] = [400]
    hook = Webhook(receiver.url, attempts=5, sleep=lambda _s: None)
    with pytest.raises(WebhookError, match="HTTP 400"):
        hook.post(b"{}", "k")
    assert len(receiver.seen) == 1


def test_an_unreachable_receiver_is_retried_then_reported() -> None:
    waits: list[float] = []
    hook = Webhook("http://127.0.0.1:1/hook", attempts=3, base_delay=0.2, timeout=1, sleep=waits.append)
    with pytest.raises(WebhookError, match="did not take delivery"):
        hook.post(b"{}", "k")
    assert waits == [0.2, 0.4]


def test_only_http_urls_are_accepted() -> None:
    with pytest.raises(WebhookError, match="not an http"):
        Webhook("file:///etc/passwd")
