"""The field names the rest of tracenet codes against: renaming one breaks other packages."""

from __future__ import annotations

import pytest

from schemas.codec import default_codec
from schemas.conform import named_types

COMMON = {"record_id", "issuing_node", "issued_at", "event_time", "handling"}
GOODS = {"exporter", "consignee", "commodities", "containers", "bill_of_lading", "vessel", "route"}
CONTRACT = {
    "SuspiciousShipmentAlert": COMMON | GOODS | {"notify_party", "risk_indicators", "risk_notes", "stage"},
    "SeizureReport": COMMON | GOODS | {"outcome", "port", "quantity_kg", "legal_basis", "linked_alert_ids",
                                       "notes"},
    "ControlResult": COMMON | {"alert_id", "inspected", "found", "outcome", "notes"},
    "Case": {"case_id", "rule", "status", "entity_kind", "entity_key", "entity_label", "aliases", "score",
             "reasons", "evidence", "nodes", "audience", "opened_at", "updated_at", "version", "handling"},
    "DeadLetter": {"original", "topic", "partition", "offset", "node", "record_type", "reason_code", "reason",
                   "first_seen", "findings"},
    "tracenet.v1.Party": {"name", "country", "identifiers", "address"},
    "tracenet.v1.Identifier": {"scheme", "value"},
    "tracenet.v1.Commodity": {"hs_subheading", "national_tariff_line", "basel_code", "description",
                              "weight_kg",
                              "declared_value", "currency"},
    "tracenet.v1.Vessel": {"imo", "name", "voyage"},
    "tracenet.v1.Route": {"port_of_loading", "transshipment", "port_of_discharge"},
    "tracenet.v1.Handling": {"distribution", "tlp"},
    "tracenet.v1.Distribution": {"kind", "cug", "nodes"},
    "tracenet.v1.Evidence": {"record_id", "record_type", "node", "event_time", "summary"},
    "tracenet.v1.Finding": {"code", "field", "message"},
}
SYMBOLS = {
    "tracenet.v1.DistributionKind": {"ALL_MEMBERS", "CUG", "NODES"},
    "tracenet.v1.Tlp": {"CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"},
    "tracenet.v1.Stage": {"PRE_CONTROL", "POST_CONTROL"},
    "tracenet.v1.Outcome": {"SEIZED", "DETAINED", "REFUSED_ENTRY", "RE_EXPORTED", "REPATRIATED", "RELEASED"},
    "tracenet.v1.CaseRule": {"REPEAT_EXPORTER", "PORT_HOPPING", "REUSED_CONTAINER", "REUSED_BILL_OF_LADING"},
    "tracenet.v1.CaseStatus": {"OPEN", "ESCALATED", "CLOSED"},
    "tracenet.v1.EntityKind": {"EXPORTER", "CONSIGNEE", "CONTAINER", "BILL_OF_LADING"},
    "tracenet.v1.RiskIndicator": {"MISDECLARED_AS_RAW_MATERIAL", "HS_DESCRIPTION_MISMATCH",
                                  "NO_IMPORT_PERMIT",
                                  "NEW_TRADER", "MISSING_PIC", "FREE_ZONE_TRANSSHIPMENT", "UNDERVALUED",
                                  "SPLIT_CONSIGNMENTS", "REUSED_CONTAINER_OR_BL", "PRIOR_REFUSAL", "OTHER"},
}


def _all_named() -> dict:
    names: dict = {}
    for record_type in ("SuspiciousShipmentAlert", "SeizureReport", "ControlResult", "Case", "DeadLetter"):
        names[record_type] = default_codec().schema(record_type)
        names.update(named_types(default_codec().schema(record_type)))
    return names


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_fields_are_kept(name: str) -> None:
    fields = {f["name"] for f in _all_named()[name]["fields"]}
    assert CONTRACT[name] <= fields, CONTRACT[name] - fields


@pytest.mark.parametrize("name", sorted(SYMBOLS))
def test_symbols_are_kept_and_every_enum_has_a_default(name: str) -> None:
    enum = _all_named()[name]
    assert SYMBOLS[name] <= set(enum["symbols"])
    assert enum.get("default") in enum["symbols"]


def test_every_field_has_a_doc() -> None:
    import json

    from schemas.codec import SCHEMA_DIR
    for path in SCHEMA_DIR.glob("*.avsc"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema.get("doc"), path.name
        for field in schema.get("fields", ()):
            assert field.get("doc"), f"{path.name}: {field['name']}"
