"""Correlation rules: pure functions from a history of events to findings.

A history may hold the events of one entity or of many: each rule groups the events by the
key it cares about (exporter, consignee, container, bill of lading), so the same function
serves an exporter-keyed table and a container-keyed one. Windows compare event times with
each other, never with the wall clock. A desk's records never count (they relay what nodes
reported); a seizure RELEASED after inspection is no sighting for repeat-exporter or reuse.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from streams.correlation.config import CorrelationConfig
from streams.correlation.events import Event

Rule = Literal["REPEAT_EXPORTER", "PORT_HOPPING", "REUSED_CONTAINER", "REUSED_BILL_OF_LADING"]
EntityKind = Literal["EXPORTER", "CONSIGNEE", "CONTAINER", "BILL_OF_LADING"]


@dataclass(frozen=True)
class Finding:
    """What a rule saw about one entity: the supporting events and why, one sentence each."""

    rule: Rule
    entity_kind: EntityKind
    entity_key: str
    events: tuple[Event, ...]
    reasons: tuple[str, ...]


def keys_of(event: Event, kind: EntityKind) -> tuple[str, ...]:
    if kind == "EXPORTER":
        return (event.exporter,) if event.exporter else ()
    if kind == "CONSIGNEE":
        return (event.consignee,) if event.consignee else ()
    if kind == "CONTAINER":
        return event.containers
    return event.bills_of_lading


def _by_key(history: Iterable[Event], kind: EntityKind,
            keep: Callable[[Event], bool]) -> list[tuple[str, list[Event]]]:
    groups: dict[str, dict[str, Event]] = {}
    for event in history:
        if keep(event):
            for key in keys_of(event, kind):
                groups.setdefault(key, {})[event.record_id] = event
    return [(key, sorted(groups[key].values(), key=lambda e: (e.event_time, e.record_id)))
            for key in sorted(groups)]


def _is_sighting(event: Event) -> bool:
    return event.record_type == "alert" or (event.record_type == "seizure" and event.outcome != "RELEASED")


def _nodes_within(events: Sequence[Event], window: timedelta, quorum: int) -> list[Event]:
    """Events in any window of that length holding records from ``quorum`` distinct nodes.

    One pass with a sliding window over the time-ordered events: a busy exporter's history
    costs linear time per rule, not quadratic."""
    chosen: list[Event] = []
    nodes: Counter[str] = Counter()
    start = 0
    taken = 0  # events[:taken] are already chosen
    for end, event in enumerate(events):
        nodes[event.node] += 1
        while events[start].event_time < event.event_time - window:
            nodes[events[start].node] -= 1
            if not nodes[events[start].node]:
                del nodes[events[start].node]
            start += 1
        if len(nodes) >= quorum:
            chosen.extend(events[max(start, taken):end + 1])
            taken = end + 1
    return chosen


def _days(delta: timedelta) -> int:
    return int(delta.total_seconds() // 86400)


def repeat_exporter(history: Sequence[Event], cfg: CorrelationConfig) -> list[Finding]:
    """An exporter in alerts or seizures from ``repeat_exporter_nodes`` distinct member nodes
    within ``repeat_exporter_window``; observers and desks never make the quorum."""
    findings = []
    keep = lambda e: _is_sighting(e) and cfg.in_quorum(e.node)  # noqa: E731
    for key, events in _by_key(history, "EXPORTER", keep):
        chosen = _nodes_within(events, cfg.repeat_exporter_window, cfg.repeat_exporter_nodes)
        if chosen:
            nodes = sorted({e.node for e in chosen})
            reason = (f"Alerts or seizures from {len(nodes)} nodes ({', '.join(nodes)}) within "
                      f"{_days(cfg.repeat_exporter_window)} days")
            findings.append(Finding("REPEAT_EXPORTER", "EXPORTER", key, tuple(chosen), (reason,)))
    return findings


def port_hopping(history: Sequence[Event], cfg: CorrelationConfig) -> list[Finding]:
    """A shipment seized, refused, re-exported or repatriated at one node, then the same
    exporter, consignee or container in an alert or seizure at another node within
    ``port_hopping_window`` of the refusal (event time; ``clock_skew`` tolerated before it)."""
    findings = []
    for kind in ("EXPORTER", "CONSIGNEE", "CONTAINER"):
        for key, events in _by_key(history, kind, lambda e: cfg.counts(e.node)):  # type: ignore[arg-type]
            chosen: dict[str, Event] = {}
            reasons: list[str] = []
            for refusal in events:
                if refusal.record_type == "alert" or refusal.outcome not in cfg.hopping_outcomes:
                    continue
                for later in events:
                    gap = later.event_time - refusal.event_time
                    if (later.node == refusal.node or later.record_type == "control_result"
                            or not -cfg.clock_skew <= gap <= cfg.port_hopping_window):
                        continue
                    chosen[refusal.record_id], chosen[later.record_id] = refusal, later
                    reasons.append(
                        f"{refusal.outcome} at {refusal.node} on {refusal.event_time.date()}, then "
                        f"{later.record_type.replace('_', ' ')} at {later.node} on "
                        f"{later.event_time.date()} ({max(_days(gap), 0)} days later)")
            if chosen:
                evidence = sorted(chosen.values(), key=lambda e: (e.event_time, e.record_id))
                findings.append(Finding("PORT_HOPPING", kind, key, tuple(evidence),  # type: ignore[arg-type]
                                        tuple(dict.fromkeys(reasons))))
    return findings


def _reused(history: Sequence[Event], cfg: CorrelationConfig, kind: EntityKind,
            rule: Rule, what: str) -> list[Finding]:
    findings = []
    keep = lambda e: _is_sighting(e) and cfg.counts(e.node)  # noqa: E731
    for key, events in _by_key(history, kind, keep):
        chosen = _nodes_within(events, cfg.reused_container_window, 2)
        if chosen:
            nodes = sorted({e.node for e in chosen})
            reason = (f"{what} {key} on records from {len(nodes)} nodes ({', '.join(nodes)}) within "
                      f"{_days(cfg.reused_container_window)} days")
            findings.append(Finding(rule, kind, key, tuple(chosen), (reason,)))
    return findings


def reused_container(history: Sequence[Event], cfg: CorrelationConfig) -> list[Finding]:
    """The same ISO 6346 container on records from two distinct nodes within the window."""
    return _reused(history, cfg, "CONTAINER", "REUSED_CONTAINER", "Container")


def reused_bill_of_lading(history: Sequence[Event], cfg: CorrelationConfig) -> list[Finding]:
    """The same bill of lading on records from two distinct nodes within the container window."""
    return _reused(history, cfg, "BILL_OF_LADING", "REUSED_BILL_OF_LADING", "Bill of lading")


RULES: dict[Rule, Callable[[Sequence[Event], CorrelationConfig], list[Finding]]] = {
    "REPEAT_EXPORTER": repeat_exporter,
    "PORT_HOPPING": port_hopping,
    "REUSED_CONTAINER": reused_container,
    "REUSED_BILL_OF_LADING": reused_bill_of_lading,
}


def all_findings(history: Sequence[Event], cfg: CorrelationConfig) -> list[Finding]:
    """Every rule over one history, in a fixed order."""
    return [finding for rule in RULES.values() for finding in rule(history, cfg)]
