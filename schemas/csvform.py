"""The CSV form: one flat row per record, one record type per file.

A row is turned into the JSON form and goes through record_from_json, so CSV and JSON Lines
accept the same values. Lists (containers, transshipment ports, risk indicators, linked
alerts, identifiers) are separated by ";" inside a cell; an empty cell means "not given".
One commodity per row: a multi-line declaration goes in JSON Lines. Columns are documented
in schemas/README.md; errors name the column, not the JSON path.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

from schemas.jsonform import MappingError, Row, parse_distribution, record_from_json, short_type
from schemas.names import avro_name

COMMON = ["type", "record_id", "issuing_node", "issued_at", "event_time", "distribution", "tlp"]
GOODS = ["hs_subheading", "national_tariff_line", "basel_code", "description", "weight_kg", "declared_value",
         "currency", "containers", "bill_of_lading", "vessel_imo", "vessel_name", "voyage", "port_of_loading",
         "transshipment", "port_of_discharge"]
PARTY_FIELDS = ["name", "country", "id_scheme", "id", "address"]


def _party(prefix: str) -> list[str]:
    return [f"{prefix}_{f}" for f in PARTY_FIELDS]


COLUMNS: dict[str, list[str]] = {
    "SuspiciousShipmentAlert": COMMON + ["stage"] + _party("exporter") + _party("consignee")
    + _party("notify")
    + GOODS + ["risk_indicators", "risk_notes"],
    "SeizureReport": COMMON + ["outcome", "port", "quantity_kg", "legal_basis", "linked_alert_ids", "notes"]
    + _party("exporter") + _party("consignee") + GOODS,
    "ControlResult": COMMON + ["alert_id", "inspected", "found", "outcome", "notes"],
}
_BASE_REQUIRED = ["event_time", "distribution", "tlp"]
_GOODS_REQUIRED = ["exporter_name", "hs_subheading", "description"]
REQUIRED: dict[str, list[str]] = {
    "SuspiciousShipmentAlert": _BASE_REQUIRED + ["stage"] + _GOODS_REQUIRED,
    "SeizureReport": _BASE_REQUIRED + ["outcome", "port"] + _GOODS_REQUIRED,
    "ControlResult": _BASE_REQUIRED + ["alert_id", "inspected", "found"],
}
LISTS = {"containers", "transshipment", "risk_indicators", "linked_alert_ids"}
_TOP = ["record_id", "issuing_node", "issued_at", "event_time", "stage", "outcome", "port", "quantity_kg",
        "legal_basis", "linked_alert_ids", "notes", "alert_id", "inspected", "found", "containers",
        "bill_of_lading", "risk_indicators", "risk_notes"]
_COMMODITY = ["hs_subheading", "national_tariff_line", "basel_code", "description", "weight_kg",
              "declared_value", "currency"]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def flat_to_json(record_type: str, cells: dict[str, str]) -> dict[str, Any]:
    """The JSON form of one CSV row (cells by column name; empty cells are left out)."""
    v = {k: c.strip() for k, c in cells.items() if c is not None and c.strip()}
    obj: dict[str, Any] = {k: (_split(v[k]) if k in LISTS else v[k]) for k in _TOP if k in v}
    obj["handling"] = {"distribution": parse_distribution(v.get("distribution", ""), "distribution"),
                       "tlp": v.get("tlp")}
    if record_type == "ControlResult":
        return obj
    for prefix, field in (("exporter", "exporter"), ("consignee", "consignee"), ("notify", "notify_party")):
        if prefix == "exporter" or any(f"{prefix}_{f}" in v for f in PARTY_FIELDS):
            obj[field] = _party_json(prefix, v)
    obj["commodities"] = [{k: v[k] for k in _COMMODITY if k in v}]
    if any(k in v for k in ("vessel_imo", "vessel_name", "voyage")):
        obj["vessel"] = {"imo": v.get("vessel_imo"), "name": v.get("vessel_name"), "voyage": v.get("voyage")}
    obj["route"] = {"port_of_loading": v.get("port_of_loading"),
                    "transshipment": _split(v.get("transshipment", "")),
                    "port_of_discharge": v.get("port_of_discharge")}
    return obj


def _party_json(prefix: str, v: dict[str, str]) -> dict[str, Any]:
    schemes, ids = _split(v.get(f"{prefix}_id_scheme", "")), _split(v.get(f"{prefix}_id", ""))
    if len(schemes) != len(ids):
        raise MappingError(f"{prefix}_id", "identifier_mismatch",
                           f"columns '{prefix}_id_scheme' and '{prefix}_id' list {len(schemes)} schemes "
                           f"but {len(ids)} numbers; give one scheme per number, separated by ';'")
    return {"name": v.get(f"{prefix}_name"), "country": v.get(f"{prefix}_country"),
            "identifiers": [{"scheme": s, "value": i} for s, i in zip(schemes, ids, strict=True)],
            "address": v.get(f"{prefix}_address")}


_PATH_TO_COLUMN = [
    (r"^handling\.distribution.*", "distribution"), (r"^handling\.tlp$", "tlp"),
    (r"^(exporter|consignee)\.identifiers\[\d+\]\.scheme$", r"\1_id_scheme"),
    (r"^(exporter|consignee)\.identifiers.*", r"\1_id"),
    (r"^notify_party\.identifiers\[\d+\]\.scheme$", "notify_id_scheme"),
    (r"^notify_party\.identifiers.*", "notify_id"),
    (r"^notify_party\.(\w+)$", r"notify_\1"), (r"^(exporter|consignee)\.(\w+)$", r"\1_\2"),
    (r"^commodities\[0\]\.(\w+)$", r"\1"),
    (r"^vessel\.imo$", "vessel_imo"), (r"^vessel\.name$", "vessel_name"),
    (r"^vessel\.voyage$", "voyage"), (r"^route\.(\w+).*", r"\1"), (r"^(\w+)\[\d+\]$", r"\1"),
]


def column_of(path: str) -> str:
    """The CSV column a JSON path comes from."""
    for pattern, column in _PATH_TO_COLUMN:
        if re.match(pattern, path):
            return re.sub(pattern, column, path)
    return path


def _as_column_error(exc: MappingError) -> MappingError:
    column = column_of(exc.field)
    detail = exc.detail.replace(f"field '{exc.field}'", f"column '{column}'") if exc.field else exc.detail
    return MappingError(column, exc.reason_code, detail)


def csv_rows(text: str, record_type: str | None) -> Iterator[Row]:
    """Rows of a CSV export; header problems raise at once, row problems are yielded."""
    reader = csv.reader(io.StringIO(text, newline=""))
    parsed: list[tuple[int, list[str]]] = []
    broken: Row | None = None
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            parsed.append((start, cells))
    except csv.Error as exc:
        error = MappingError("", "bad_csv", f"the CSV cannot be read here: {exc}", reader.line_num)
        broken = Row(reader.line_num, None, None, error)
    if not parsed:
        raise MappingError("", "bad_header", "the CSV file is empty; its first line must be the column names")
    header = [h.strip().lower() for h in parsed[0][1]]
    data = [(line, cells) for line, cells in parsed[1:] if any(c.strip() for c in cells)]
    kind = _file_type(header, data, record_type)
    _check_header(header, kind)
    rows = [_row(kind, header, line, cells) for line, cells in data]
    return iter(rows + ([broken] if broken else []))


def _file_type(header: list[str], data: list[tuple[int, list[str]]], record_type: str | None) -> str:
    if record_type is not None:
        return avro_name(record_type) or ""
    if "type" in header and data:
        cells = data[0][1]
        index = header.index("type")
        stated = cells[index].strip() if index < len(cells) else ""
        if avro_name(stated) in COLUMNS:
            return avro_name(stated) or ""
    raise MappingError("type", "missing_type", "say which records this CSV holds: choose alert, seizure or "
                       "control_result for the file, or add a 'type' column")


def _check_header(header: list[str], kind: str) -> None:
    known, name = COLUMNS[kind], short_type(kind)
    duplicates = sorted({h for h in header if header.count(h) > 1})
    unknown = [h for h in header if h not in known]
    missing = [c for c in REQUIRED[kind] if c not in header]
    if duplicates:
        raise MappingError("", "bad_header", f"column(s) {', '.join(duplicates)} appear twice in the header")
    if unknown:
        listed = ", ".join(repr(u) for u in unknown)
        raise MappingError(unknown[0], "bad_header", f"column(s) {listed} are not "
                           f"{name} columns; the columns are: {', '.join(known)}")
    if missing:
        raise MappingError(missing[0], "bad_header",
                           f"a {name} file needs the column(s) {', '.join(missing)}")


def _row(kind: str, header: list[str], line: int, cells: list[str]) -> Row:
    if len(cells) != len(header):
        cut = " (is the line cut off?)" if len(cells) < len(header) else ""
        error = MappingError("", "wrong_cell_count",
                             f"the row has {len(cells)} cells, the header has {len(header)}{cut}", line)
        return Row(line, kind, None, error)
    try:
        obj = flat_to_json(kind, dict(zip(header, cells, strict=True)))
        if "type" in header and cells[header.index("type")].strip():
            obj["type"] = cells[header.index("type")].strip()
        _, record = record_from_json(obj, short_type(kind))
    except MappingError as exc:
        return Row(line, kind, None, _as_column_error(exc).at(line))
    return Row(line, kind, record, None)
