"""Round trips, framing and error reasons of the record codec."""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal

import pytest

from schemas import examples
from schemas.codec import MAGIC, RECORD_TYPES, CodecError, RecordCodec, default_codec, schema_fingerprint

VALUE = "commodities[0].declared_value"


@pytest.fixture(scope="module")
def codec() -> RecordCodec:
    return default_codec()


def _full(codec: RecordCodec, record_type: str, record: dict) -> dict:
    """What decode returns: every field present, optional ones filled with their defaults."""
    return codec.decode(codec.encode(record_type, record)).record


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_every_type_round_trips(codec: RecordCodec, record_type: str) -> None:
    record = examples.EXAMPLES[record_type]()
    data = codec.encode(record_type, record)
    decoded = codec.decode(data)
    assert decoded.record_type == record_type
    assert decoded.fingerprint == codec.fingerprint(record_type)
    assert decoded.record == record


@pytest.mark.parametrize("script", sorted(examples.NAMES_IN_SCRIPTS))
def test_names_in_any_script_survive(codec: RecordCodec, script: str) -> None:
    record = examples.alert()
    record["exporter"]["name"] = examples.NAMES_IN_SCRIPTS[script]
    record["consignee"] = examples.party(examples.NAMES_IN_SCRIPTS[script], None)
    decoded = _full(codec, "SuspiciousShipmentAlert", record)
    assert decoded["exporter"]["name"] == examples.NAMES_IN_SCRIPTS[script]
    assert decoded["consignee"]["name"] == examples.NAMES_IN_SCRIPTS[script]


def test_largest_realistic_alert_round_trips(codec: RecordCodec) -> None:
    record = examples.largest_alert()
    data = codec.encode("SuspiciousShipmentAlert", record)
    assert len(data) < 1_000_000  # Kafka's default message.max.bytes
    assert codec.decode(data).record == record


def test_frame_is_single_object_encoding(codec: RecordCodec) -> None:
    data = codec.encode("ControlResult", examples.control_result())
    assert data[:2] == MAGIC
    assert data[2:10] == codec.fingerprint("ControlResult")
    assert codec.fingerprint("ControlResult") == schema_fingerprint(codec.schema("ControlResult"))


def test_fingerprint_matches_the_avro_specification() -> None:
    # the specification's test vector: fingerprint64("null") = 7195948357588979594
    assert schema_fingerprint("null") == (7195948357588979594).to_bytes(8, "little")


def test_times_come_back_utc_aware_and_ids_as_strings(codec: RecordCodec) -> None:
    decoded = _full(codec, "SeizureReport", examples.seizure())
    assert decoded["issued_at"].utcoffset().total_seconds() == 0
    assert isinstance(decoded["record_id"], str) and isinstance(decoded["linked_alert_ids"][0], str)


def test_optional_fields_may_be_left_out(codec: RecordCodec) -> None:
    record = examples.alert()
    for name in ("consignee", "notify_party", "vessel", "bill_of_lading", "risk_notes", "containers"):
        del record[name]
    decoded = _full(codec, "SuspiciousShipmentAlert", record)
    assert decoded["consignee"] is None and decoded["containers"] == []


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda r: r.pop("route"), "route", "is missing"),
        (lambda r: r.update(colour="red"), "colour", "not a field"),
        (lambda r: r.update(issued_at=datetime(2025, 1, 1)), "issued_at", "without timezone"),
        (lambda r: r.update(record_id="ALERT-1"), "record_id", "not a UUID"),
        (lambda r: r.update(stage="MAYBE"), "stage", "PRE_CONTROL"),
        (lambda r: r["commodities"][0].update(declared_value=Decimal("1.005")), VALUE, "decimal places"),
        (lambda r: r["commodities"][0].update(declared_value=12.5), VALUE, "Decimal"),
        (lambda r: r["commodities"][0].update(weight_kg="24t"), "commodities[0].weight_kg", "not a number"),
        (lambda r: r["exporter"]["identifiers"][0].pop("value"), "exporter.identifiers[0].value", "missing"),
        (lambda r: r.update(containers="CSQU3054383"), "containers", "not a list"),
        (lambda r: r.update(exporter=None), "exporter", "null"),
        (lambda r: r.update(risk_notes="\ud800"), "risk_notes", "Unicode"),
    ],
)
def test_encode_names_the_field_at_fault(codec: RecordCodec, change, field: str, words: str) -> None:
    record = examples.alert()
    change(record)
    with pytest.raises(CodecError) as caught:
        codec.encode("SuspiciousShipmentAlert", record)
    assert caught.value.reason_code == "invalid_for_schema"
    assert caught.value.field == field
    assert words in str(caught.value) and f"'{field}'" in str(caught.value)


def test_encode_refuses_an_unknown_type(codec: RecordCodec) -> None:
    with pytest.raises(CodecError) as caught:
        codec.encode("Alert", examples.alert())
    assert caught.value.reason_code == "unknown_record_type"


@pytest.mark.parametrize(
    ("data", "reason_code"),
    [
        (b"", "not_single_object"),
        (b"\x00\x00\x00\x00\x01\x02", "not_single_object"),
        (b'{"type": "alert"}', "not_single_object"),
        (b"\xc3", "truncated"),
        (b"\xc3\x01\x01\x02", "truncated"),
        (b"\xc3\x01" + bytes(8) + b"\x02", "unknown_schema"),
    ],
)
def test_decode_gives_a_reason_code(codec: RecordCodec, data: bytes, reason_code: str) -> None:
    with pytest.raises(CodecError) as caught:
        codec.decode(data)
    assert caught.value.reason_code == reason_code
    assert str(caught.value)


def test_decode_a_cut_or_padded_body(codec: RecordCodec) -> None:
    data = codec.encode("SeizureReport", examples.seizure())
    with pytest.raises(CodecError) as cut:
        codec.decode(data[:-20])
    assert cut.value.reason_code in {"truncated", "malformed_body"}
    with pytest.raises(CodecError) as padded:
        codec.decode(data + b"\x00")
    assert padded.value.reason_code == "malformed_body"


def test_decode_a_bad_uuid_in_the_body(codec: RecordCodec) -> None:
    record = examples.control_result()
    data = bytearray(codec.encode("ControlResult", record))
    start = data.index(record["record_id"].encode())
    data[start:start + 4] = b"zzzz"
    with pytest.raises(CodecError) as caught:
        codec.decode(bytes(data))
    assert caught.value.reason_code == "malformed_body"


def test_codec_does_not_change_the_callers_record(codec: RecordCodec) -> None:
    record = examples.case()
    before = copy.deepcopy(record)
    codec.encode("Case", record)
    assert record == before


def test_previous_release_is_registered(codec: RecordCodec) -> None:
    sources = {str(path.parent.name) for _, path in codec.writer_schemas().values()}
    assert len(codec.writer_schemas()) >= len(RECORD_TYPES)
    assert sources <= {"schemas", "previous"}


def test_a_broken_schema_folder_is_a_codec_error(tmp_path) -> None:
    with pytest.raises(CodecError) as caught:
        RecordCodec(tmp_path)
    assert caught.value.reason_code == "schema_unavailable"
