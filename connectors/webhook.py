"""POSTing deliveries to a node's own system, with retries and exponential backoff.

Delivery is at least once: a delivery is re-posted after a restart if its offset was not
committed, so every POST carries an ``Idempotency-Key`` (delivery id and version) the
receiver uses to drop a repeat. Connection errors, timeouts, 408, 429 and 5xx are retried;
any other 4xx means the receiver refuses this request and retrying will not help.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from deploy.local.processes import StackError

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class WebhookError(StackError):
    """The webhook did not take a delivery; the message says why and what happens next."""


def backoff_delays(attempts: int, base: float, cap: float) -> Iterator[float]:
    """Waits between attempts: base, 2*base, 4*base ... never more than cap."""
    for n in range(max(0, attempts - 1)):
        yield min(cap, base * (2 ** n))


@dataclass
class Webhook:
    url: str
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    timeout: float = 10.0
    token: str | None = None
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise WebhookError(f"webhook URL {self.url!r} is not an http(s) URL")

    def post(self, body: bytes, key: str) -> int:
        """Deliver one JSON body; returns the status, raises WebhookError when it gives up."""
        delays = backoff_delays(self.attempts, self.base_delay, self.max_delay)
        last = ""
        for _attempt in range(self.attempts):
            status, last = self._once(body, key)
            if status is not None and 200 <= status < 300:
                return status
            if status is not None and status not in RETRY_STATUS:
                raise WebhookError(f"webhook {self.url} refused delivery {key}: HTTP {status} {last}; "
                                   "fix the receiver and run the command again")
            wait = next(delays, None)
            if wait is None:
                break
            self.sleep(wait)
        raise WebhookError(f"webhook {self.url} did not take delivery {key} after {self.attempts} "
                           f"attempts ({last}); it is kept in the folder and is sent again when "
                           "the command runs again")

    def _once(self, body: bytes, key: str) -> tuple[int | None, str]:
        headers = {"Content-Type": "application/json", "Idempotency-Key": key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 http(s) only
                return int(response.status), ""
        except urllib.error.HTTPError as exc:
            return int(exc.code), str(exc.reason)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            return None, str(getattr(exc, "reason", exc))
