"""When an agent fails on one message, that message becomes a dead letter and the agent goes on.

Bad input from nodes is caught by the validation stage with precise reason codes; this is
the net under the later stages: a message they cannot process (a bug, a foreign writer on an
internal topic) is kept with its bytes and the error, instead of stopping the agent or
vanishing. Replaying it after a fix is a produce of `original` to `topic`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from schemas.codec import default_codec
from streams.app import app, metrics
from streams.topics import DEAD_LETTERS

log = logging.getLogger(__name__)
dead_letters = app.topic(DEAD_LETTERS, key_serializer="raw", value_serializer="raw")
REASON = "processing_failed"


def failure_letter(agent: str, message: Any, exc: BaseException) -> dict[str, Any]:
    """The DeadLetter record for a message an agent could not process."""
    value = message.value if isinstance(message.value, bytes) else b""
    return {"original": value, "topic": message.topic, "partition": message.partition,
            "offset": message.offset, "node": None, "record_type": None, "reason_code": REASON,
            "reason": f"{agent} could not process this message: {type(exc).__name__}: {exc}",
            "first_seen": datetime.now(UTC), "findings": []}


@asynccontextmanager
async def guarded(agent: str, message: Any) -> AsyncIterator[None]:
    """Run one message's processing; on an error, dead-letter the message and carry on."""
    try:
        yield
    except Exception as exc:  # the agent must outlive any one message
        log.exception("%s failed on %s[%s]@%s; the message is in %s", agent, message.topic,
                      message.partition, message.offset, DEAD_LETTERS)
        await dead_letters.send(key=message.key,
                                value=default_codec().encode("DeadLetter",
                                                             failure_letter(agent, message, exc)))
        metrics.dead_letters.labels("-", REASON).inc()
