"""An entity's recent history: events in event-time order, one per record_id, pruned by age.

Age is measured from the newest event time in the history, never from the wall clock, so a
replay of last year's records correlates exactly as it did live, and a seizure reported
weeks late still lands in its place. Arrival order does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from streams.correlation.events import Event

History = list[Event]


def _order(event: Event) -> tuple[object, str]:
    return (event.event_time, event.record_id)


def add_event(history: Sequence[Event], event: Event, horizon: timedelta) -> tuple[History, bool]:
    """The history with the event in place and stale events pruned; ``added`` is False when
    the record was already there (an at-least-once replay) or is older than ``horizon``
    behind the newest event (it could change nothing)."""
    if any(e.record_id == event.record_id for e in history):
        return list(history), False
    newest = max([event.event_time, *(e.event_time for e in history)])
    cutoff = newest - horizon
    if event.event_time < cutoff:
        return prune(history, horizon), False
    return prune(sorted([*history, event], key=_order), horizon), True


def prune(history: Sequence[Event], horizon: timedelta) -> History:
    """Events no older than ``horizon`` behind the newest one, in event-time order."""
    if not history:
        return []
    cutoff = max(e.event_time for e in history) - horizon
    return sorted((e for e in history if e.event_time >= cutoff), key=_order)


def build_history(events: Iterable[Event], horizon: timedelta) -> History:
    """A history from events in any order, as if each had been added on arrival."""
    history: History = []
    for event in events:
        history, _ = add_event(history, event, horizon)
    return history


def history_to_dict(history: Sequence[Event]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in history]


def history_from_dict(raw: Iterable[Mapping[str, Any]]) -> History:
    return sorted((Event.from_dict(r) for r in raw), key=_order)
