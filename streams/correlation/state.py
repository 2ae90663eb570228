"""One entity's correlation state, and the step that folds a new event into it.

The correlation agent keeps one :class:`EntityState` per entity key ("EXPORTER:<id>",
"CONTAINER:<number>", ...) in a table; :func:`observe` is the whole decision, pure, so
replays, late events and window edges are tested without Kafka.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from streams.correlation.cases import Case, evaluate_all
from streams.correlation.config import CorrelationConfig
from streams.correlation.events import Event
from streams.correlation.history import add_event, history_from_dict, history_to_dict
from streams.correlation.rules import EntityKind, Finding, all_findings, keys_of

ENTITY_KINDS: tuple[EntityKind, ...] = ("EXPORTER", "CONSIGNEE", "CONTAINER", "BILL_OF_LADING")


def entity_keys(event: Event) -> list[str]:
    """Every entity an event is a sighting of, as table keys: "KIND:key"."""
    return [f"{kind}:{key}" for kind in ENTITY_KINDS for key in keys_of(event, kind)]


def split_key(entity: str) -> tuple[EntityKind, str]:
    kind, _, key = entity.partition(":")
    if kind not in ENTITY_KINDS or not key:
        raise ValueError(f"{entity!r} is not an entity key")
    return kind, key  # type: ignore[return-value]


@dataclass(frozen=True)
class EntityState:
    history: tuple[Event, ...] = ()
    cases: Mapping[str, Case] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"history": history_to_dict(self.history),
                "cases": {cid: case.to_dict() for cid, case in self.cases.items()}}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None) -> EntityState:
        if not raw:
            return cls()
        return cls(tuple(history_from_dict(raw.get("history", ()))),
                   {cid: Case.from_dict(c) for cid, c in raw.get("cases", {}).items()})


@dataclass(frozen=True)
class Observation:
    state: EntityState
    added: bool
    changed: tuple[Case, ...]
    # cases that already hold this record: a replay re-sends them so none is lost in a crash
    holding: tuple[Case, ...] = ()


def findings_for(history: tuple[Event, ...], entity: str, cfg: CorrelationConfig) -> list[Finding]:
    """The rules' findings about this entity only: another entity's pattern seen in this
    history (a shared container in an exporter's history) belongs to that entity's state."""
    kind, key = split_key(entity)
    return [f for f in all_findings(history, cfg) if (f.entity_kind, f.entity_key) == (kind, key)]


def observe(state: EntityState, entity: str, event: Event, cfg: CorrelationConfig,
            now: datetime) -> Observation:
    """Fold one event into an entity's state: new or escalated cases, or nothing on a replay."""
    history, added = add_event(state.history, event, cfg.horizon)
    if not added:
        holding = tuple(c for c in state.cases.values() if event.record_id in c.record_ids)
        return Observation(EntityState(tuple(history), state.cases), False, (), holding)
    changed = evaluate_all(findings_for(tuple(history), entity, cfg), state.cases, now)
    cases = {**state.cases, **{c.case_id: c for c in changed}}
    return Observation(EntityState(tuple(history), cases), True, tuple(changed))
