"""JSON Lines and CSV forms of alerts, seizures and control results, as national systems export them.

Each line of a .jsonl file is one JSON object in the JSON form (jsonform.py); each row of a
.csv file is the same record flattened (csvform.py) and goes through the same conversion, so
both forms accept and refuse exactly the same values. schemas/README.md documents the fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from schemas.csvform import csv_rows
from schemas.jsonform import (
    MappingError,
    Row,
    parse_distribution,
    record_from_json,
    record_to_json,
    short_type,
)
from schemas.names import AVRO_TO_SHORT, SHORT_NAMES, avro_name

__all__ = ["MappingError", "Row", "read_rows", "read_text", "record_from_json", "record_to_json",
           "parse_distribution", "short_type", "SHORT_NAMES"]


# ---- files -------------------------------------------------------------------------------

JSONL_SUFFIXES = (".jsonl", ".json-lines", ".ndjson")


def read_rows(path: Path, record_type: str | None = None) -> Iterator[Row]:
    """Every record of an export file; a bad row is yielded with its error, never raised.

    Raises MappingError only when the file as a whole cannot be read (missing, not UTF-8,
    unknown suffix, unusable CSV header).
    """
    path = Path(path)
    if record_type is not None and avro_name(record_type) not in AVRO_TO_SHORT:
        raise MappingError("type", "unknown_record_type",
                           f"record type {record_type!r} is not one of {', '.join(SHORT_NAMES)}")
    text = read_text(path)
    if path.suffix.lower() == ".csv":
        return csv_rows(text, record_type)
    if path.suffix.lower() in JSONL_SUFFIXES:
        return _jsonl_rows(text, record_type)
    raise MappingError("", "unsupported_file",
                       f"{path.name}: tracenet reads .jsonl and .csv exports, "
                       f"not {path.suffix or 'files without a suffix'}")


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MappingError("", "unreadable_file", f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MappingError("", "not_utf8",
                           f"{path.name} is not UTF-8 text: byte 0x{data[exc.start]:02X} "
                           f"at offset {exc.start} "
                           f"(line {line}); export or save the file as UTF-8") from exc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _jsonl_rows(text: str, record_type: str | None) -> Iterator[Row]:
    lines = text.split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:
            last = number == len(lines)
            code, what = (("truncated_line", "is cut off (the file ends inside a JSON object); "
                           "was the export copied completely?") if last and _looks_cut(line)
                          else ("not_json", f"is not valid JSON ({exc})"))
            yield Row(number, None, None, MappingError("", code, f"the line {what}", number))
            continue
        try:
            kind, record = record_from_json(obj, record_type)
        except MappingError as exc:
            yield Row(number, _type_of(obj, record_type), None, exc.at(number))
            continue
        yield Row(number, kind, record, None)


def _looks_cut(line: str) -> bool:
    """A last line that stops inside an object or a string was cut, not mistyped."""
    return line.count("{") > line.count("}") or line.count('"') % 2 == 1


def _type_of(obj: Any, record_type: str | None) -> str | None:
    stated = obj.get("type") if isinstance(obj, dict) else None
    return avro_name(record_type or stated) if isinstance(record_type or stated, str) else None
