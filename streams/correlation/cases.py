"""Cases: one per (rule, entity), opened on the first finding, escalated on new evidence.

Idempotence: the case id is a uuid5 of rule, entity kind and key, and a finding whose records
are all in the case already changes nothing (:func:`evaluate` returns None), so at-least-once
replays neither open a second case nor bump version or score.

Audience: the intersection of the evidence records' audiences. A node reads a case only if it
may read every record in it, so nothing marked for named nodes (or TLP RED) reaches another
node through a case. The intersection may shrink as evidence grows, and may be empty: such a
case is kept (and counts) but delivery sends it to nobody.

Label: the entity's name on the oldest record in the evidence (event time), its other
spellings sorted in ``aliases``; containers and bills of lading are labelled by their number.

Score (comparable within a rule only), the sum over the evidence, so independent of the order
and batching in which evidence arrived:
    rule base (PORT_HOPPING 3, others 1)
    + 1 per distinct node in the evidence
    + per record: 2 for SEIZED / REFUSED_ENTRY / RE_EXPORTED / REPATRIATED, 1 for DETAINED or
      a control result that found something, 0.5 for anything else (an alert, a release).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from streams.correlation.events import AVRO_NAMES, Event, strictest_tlp, utc
from streams.correlation.rules import EntityKind, Finding, Rule

Status = Literal["OPEN", "ESCALATED", "CLOSED"]
CASE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tracenet:case")
RULE_BASE: dict[str, float] = {"PORT_HOPPING": 3.0}
NODE_POINTS = 1.0
REFUSAL_OUTCOMES = frozenset({"SEIZED", "REFUSED_ENTRY", "RE_EXPORTED", "REPATRIATED"})


def case_id(rule: str, entity_kind: str, entity_key: str) -> str:
    """Stable id: re-detection of the same rule on the same entity updates the same case."""
    return str(uuid.uuid5(CASE_NAMESPACE, f"{rule}|{entity_kind}|{entity_key}"))


def event_points(event: Event) -> float:
    if event.outcome in REFUSAL_OUTCOMES and event.record_type != "alert":
        return 2.0
    if event.outcome == "DETAINED" or event.record_type == "control_result" and event.outcome:
        return 1.0
    return 0.5


@dataclass(frozen=True)
class Evidence:
    """One supporting record, summarised so the case reads without fetching it."""

    record_id: str
    record_type: str
    node: str
    event_time: datetime
    summary: str

    @classmethod
    def of(cls, event: Event) -> Evidence:
        return cls(event.record_id, event.record_type, event.node, event.event_time, event.summary)

    def to_dict(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "record_type": self.record_type, "node": self.node,
                "event_time": self.event_time.isoformat(), "summary": self.summary}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Evidence:
        return cls(raw["record_id"], raw["record_type"], raw["node"], utc(raw["event_time"]),
                   raw["summary"])


@dataclass(frozen=True)
class Case:
    case_id: str
    rule: Rule
    status: Status
    entity_kind: EntityKind
    entity_key: str
    entity_label: str
    aliases: tuple[str, ...]
    score: float
    reasons: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    nodes: tuple[str, ...]
    audience: frozenset[str]
    opened_at: datetime
    updated_at: datetime
    version: int
    tlp: str = "RED"

    @property
    def record_ids(self) -> frozenset[str]:
        return frozenset(e.record_id for e in self.evidence)

    @property
    def handling(self) -> dict[str, Any]:
        """The case's own handling: its audience by name, the strictest marking of its evidence."""
        return {"distribution": {"kind": "NODES", "cug": None, "nodes": sorted(self.audience)},
                "tlp": self.tlp}

    def to_dict(self) -> dict[str, Any]:
        """JSON for a table (ISO datetimes, record types as correlation names them)."""
        return {"case_id": self.case_id, "rule": self.rule, "status": self.status,
                "entity_kind": self.entity_kind, "entity_key": self.entity_key,
                "entity_label": self.entity_label, "aliases": list(self.aliases), "score": self.score,
                "reasons": list(self.reasons), "evidence": [e.to_dict() for e in self.evidence],
                "nodes": list(self.nodes), "audience": sorted(self.audience),
                "opened_at": self.opened_at.isoformat(), "updated_at": self.updated_at.isoformat(),
                "version": self.version, "tlp": self.tlp}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Case:
        return cls(case_id=raw["case_id"], rule=raw["rule"], status=raw["status"],
                   entity_kind=raw["entity_kind"], entity_key=raw["entity_key"],
                   entity_label=raw["entity_label"], aliases=tuple(raw.get("aliases", ())),
                   score=float(raw["score"]), reasons=tuple(raw.get("reasons", ())),
                   evidence=tuple(Evidence.from_dict(e) for e in raw.get("evidence", ())),
                   nodes=tuple(raw.get("nodes", ())), audience=frozenset(raw.get("audience", ())),
                   opened_at=utc(raw["opened_at"]), updated_at=utc(raw["updated_at"]),
                   version=int(raw["version"]), tlp=raw.get("tlp", "RED"))

    def to_record(self) -> dict[str, Any]:
        """The tracenet.v1.Case record for the codec: datetimes, Avro record type names, handling."""
        record = self.to_dict()
        record.pop("tlp")
        record.update(opened_at=self.opened_at, updated_at=self.updated_at, handling=self.handling,
                      evidence=[{**e.to_dict(), "event_time": e.event_time,
                                 "record_type": AVRO_NAMES.get(e.record_type, e.record_type)}
                                for e in self.evidence])
        return record


