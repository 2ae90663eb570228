"""Schema evolution: the release check, and a v2 read by v1 and the reverse."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from schemas import examples
from schemas.codec import SCHEMA_DIR, CodecError, RecordCodec, default_codec
from schemas.compat import can_read, check_release

ALERT = "tracenet.v1.SuspiciousShipmentAlert.avsc"
RISK = "tracenet.v1.RiskIndicator.avsc"


def make_release(tmp_path: Path, change) -> Path:
    """A copy of the current schemas (with previous/ = v1 as released), changed by `change`."""
    folder = tmp_path / "v2"
    shutil.copytree(SCHEMA_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
    change(folder)
    return folder


def edit(folder: Path, name: str, fn) -> None:
    path = folder / name
    schema = json.loads(path.read_text(encoding="utf-8"))
    fn(schema)
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")


def v2(folder: Path) -> None:
    """An optional field and a new risk indicator: the kind of change a minor release makes."""
    edit(folder, ALERT, lambda s: s["fields"].append(
        {"name": "pic_reference", "type": ["null", "string"], "default": None,
         "doc": "Prior informed consent notification number, when one was shown."}))
    edit(folder, RISK, lambda s: s["symbols"].insert(-1, "FALSE_PERMIT"))


def test_current_release_is_compatible_with_the_previous_one() -> None:
    assert check_release() == {name: [] for name in check_release()}
    assert len(check_release()) == 5


def test_v2_with_an_optional_field_and_a_symbol_is_compatible(tmp_path: Path) -> None:
    folder = make_release(tmp_path, v2)
    assert all(found == [] for found in check_release(folder).values())


def test_v2_reader_reads_v1_records(tmp_path: Path) -> None:
    v2_codec = RecordCodec(make_release(tmp_path, v2))
    record = examples.alert()
    decoded = v2_codec.decode(default_codec().encode("SuspiciousShipmentAlert", record))
    assert decoded.record["pic_reference"] is None
    assert decoded.record["exporter"] == record["exporter"]
    assert decoded.fingerprint != v2_codec.fingerprint("SuspiciousShipmentAlert")


def test_v1_reader_reads_v2_records_once_it_knows_the_writer(tmp_path: Path) -> None:
    folder = make_release(tmp_path, v2)
    record = {**examples.alert(), "pic_reference": "VN-2025-PIC-0042",
              "risk_indicators": ["FALSE_PERMIT", "NEW_TRADER"]}
    frame = RecordCodec(folder).encode("SuspiciousShipmentAlert", record)
    v1_codec = RecordCodec()
    with pytest.raises(CodecError) as unknown:
        v1_codec.decode(frame)
    assert unknown.value.reason_code == "unknown_schema"
    v1_codec.register_writers(folder)
    decoded = v1_codec.decode(frame).record
    assert "pic_reference" not in decoded
    assert decoded["risk_indicators"] == ["OTHER", "NEW_TRADER"]  # the enum's default
    assert decoded["record_id"] == record["record_id"]


def test_a_field_added_without_default_is_caught(tmp_path: Path) -> None:
    folder = make_release(tmp_path, lambda f: edit(f, ALERT, lambda s: s["fields"].append(
        {"name": "pic_reference", "type": "string", "doc": "x"})))
    found = check_release(folder)["SuspiciousShipmentAlert"]
    assert found == ["backward (current reads previous): 'pic_reference': the reader has this field, "
                     "the writer does not, and it has no default"]


def test_a_required_field_removed_is_caught(tmp_path: Path) -> None:
    folder = make_release(tmp_path, lambda f: edit(f, ALERT, lambda s: s["fields"].remove(
        next(x for x in s["fields"] if x["name"] == "stage"))))
    found = check_release(folder)["SuspiciousShipmentAlert"]
    assert len(found) == 1 and found[0].startswith("forward") and "'stage'" in found[0]


def test_an_optional_field_removed_is_fine(tmp_path: Path) -> None:
    folder = make_release(tmp_path, lambda f: edit(f, ALERT, lambda s: s["fields"].remove(
        next(x for x in s["fields"] if x["name"] == "risk_notes"))))
    assert check_release(folder)["SuspiciousShipmentAlert"] == []


def test_a_decimal_scale_change_is_caught(tmp_path: Path) -> None:
    def scale(schema: dict) -> None:
        field = next(x for x in schema["fields"] if x["name"] == "declared_value")
        field["type"][1]["scale"] = 3
    folder = make_release(tmp_path, lambda f: edit(f, "tracenet.v1.Commodity.avsc", scale))
    found = check_release(folder)["SuspiciousShipmentAlert"]
    assert found and all("logical type changed" in p for p in found)


def enum(symbols: list[str], default: str | None = None) -> dict:
    schema = {"type": "enum", "name": "E", "symbols": symbols}
    return {**schema, "default": default} if default else schema


def record(*fields: dict) -> dict:
    return {"type": "record", "name": "R", "fields": list(fields)}


@pytest.mark.parametrize(("reader", "writer", "ok"), [
    (enum(["A", "B"]), enum(["A", "B", "C"]), False),         # new symbol, reader has no default
    (enum(["A", "B"], "A"), enum(["A", "B", "C"]), True),     # ... with a default
    (enum(["A", "B", "C"]), enum(["A", "B"]), True),          # reader knows more symbols
    ("long", "int", True), ("double", "float", True), ("int", "long", False),
    ("string", "bytes", True), ("string", "double", False),
    (["null", "string"], "string", True), ("string", ["null", "string"], False),
    (record({"name": "x", "type": "int"}), record({"name": "y", "type": "int"}), False),
    (record({"name": "x", "type": "int", "aliases": ["y"]}), record({"name": "y", "type": "int"}), True),
    ({**record(), "name": "S"}, record(), False),
    ({**record(), "name": "S", "aliases": ["R"]}, record(), True),
])
def test_resolution_rules(reader, writer, ok: bool) -> None:
    assert (can_read(reader, writer) == []) is ok
