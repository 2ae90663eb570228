"""Reading JSON Lines and CSV exports: good rows, bad rows, broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas import examples
from schemas.csvform import COLUMNS, REQUIRED, column_of
from schemas.mapping import MappingError, read_rows, record_to_json

ALERT_HEADER = ("event_time,distribution,tlp,stage,exporter_name,exporter_country,exporter_id_scheme,"
                "exporter_id,"
                "consignee_name,hs_subheading,national_tariff_line,basel_code,description,weight_kg,declared_value,"
                "currency,containers,bill_of_lading,vessel_imo,vessel_name,port_of_loading,transshipment,"
                "port_of_discharge,risk_indicators,risk_notes\n")
GOOD_ALERT = ('2025-03-04T09:30:00+07:00,CUG:DEMETER,AMBER+STRICT,PRE_CONTROL,CÔNG TY TNHH NHỰA XANH,VN,'
              'VN-MST;VN-DN,0312345678;0312345678-001,PT DAUR ULANG PLASTIK,391590,39159000,Y48,'
              '"Phế liệu nhựa, PE",24150.5,3622.58,USD,CSQU3054383;MSCU1234566,HPHJKT2503001,IMO9321483,'
              'WAN HAI 305,VNHPH,SGSIN;MYTPP,IDTPP,NEW_TRADER;MISSING_PIC,\n')


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_csv_good_row(tmp_path: Path) -> None:
    rows = list(read_rows(write(tmp_path, "alerts.csv", ALERT_HEADER + GOOD_ALERT), "alert"))
    assert [r.error for r in rows] == [None]
    record = rows[0].record
    assert rows[0].line == 2 and rows[0].record_type == "SuspiciousShipmentAlert"
    assert record["exporter"]["identifiers"] == [{"scheme": "VN-MST", "value": "0312345678"},
                                                 {"scheme": "VN-DN", "value": "0312345678-001"}]
    assert record["consignee"]["name"] == "PT DAUR ULANG PLASTIK" and record["notify_party"] is None
    assert record["route"]["transshipment"] == ["SGSIN", "MYTPP"]
    assert record["commodities"][0]["description"] == "Phế liệu nhựa, PE"
    assert record["risk_indicators"] == ["NEW_TRADER", "MISSING_PIC"]


def test_csv_bad_rows_are_reported_by_line_and_column(tmp_path: Path) -> None:
    bad_date = GOOD_ALERT.replace("2025-03-04T09:30:00+07:00", "2025-13-01")
    bad_weight = GOOD_ALERT.replace("24150.5", "24 t")
    cut = GOOD_ALERT[:60] + "\n"
    path = write(tmp_path, "alerts.csv", ALERT_HEADER + bad_date + GOOD_ALERT + bad_weight + "\n" + cut)
    rows = list(read_rows(path, "alert"))
    assert [(r.line, r.error is None) for r in rows] == [(2, False), (3, True), (4, False), (6, False)]
    assert str(rows[0].error).startswith("line 2: column 'event_time' is '2025-13-01', not an ISO-8601 date")
    assert rows[2].error.field == "weight_kg" and rows[2].error.reason_code == "bad_number"
    assert rows[3].error.reason_code == "wrong_cell_count" and "cut off" in str(rows[3].error)


def test_csv_truncated_inside_a_quoted_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "alerts.csv", ALERT_HEADER + GOOD_ALERT + GOOD_ALERT[:120])
    rows = list(read_rows(path, "alert"))
    assert rows[0].error is None and rows[1].error is not None and rows[1].line == 3


def test_csv_type_column_chooses_the_file_type(tmp_path: Path) -> None:
    header = "type,event_time,distribution,tlp,alert_id,inspected,found,outcome\n"
    body = ("control_result,2025-03-04,NODES:VN,AMBER,68a33d23-8758-4990-a3d6-a4d8b3dca317,yes,yes,SEIZED\n"
            "alert,2025-03-04,NODES:VN,AMBER,68a33d23-8758-4990-a3d6-a4d8b3dca317,yes,yes,SEIZED\n")
    rows = list(read_rows(write(tmp_path, "results.csv", header + body)))
    assert rows[0].record_type == "ControlResult" and rows[0].record["outcome"] == "SEIZED"
    assert rows[1].error.reason_code == "type_mismatch"


@pytest.mark.parametrize(("content", "record_type", "code"), [
    ("", "alert", "bad_header"),
    (ALERT_HEADER.replace("exporter_name", "exporter_nam") + GOOD_ALERT, "alert", "bad_header"),
    (ALERT_HEADER.replace(",stage", ",tlp"), "alert", "bad_header"),
    ("event_time,tlp\n2025-03-04,AMBER\n", "alert", "bad_header"),
    (ALERT_HEADER + GOOD_ALERT, None, "missing_type"),
    (ALERT_HEADER + GOOD_ALERT, "memo", "unknown_record_type"),
])
def test_csv_file_level_errors(tmp_path: Path, content: str, record_type, code: str) -> None:
    with pytest.raises(MappingError) as caught:
        read_rows(write(tmp_path, "x.csv", content), record_type)
    assert caught.value.reason_code == code


def test_columns_map_back_from_json_paths() -> None:
    assert column_of("exporter.identifiers[1].value") == "exporter_id"
    assert column_of("notify_party.country") == "notify_country"
    assert column_of("commodities[0].declared_value") == "declared_value"
    assert column_of("route.transshipment[2]") == "transshipment"
    assert column_of("handling.distribution.nodes") == "distribution"
    for kind, required in REQUIRED.items():
        assert set(required) <= set(COLUMNS[kind])


def test_jsonl_mixed_types_bad_and_truncated_lines(tmp_path: Path) -> None:
    lines = [json.dumps(record_to_json(t, examples.EXAMPLES[t]()), ensure_ascii=False)
             for t in ("SuspiciousShipmentAlert", "SeizureReport", "ControlResult")]
    surrogate = '{"type": "seizure", "port": "\\ud800"}'
    content = "\n".join([lines[0], "", "not json", lines[1], surrogate, lines[2], lines[0][:200]])
    rows = list(read_rows(write(tmp_path, "export.jsonl", content)))
    assert [r.line for r in rows] == [1, 3, 4, 5, 6, 7]
    assert [r.record_type for r in rows if r.error is None] == ["SuspiciousShipmentAlert", "SeizureReport",
                                                                 "ControlResult"]
    assert rows[1].error.reason_code == "not_json" and str(rows[1].error).startswith("line 3:")
    assert rows[3].error.reason_code in {"bad_text", "missing_field"}
    assert rows[5].error.reason_code == "truncated_line" and "cut off" in str(rows[5].error)


def test_jsonl_refuses_nan(tmp_path: Path) -> None:
    line = json.dumps(record_to_json("SuspiciousShipmentAlert", examples.alert())).replace("24150.5", "NaN")
    rows = list(read_rows(write(tmp_path, "x.jsonl", line + "\n")))
    assert rows[0].error.reason_code == "not_json"


def test_jsonl_crlf_and_bom(tmp_path: Path) -> None:
    line = json.dumps(record_to_json("ControlResult", examples.control_result()))
    rows = list(read_rows(write(tmp_path, "x.ndjson", ("\ufeff" + line + "\r\n").encode())))
    assert rows[0].error is None


def test_not_utf8_says_where(tmp_path: Path) -> None:
    content = b"event_time\n" + "CÔNG TY".encode("cp1258")
    with pytest.raises(MappingError) as caught:
        read_rows(write(tmp_path, "x.csv", content), "alert")
    assert caught.value.reason_code == "not_utf8"
    assert "offset 12" in str(caught.value) and "line 2" in str(caught.value)


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as missing:
        read_rows(tmp_path / "nope.jsonl")
    assert missing.value.reason_code == "unreadable_file"
    with pytest.raises(MappingError) as suffix:
        read_rows(write(tmp_path, "x.xlsx", "x"))
    assert suffix.value.reason_code == "unsupported_file"