def _names(events: Iterable[Event], kind: str) -> list[str]:
    if kind == "EXPORTER":
        names = (e.exporter_name for e in events)
    elif kind == "CONSIGNEE":
        names = (e.consignee_name for e in events)
    else:
        names = iter(())
    return list(dict.fromkeys(n for n in names if n))


def _ordered(events: Iterable[Event]) -> list[Event]:
    return sorted({e.record_id: e for e in events}.values(), key=lambda e: (e.event_time, e.record_id))


def _first(case: Case) -> tuple[datetime, str]:
    return (case.evidence[0].event_time, case.evidence[0].record_id) if case.evidence else (
        datetime.max.replace(tzinfo=UTC), "")


def evaluate(finding: Finding, existing: Case | None, now: datetime) -> Case | None:
    """The new version of the finding's case, or None when the finding adds no record."""
    cid = case_id(finding.rule, finding.entity_kind, finding.entity_key)
    if existing is not None and existing.case_id != cid:
        raise ValueError(f"case {existing.case_id} is not the case of {finding.rule} "
                         f"{finding.entity_kind} {finding.entity_key} ({cid})")
    known = existing.record_ids if existing is not None else frozenset()
    new = _ordered(e for e in finding.events if e.record_id not in known)
    if not new:
        return None
    audience = frozenset.intersection(*(e.audience for e in new))
    nodes = {e.node for e in new}
    points = sum(event_points(e) for e in new)
    tlp = strictest_tlp(*(e.tlp for e in new))
    names = _names(new, finding.entity_kind)
    if existing is None:
        now = utc(now)
        return Case(case_id=cid, rule=finding.rule, status="OPEN", entity_kind=finding.entity_kind,
                    entity_key=finding.entity_key,
                    entity_label=names[0] if names else finding.entity_key,
                    aliases=tuple(sorted(names[1:])),
                    score=RULE_BASE.get(finding.rule, 1.0) + NODE_POINTS * len(nodes) + points,
                    reasons=tuple(dict.fromkeys(finding.reasons)),
                    evidence=tuple(Evidence.of(e) for e in new), nodes=tuple(sorted(nodes)),
                    audience=audience, opened_at=now, updated_at=now, version=1, tlp=tlp)
    added_nodes = nodes - set(existing.nodes)
    label = existing.entity_label
    if names and (new[0].event_time, new[0].record_id) < _first(existing):
        label = names[0]  # the oldest record names the entity, whatever arrived first
    spellings = {*existing.aliases, existing.entity_label, *names} - {label}
    evidence = sorted([*existing.evidence, *map(Evidence.of, new)],
                      key=lambda e: (e.event_time, e.record_id))
    return replace(
        existing, status="ESCALATED", entity_label=label, aliases=tuple(sorted(spellings)),
        score=existing.score + NODE_POINTS * len(added_nodes) + points,
        reasons=tuple(dict.fromkeys([*existing.reasons, *finding.reasons])),
        evidence=tuple(evidence), nodes=tuple(sorted(set(existing.nodes) | nodes)),
        audience=existing.audience & audience, updated_at=utc(now), version=existing.version + 1,
        tlp=strictest_tlp(existing.tlp, tlp))


def evaluate_all(findings: Sequence[Finding], cases: Mapping[str, Case], now: datetime) -> list[Case]:
    """New case versions for a batch of findings against the cases already known (by id)."""
    current = dict(cases)
    changed: dict[str, Case] = {}
    for finding in findings:
        cid = case_id(finding.rule, finding.entity_kind, finding.entity_key)
        case = evaluate(finding, current.get(cid), now)
        if case is not None:
            current[cid] = changed[cid] = case
    return list(changed.values())
