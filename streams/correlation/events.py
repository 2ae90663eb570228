"""One node's record as correlation sees it, and who may see it.

Audience of a record (:func:`audience`), the rule every case inherits:

- ``ALL_MEMBERS``: every node of the network (members, observers, desks);
- ``CUG``: the nodes of that closed user group (an unknown group names nobody);
- ``NODES`` (and any kind this code does not know): the named nodes;
- always the issuing node, and the regional desks (role ``desk``);
- TLP ``RED`` (and any marking this code does not know): only the named nodes and the issuing
  node, whatever the distribution says; a desk only when named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from streams.network import Network, Role

RecordType = Literal["alert", "seizure", "control_result"]
AVRO_NAMES = {"alert": "SuspiciousShipmentAlert", "seizure": "SeizureReport",
              "control_result": "ControlResult"}
TLP_ORDER = ("CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED")


def utc(value: datetime | str) -> datetime:
    """A tz-aware UTC datetime; naive values are taken as UTC (the record model's convention)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def strictest_tlp(*markings: str) -> str:
    """The most restrictive marking; an unknown one counts as RED."""
    return max(markings, key=lambda t: TLP_ORDER.index(t) if t in TLP_ORDER else len(TLP_ORDER))


def audience(handling: Mapping[str, Any], issuing_node: str, network: Network) -> frozenset[str]:
    """Codes of the nodes entitled to see a record (see the module docstring)."""
    distribution = handling.get("distribution") or {}
    named = frozenset(str(n).strip().upper() for n in distribution.get("nodes") or ())
    issuer = issuing_node.strip().upper()
    if handling.get("tlp") not in TLP_ORDER[:-1]:
        return named | {issuer}
    kind = distribution.get("kind")
    if kind == "ALL_MEMBERS":
        nodes = frozenset(network.codes)
    elif kind == "CUG":
        nodes = network.cugs.get(str(distribution.get("cug") or "").upper(), frozenset())
    else:
        nodes = named
    desks = frozenset(n.code for n in network.nodes if n.role is Role.DESK)
    return nodes | desks | {issuer}


@dataclass(frozen=True)
class Event:
    """The fields of a record the rules read; exporter and consignee are resolved entity ids."""

    record_id: str
    record_type: RecordType
    node: str
    event_time: datetime
    issued_at: datetime
    outcome: str | None
    exporter: str | None
    consignee: str | None
    containers: tuple[str, ...]
    bills_of_lading: tuple[str, ...]
    audience: frozenset[str]
    summary: str
    exporter_name: str | None = None
    consignee_name: str | None = None
    tlp: str = "RED"

    def to_dict(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "record_type": self.record_type, "node": self.node,
                "event_time": self.event_time.isoformat(), "issued_at": self.issued_at.isoformat(),
                "outcome": self.outcome, "exporter": self.exporter, "consignee": self.consignee,
                "containers": list(self.containers), "bills_of_lading": list(self.bills_of_lading),
                "audience": sorted(self.audience), "summary": self.summary,
                "exporter_name": self.exporter_name, "consignee_name": self.consignee_name,
                "tlp": self.tlp}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Event:
        return cls(record_id=raw["record_id"], record_type=raw["record_type"], node=raw["node"],
                   event_time=utc(raw["event_time"]), issued_at=utc(raw["issued_at"]),
                   outcome=raw.get("outcome"), exporter=raw.get("exporter"),
                   consignee=raw.get("consignee"), containers=tuple(raw.get("containers", ())),
                   bills_of_lading=tuple(raw.get("bills_of_lading", ())),
                   audience=frozenset(raw.get("audience", ())), summary=raw.get("summary", ""),
                   exporter_name=raw.get("exporter_name"), consignee_name=raw.get("consignee_name"),
                   tlp=raw.get("tlp", "RED"))


def event_from_record(record_type: str, record: Mapping[str, Any], exporter: str | None,
                      consignee: str | None, network: Network) -> Event:
    """An Event from a validated record dict; the caller has resolved exporter and consignee.

    For a control result, pass the entities of the alert it answers (it names none itself).
    """
    if record_type not in AVRO_NAMES:
        raise ValueError(f"unknown record type {record_type!r}; expected one of {sorted(AVRO_NAMES)}")
    node = str(record["issuing_node"]).strip().upper()
    handling = record.get("handling") or {}
    bill = record.get("bill_of_lading")
    return Event(
        record_id=str(record["record_id"]), record_type=record_type,  # type: ignore[arg-type]
        node=node, event_time=utc(record["event_time"]), issued_at=utc(record["issued_at"]),
        outcome=record.get("outcome"), exporter=exporter, consignee=consignee,
        containers=tuple(sorted({_code(c) for c in record.get("containers") or ()})),
        bills_of_lading=(_code(bill),) if bill else (),
        audience=audience(handling, node, network), summary=summarize(record_type, record),
        exporter_name=(record.get("exporter") or {}).get("name"),
        consignee_name=(record.get("consignee") or {}).get("name"),
        tlp=strictest_tlp(str(handling.get("tlp", "RED"))),
    )


def summarize(record_type: str, record: Mapping[str, Any]) -> str:
    """One line for a case's evidence, e.g. "VN seizure REFUSED_ENTRY at VNHPH: 18.4 t 3915.90 ..."."""
    node = str(record["issuing_node"]).upper()
    if record_type == "control_result":
        found = "found" if record.get("found") else "nothing found"
        inspected = "inspected" if record.get("inspected") else "not inspected"
        outcome = f", {record['outcome']}" if record.get("outcome") else ""
        alert = str(record.get("alert_id"))[:8]
        return f"{node} control result on alert {alert}: {inspected}, {found}{outcome}"
    commodities = record.get("commodities") or []
    kg = sum(float(c.get("weight_kg") or 0) for c in commodities)
    weight = f"{kg / 1000:.1f} t" if kg >= 1000 else f"{kg:.0f} kg"
    goods = "; ".join(f"{_hs(c.get('hs_subheading'))} {(c.get('description') or '').strip()[:40]}".strip()
                      for c in commodities[:2])
    containers = ", ".join(_code(c) for c in record.get("containers") or [])
    tail = f" [{containers}]" if containers else ""
    if record_type == "seizure":
        return f"{node} seizure {record.get('outcome')} at {record.get('port')}: {weight} {goods}{tail}"
    discharge = (record.get("route") or {}).get("port_of_discharge") or "?"
    return f"{node} alert, bound for {discharge}: {weight} {goods}{tail}"


def _hs(code: object) -> str:
    text = str(code or "")
    return f"{text[:4]}.{text[4:6]}" if len(text) == 6 and text.isdigit() else text


def _code(value: str) -> str:
    return "".join(str(value).split()).upper()
