"""The JSON form: conversion to records, back again, and the words of its errors."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from schemas import examples
from schemas.codec import default_codec
from schemas.mapping import MappingError, record_from_json, record_to_json

NOW = datetime(2025, 3, 5, tzinfo=UTC)
PUBLISHABLE = ["SuspiciousShipmentAlert", "SeizureReport", "ControlResult"]


def minimal_alert(**changes) -> dict:
    obj = {"type": "alert", "event_time": "2025-03-04T09:30:00+07:00",
           "handling": {"distribution": "ALL_MEMBERS", "tlp": "AMBER"}, "stage": "PRE_CONTROL",
           "exporter": {"name": "CÔNG TY TNHH NHỰA XANH"},
           "commodities": [{"hs_subheading": "391590", "description": "phế liệu nhựa"}],
           "route": {}}
    obj.update(changes)
    return obj


@pytest.mark.parametrize("record_type", PUBLISHABLE)
def test_json_round_trip(record_type: str) -> None:
    record = examples.EXAMPLES[record_type]()
    text = json.dumps(record_to_json(record_type, record), ensure_ascii=False)
    assert record_from_json(json.loads(text)) == (record_type, record)


def test_record_to_json_is_display_ready() -> None:
    shown = record_to_json("SuspiciousShipmentAlert", examples.alert())
    assert shown["type"] == "alert"
    assert shown["event_time"] == "2025-03-04T02:30:00.000Z"
    assert shown["commodities"][0]["declared_value"] == "3622.58"
    json.dumps(record_to_json("DeadLetter", examples.dead_letter()))


def test_minimal_alert_is_filled_and_encodable() -> None:
    kind, record = record_from_json(minimal_alert(), now=NOW)
    assert kind == "SuspiciousShipmentAlert"
    assert uuid.UUID(record["record_id"]).version == 4
    assert record["issued_at"] == NOW
    assert record["event_time"] == datetime(2025, 3, 4, 2, 30, tzinfo=UTC)
    assert "issuing_node" not in record  # the caller sets it
    assert record["exporter"]["identifiers"] == [] and record["containers"] == []
    default_codec().encode(kind, {**record, "issuing_node": "VN"})


def test_national_quirks_are_normalised() -> None:
    _, record = record_from_json(minimal_alert(
        handling={"distribution": "nodes:VN;my", "tlp": "TLP:AMBER+STRICT"}, stage="post-control",
        containers=["csqu 305438 3"], exporter={"name": " Nhựa Xanh ", "country": "vn"},
        commodities=[{"hs_subheading": "3915.90", "national_tariff_line": "3915.90.00", "description": "x",
                      "declared_value": "12.5", "weight_kg": "24000", "currency": "usd"}]))
    assert record["handling"] == {"distribution": {"kind": "NODES", "cug": None, "nodes": ["VN", "MY"]},
                                  "tlp": "AMBER_STRICT"}
    assert record["stage"] == "POST_CONTROL" and record["containers"] == ["CSQU3054383"]
    assert record["exporter"]["name"] == " Nhựa Xanh "  # names stay exactly as given
    line = record["commodities"][0]
    assert (line["hs_subheading"], line["national_tariff_line"]) == ("391590", "39159000")
    assert line["declared_value"] == Decimal("12.5") and line["weight_kg"] == 24000.0


def test_a_bare_date_is_that_day_in_utc() -> None:
    _, record = record_from_json(minimal_alert(event_time="2025-03-04"))
    assert record["event_time"] == datetime(2025, 3, 4, tzinfo=UTC)


@pytest.mark.parametrize(("change", "field", "code", "words"), [
    ({"event_time": "2025-13-01"}, "event_time", "bad_time", "'2025-13-01', not an ISO-8601 date"),
    ({"event_time": "2025-03-04T09:30:00"}, "event_time", "bad_time", "without a UTC offset"),
    ({"stage": "LATER"}, "stage", "bad_enum", "PRE_CONTROL"),
    ({"record_id": "ALERT-7"}, "record_id", "bad_uuid", "not a UUID"),
    ({"colour": "red"}, "colour", "unknown_field", "not a field"),
    ({"exporter": {}}, "exporter.name", "missing_field", "is missing"),
    ({"exporter": "Nhựa Xanh"}, "exporter", "wrong_type", "not an object"),
    ({"containers": "CSQU3054383"}, "containers", "wrong_type", "not a list"),
    ({"handling": {"distribution": "EVERYONE", "tlp": "AMBER"}}, "handling.distribution", "bad_distribution",
     "CUG:<group>"),
    ({"commodities": [{"hs_subheading": "391590", "description": "x", "weight_kg": "24,5"}]},
     "commodities[0].weight_kg", "bad_number", "no thousands separator"),
    ({"commodities": [{"hs_subheading": "391590", "description": "x", "declared_value": "1.005"}]},
     "commodities[0].declared_value", "bad_number", "decimal places"),
    ({"commodities": [{"hs_subheading": "391590", "description": "x", "weight_kg": True}]},
     "commodities[0].weight_kg", "bad_number", "not a number"),
])
def test_errors_name_the_field(change: dict, field: str, code: str, words: str) -> None:
    with pytest.raises(MappingError) as caught:
        record_from_json(minimal_alert(**change))
    assert (caught.value.field, caught.value.reason_code) == (field, code)
    assert f"field '{field}'" in str(caught.value) and words in str(caught.value)


@pytest.mark.parametrize(("obj", "record_type", "code"), [
    ({"event_time": "2025-03-04"}, None, "missing_type"),
    ({"type": "memo"}, None, "unknown_record_type"),
    ({"type": "seizure"}, "alert", "type_mismatch"),
    ({}, "memo", "unknown_record_type"),
    (["not", "an", "object"], None, "not_an_object"),
])
def test_type_errors(obj, record_type, code: str) -> None:
    with pytest.raises(MappingError) as caught:
        record_from_json(obj, record_type)
    assert caught.value.reason_code == code


def test_control_result_booleans_from_words() -> None:
    _, record = record_from_json({"type": "control_result", "event_time": "2025-03-04T00:00:00Z",
                                  "handling": {"distribution": "CUG:DEMETER", "tlp": "GREEN"},
                                  "alert_id": str(uuid.uuid4()), "inspected": "yes", "found": "no"})
    assert (record["inspected"], record["found"], record["outcome"]) == (True, False, None)
