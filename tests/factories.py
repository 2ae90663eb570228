"""Records built the way a node's national system would send them, for tests and benchmarks.

Defaults are valid (check digits, codes, times); override a field to make one wrong.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

NOW = datetime.now(UTC).replace(microsecond=0)


def party(name: str, country: str | None, *ids: tuple[str, str]) -> dict[str, Any]:
    return {"name": name, "country": country, "address": None,
            "identifiers": [{"scheme": s, "value": v} for s, v in ids]}


def handling(kind: str = "ALL_MEMBERS", nodes: list[str] | None = None, cug: str | None = None,
             tlp: str = "AMBER") -> dict[str, Any]:
    return {"distribution": {"kind": kind, "cug": cug, "nodes": nodes or []}, "tlp": tlp}


def commodity(hs: str = "391590", description: str = "plastic scrap, mixed", basel: str | None = "Y48",
              weight_kg: float = 18_000.0) -> dict[str, Any]:
    return {"hs_subheading": hs, "national_tariff_line": None, "basel_code": basel,
            "description": description, "weight_kg": weight_kg,
            "declared_value": Decimal("2400.00"), "currency": "USD"}


def _common(node: str, event_time: datetime | None, record_id: str | None) -> dict[str, Any]:
    event_time = event_time or NOW - timedelta(days=1)
    return {"record_id": record_id or str(uuid.uuid4()), "issuing_node": node,
            "issued_at": max(event_time, NOW), "event_time": event_time, "handling": handling()}


def alert(node: str = "VN", exporter: dict[str, Any] | None = None, *,
          event_time: datetime | None = None, record_id: str | None = None,
          containers: list[str] | None = None, bill_of_lading: str | None = None,
          consignee: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    record = {
        **_common(node, event_time, record_id),
        "stage": "PRE_CONTROL",
        "exporter": exporter or party("Nhua Xanh Co., Ltd.", "VN", ("VN-MST", "0312345678")),
        "consignee": consignee, "notify_party": None,
        "commodities": [commodity()],
        "containers": containers if containers is not None else ["CSQU3054383"],
        "bill_of_lading": bill_of_lading,
        "vessel": {"imo": "IMO9074729", "name": "MV EXAMPLE", "voyage": "042S"},
        "route": {"port_of_loading": "VNHPH", "transshipment": [], "port_of_discharge": "MYPKG"},
        "risk_indicators": ["MISDECLARED_AS_RAW_MATERIAL"], "risk_notes": None,
    }
    record.update(overrides)
    return record


def seizure(node: str = "VN", exporter: dict[str, Any] | None = None, *, outcome: str = "REFUSED_ENTRY",
            event_time: datetime | None = None, record_id: str | None = None,
            containers: list[str] | None = None, **overrides: Any) -> dict[str, Any]:
    record = {
        **_common(node, event_time, record_id),
        "outcome": outcome,
        "exporter": exporter or party("Nhua Xanh Co., Ltd.", "VN", ("VN-MST", "0312345678")),
        "consignee": None, "commodities": [commodity()],
        "containers": containers if containers is not None else ["CSQU3054383"],
        "bill_of_lading": None, "vessel": None,
        "route": {"port_of_loading": "VNHPH", "transshipment": [], "port_of_discharge": "VNHPH"},
        "port": "VNHPH", "quantity_kg": 18_000.0, "legal_basis": "Basel Convention Art. 9",
        "linked_alert_ids": [], "notes": None,
    }
    record.update(overrides)
    return record
