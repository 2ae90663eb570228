"""Valid example records of every type, in the Python form the codec takes.

For tests, documentation and demos: each call returns a fresh dict the caller may change.
Numbers are real-shaped and pass the checks (ISO 6346 and IMO check digits, UN/LOCODEs,
HS subheadings, Basel codes); the traders are invented.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

T0 = datetime(2025, 3, 4, 2, 30, tzinfo=UTC)

NAMES_IN_SCRIPTS = {
    "vi": "CÔNG TY TNHH NHỰA XANH",
    "th": "บริษัท รีไซเคิล พลาสติก จำกัด",
    "km": "ក្រុមហ៊ុន កែច្នៃ ផ្លាស្ទិក",
    "lo": "ບໍລິສັດ ພລາສຕິກ ລາວ ຈຳກັດ",
    "si": "ලංකා ප්ලාස්ටික් සමාගම",
}
# valid ISO 6346 numbers: the standard's own example first, then computed ones
CONTAINERS = ("CSQU3054383", "MSCU1234566", "MAEU7654320", "TGHU4809135", "OOLU1234567", "CMAU7654327")


def handling(kind: str = "ALL_MEMBERS", *, cug: str | None = None, nodes: list[str] | None = None,
             tlp: str = "AMBER") -> dict[str, Any]:
    return {"distribution": {"kind": kind, "cug": cug, "nodes": list(nodes or [])}, "tlp": tlp}


def party(name: str = NAMES_IN_SCRIPTS["vi"], country: str | None = "VN") -> dict[str, Any]:
    return {
        "name": name,
        "country": country,
        "identifiers": [{"scheme": "VN-MST", "value": "0312345678"}] if country == "VN" else [],
        "address": "Lô 12, KCN Đình Vũ, Hải Phòng" if country == "VN" else None,
    }


def commodity(hs: str = "391590", basel: str | None = "Y48") -> dict[str, Any]:
    return {
        "hs_subheading": hs,
        "national_tariff_line": hs + "00",
        "basel_code": basel,
        "description": "Phế liệu nhựa PE đã qua sử dụng / used PE plastic scrap",
        "weight_kg": 24_150.5,
        "declared_value": Decimal("3622.58"),
        "currency": "USD",
    }


def _common(node: str, event_time: datetime) -> dict[str, Any]:
    return {
        "record_id": str(uuid.uuid4()),
        "issuing_node": node,
        "issued_at": event_time + timedelta(hours=2),
        "event_time": event_time,
        "handling": handling(),
    }


def alert(node: str = "VN", event_time: datetime = T0) -> dict[str, Any]:
    return {
        **_common(node, event_time),
        "stage": "PRE_CONTROL",
        "exporter": party(),
        "consignee": party("PT DAUR ULANG PLASTIK INDONESIA Tbk", "ID"),
        "notify_party": None,
        "commodities": [commodity()],
        "containers": [CONTAINERS[0]],
        "bill_of_lading": "HPHJKT2503001",
        "vessel": {"imo": "IMO9321483", "name": "WAN HAI 305", "voyage": "S112"},
        "route": {"port_of_loading": "VNHPH", "transshipment": ["SGSIN"], "port_of_discharge": "IDTPP"},
        "risk_indicators": ["MISDECLARED_AS_RAW_MATERIAL", "NEW_TRADER"],
        "risk_notes": "Declared as PE granules; X-ray shows bales.",
    }


def largest_alert(node: str = "VN", event_time: datetime = T0) -> dict[str, Any]:
    """The biggest alert seen in practice, with margin: a whole vessel's worth of one exporter."""
    record = alert(node, event_time)
    record["commodities"] = [commodity(hs) for hs in ("391510", "391520", "391530", "391590", "854900") * 40]
    record["containers"] = [CONTAINERS[i % len(CONTAINERS)] for i in range(500)]
    record["route"]["transshipment"] = ["SGSIN", "MYTPP", "MYPKG", "HKHKG", "THLCH", "KHKOS"] * 3
    record["exporter"]["identifiers"] *= 10
    record["risk_indicators"] = ["OTHER"] * 14
    record["risk_notes"] = "Nhựa phế liệu lẫn tạp chất. " * 400
    return record


def seizure(node: str = "MY", event_time: datetime = T0) -> dict[str, Any]:
    return {
        **_common(node, event_time),
        "outcome": "SEIZED",
        "exporter": party(),
        "consignee": party("SYARIKAT KITAR SEMULA Sdn Bhd", "MY"),
        "commodities": [commodity("854900", "A1181")],
        "containers": list(CONTAINERS[1:3]),
        "bill_of_lading": "HPHPKG2503017",
        "vessel": {"imo": "IMO9074729", "name": None, "voyage": None},
        "route": {"port_of_loading": "VNHPH", "transshipment": [], "port_of_discharge": "MYPKG"},
        "port": "MYPKG",
        "quantity_kg": 48_300.0,
        "legal_basis": "Customs Act 1967 s.135; Basel Convention Art. 9",
        "linked_alert_ids": [str(uuid.uuid4())],
        "notes": None,
    }


def control_result(node: str = "ID", event_time: datetime = T0,
                   alert_id: str | None = None) -> dict[str, Any]:
    return {
        **_common(node, event_time),
        "alert_id": alert_id or str(uuid.uuid4()),
        "inspected": True,
        "found": True,
        "outcome": "REFUSED_ENTRY",
        "notes": "Contaminated with household waste.",
    }


def case(event_time: datetime = T0) -> dict[str, Any]:
    return {
        "case_id": "PORT_HOPPING:exporter:cong-ty-tnhh-nhua-xanh",
        "rule": "PORT_HOPPING",
        "status": "OPEN",
        "entity_kind": "EXPORTER",
        "entity_key": "cong-ty-tnhh-nhua-xanh",
        "entity_label": NAMES_IN_SCRIPTS["vi"],
        "aliases": ["Cong ty TNHH Nhua Xanh", "NHUA XANH CO., LTD"],
        "score": 0.87,
        "reasons": ["Refused at MYPKG, re-sent through IDTPP 23 days later"],
        "evidence": [{"record_id": str(uuid.uuid4()), "record_type": "SeizureReport", "node": "MY",
                      "event_time": event_time, "summary": "REFUSED_ENTRY at MYPKG, 48,300 kg 854900"}],
        "nodes": ["MY", "ID"],
        "audience": ["MY", "ID", "VN", "RILO"],
        "opened_at": event_time + timedelta(days=23),
        "updated_at": event_time + timedelta(days=23),
        "version": 1,
        "handling": handling("NODES", nodes=["MY", "ID", "VN", "RILO"], tlp="AMBER_STRICT"),
    }


def dead_letter(event_time: datetime = T0) -> dict[str, Any]:
    return {
        "original": b"\xc3\x01" + bytes(8) + b"\x00garbage",
        "topic": "tracenet.ingress.vn.v1",
        "partition": 3,
        "offset": 1_234_567_890_123,
        "node": "VN",
        "record_type": None,
        "reason_code": "unknown_schema",
        "reason": "writer schema fingerprint 0000000000000000 is not one this release knows",
        "first_seen": event_time,
        "findings": [{"code": "container_check_digit", "field": "containers[0]",
                      "message": "CSQU3054384: check digit is 3, not 4"}],
    }


EXAMPLES = {
    "SuspiciousShipmentAlert": alert,
    "SeizureReport": seizure,
    "ControlResult": control_result,
    "Case": case,
    "DeadLetter": dead_letter,
}
