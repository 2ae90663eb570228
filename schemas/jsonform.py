"""The JSON form of alerts, seizures and control results, and its conversion to records.

The JSON form mirrors the Avro records (schemas/README.md documents every field): times are
ISO-8601 strings, decimals are strings, enums are their symbols, and a "type" key says which
record an object holds. The conversion is driven by the Avro schema itself, so a field added
to a schema is mapped without touching this module.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from schemas.codec import default_codec
from schemas.conform import named_types
from schemas.names import AVRO_TO_SHORT, SHORT_NAMES, avro_name


class MappingError(ValueError):
    """A file or a row that cannot become a record; str(exc) says what to fix, and where."""

    def __init__(self, field: str, reason_code: str, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.field = field
        self.reason_code = reason_code
        self.line = line
        self.detail = message

    def at(self, line: int) -> MappingError:
        """The same error, told with its line number."""
        return MappingError(self.field, self.reason_code, self.detail, line)


@dataclass(frozen=True)
class Row:
    """One record read from a file, or the reason it could not be read, with its line number."""

    line: int
    record_type: str | None
    record: dict[str, Any] | None
    error: MappingError | None


def _upper_code(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value)


# national exports write codes with spaces, dots and lower case; the network stores one form
NORMALISE: dict[str, Callable[[str], str]] = {
    name: _upper_code for name in (
        "country", "currency", "port", "port_of_loading", "port_of_discharge", "transshipment", "containers",
        "imo", "basel_code", "issuing_node", "nodes", "cug",
    )
}
NORMALISE.update(hs_subheading=_digits, national_tariff_line=_digits)
FILLED = ("record_id", "issued_at")  # filled by record_from_json when absent


def parse_distribution(text: str, path: str = "handling.distribution") -> dict[str, Any]:
    """The DOMAIN shorthand: ALL_MEMBERS, CUG:<name> or NODES:<code>;<code> (commas also work)."""
    kind, _, rest = text.strip().partition(":")
    kind = kind.strip().upper().replace(" ", "_")
    if kind in ("ALL_MEMBERS", "ALL") and not rest.strip():
        return {"kind": "ALL_MEMBERS", "cug": None, "nodes": []}
    if kind == "CUG" and rest.strip():
        return {"kind": "CUG", "cug": rest.strip(), "nodes": []}
    if kind == "NODES" and rest.strip():
        return {"kind": "NODES", "cug": None, "nodes": [n for n in re.split(r"[;,\s]+", rest) if n]}
    raise MappingError(path, "bad_distribution",
                       f"field '{path}' is {text!r}; write ALL_MEMBERS, CUG:<group> (e.g. CUG:DEMETER) "
                       "or NODES:<codes> (e.g. NODES:VN;MY)")


def short_type(record_type: str) -> str:
    return AVRO_TO_SHORT.get(record_type, record_type)


def record_from_json(obj: dict[str, Any], record_type: str | None = None, *,
                     now: datetime | None = None) -> tuple[str, dict[str, Any]]:
    """(Avro record type, record) from the JSON form; fills record_id and issued_at if absent.

    issuing_node is kept when given; otherwise the caller sets it to the publishing node.
    """
    if not isinstance(obj, dict):
        raise MappingError("", "not_an_object", f"expected a JSON object, got {type(obj).__name__}")
    kind = _record_type(obj.get("type"), record_type)
    schema = default_codec().schema(kind)
    body = {k: v for k, v in obj.items() if k != "type"}
    if body.get("record_id") is None:
        body["record_id"] = str(uuid.uuid4())
    if body.get("issued_at") is None:
        body["issued_at"] = (now or datetime.now(UTC)).isoformat()
    handling = body.get("handling")
    if isinstance(handling, dict) and isinstance(handling.get("distribution"), str):
        body["handling"] = {**handling, "distribution": parse_distribution(handling["distribution"])}
    optional = frozenset({"issuing_node"})  # left out when absent: the caller sets it
    return kind, _from(schema, body, named_types(schema), "", "", optional)


def record_to_json(record_type: str, record: dict[str, Any]) -> dict[str, Any]:
    """The JSON form of a record: JSON-serialisable, for display and for re-import."""
    kind = avro_name(record_type)
    if kind is None:
        raise MappingError("type", "unknown_record_type", f"{record_type!r} is not a record type")
    return {"type": short_type(kind), **_to(record)}


def _record_type(stated: Any, wanted: str | None) -> str:
    kinds = ", ".join(SHORT_NAMES)
    if wanted is not None and avro_name(wanted) is None:
        raise MappingError("type", "unknown_record_type", f"record type {wanted!r} is not one of {kinds}")
    if stated is not None and (not isinstance(stated, str) or avro_name(stated) is None):
        raise MappingError("type", "unknown_record_type", f"field 'type' is {stated!r}, not one of {kinds}")
    if wanted is not None and stated is not None and avro_name(wanted) != avro_name(stated):
        raise MappingError("type", "type_mismatch",
                           f"field 'type' is {stated!r} but this file holds "
                           f"{short_type(avro_name(wanted) or '')} records")
    chosen = wanted if wanted is not None else stated
    if chosen is None:
        raise MappingError("type", "missing_type",
                           f"field 'type' is missing; say which record this is ({kinds})")
    return avro_name(chosen) or ""


def _fail(path: str, code: str, what: str) -> MappingError:
    return MappingError(path, code, f"field '{path}' {what}")


def _from(schema: Any, value: Any, names: dict[str, Any], path: str, field: str,
          optional: frozenset[str] = frozenset()) -> Any:
    """One JSON value converted to what the codec takes, by the Avro schema at that place."""
    if isinstance(schema, str) and schema in names:
        schema = names[schema]
    if isinstance(schema, list):
        if value is None and "null" in schema:
            return None
        branch = next(b for b in schema if b != "null")
        return _from(branch, value, names, path, field)
    if isinstance(schema, dict) and isinstance(schema["type"], (list, dict)):
        return _from(schema["type"], value, names, path, field)
    kind = schema["type"] if isinstance(schema, dict) else schema
    logical = schema.get("logicalType") if isinstance(schema, dict) else None
    if value is None:
        raise _fail(path, "missing_field", "is missing" if kind != "null" else "must be null")
    if kind == "record":
        return _record(schema, value, names, path, optional)
    if kind == "array":
        if not isinstance(value, list):
            raise _fail(path, "wrong_type", f"is {_show(value)}, not a list")
        return [_from(schema["items"], v, names, f"{path}[{i}]", field) for i, v in enumerate(value)]
    if kind == "enum":
        symbol = (re.sub(r"[\s+\-]+", "_", re.sub(r"(?i)^tlp:", "", value.strip())).upper()
                  if isinstance(value, str) else None)
        if symbol not in schema["symbols"]:
            raise _fail(path, "bad_enum", f"is {_show(value)}, not one of {', '.join(schema['symbols'])}")
        return symbol
    if logical == "timestamp-millis":
        return _time(value, path)
    if logical == "decimal":
        return _decimal(value, schema.get("scale", 0), path)
    if kind == "string":
        if not isinstance(value, str):
            raise _fail(path, "wrong_type", f"is {_show(value)}, not text")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _fail(path, "bad_text", "holds an invalid character (a lone UTF-16 surrogate)") from None
        if logical == "uuid":
            try:
                return str(uuid.UUID(value.strip()))
            except ValueError:
                raise _fail(path, "bad_uuid", f"is {_show(value)}, not a UUID") from None
        return NORMALISE[field](value) if field in NORMALISE else value
    if kind == "boolean":
        return _boolean(value, path)
    if kind in ("int", "long", "float", "double"):
        return _number(value, kind, path)
    if kind == "bytes" and isinstance(value, str):
        try:
            return bytes.fromhex(value)
        except ValueError:
            raise _fail(path, "wrong_type", "is not hexadecimal bytes") from None
    raise _fail(path, "wrong_type", f"is {_show(value)}, which tracenet cannot map to {kind}")


def _record(schema: dict[str, Any], value: Any, names: dict[str, Any], path: str,
            optional: frozenset[str]) -> Any:
    if not isinstance(value, dict):
        raise _fail(path, "wrong_type", f"is {_show(value)}, not an object")
    fields = {f["name"]: f for f in schema["fields"]}
    for key in value:
        if key not in fields:
            where = f"{path}.{key}" if path else str(key)
            raise _fail(where, "unknown_field", f"is not a field here (fields: {', '.join(fields)})")
    out = {}
    for name, field in fields.items():
        where = f"{path}.{name}" if path else name
        if value.get(name) is None and name in optional:
            continue
        if name not in value and "default" in field:
            default = field["default"]
            out[name] = list(default) if isinstance(default, list) else default
            continue
        out[name] = _from(field["type"], value.get(name), names, where, name)
    return out


def _time(value: Any, path: str) -> datetime:
    if isinstance(value, str):
        text = value.strip()
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            when = None
        if when is not None and when.tzinfo is None and len(text) == 10:
            return when.replace(tzinfo=UTC)  # a bare date is that day, UTC
        if when is not None and when.tzinfo is None:
            raise _fail(path, "bad_time",
                        f"is {value!r} without a UTC offset; add one, e.g. {text}+07:00 or {text}Z")
        if when is not None:
            return when.astimezone(UTC)
    raise _fail(path, "bad_time", f"is {_show(value)}, not an ISO-8601 date (e.g. 2025-03-04T09:30:00+07:00)")


def _decimal(value: Any, scale: int, path: str) -> Decimal:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise _fail(path, "bad_number", f"is {_show(value)}, not an amount")
    try:
        amount = Decimal(str(text))
    except InvalidOperation:
        raise _fail(path, "bad_number", f"is {_show(value)}, not an amount; write it like \"3622.58\", "
                    "with a point and no thousands separator") from None
    if not amount.is_finite():
        raise _fail(path, "bad_number", f"is {_show(value)}, not an amount")
    if -int(amount.as_tuple().exponent) > scale:
        raise _fail(path, "bad_number", f"is {value}, more than {scale} decimal places")
    return amount


def _boolean(value: Any, path: str) -> bool:
    if isinstance(value, bool):
        return value
    words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    if isinstance(value, str) and value.strip().lower() in words:
        return words[value.strip().lower()]
    raise _fail(path, "bad_boolean", f"is {_show(value)}, not true or false")


def _number(value: Any, kind: str, path: str) -> int | float:
    integer = kind in ("int", "long")
    number: Any = None
    if isinstance(value, str):
        try:
            number = int(value.strip()) if integer else float(value.strip())
        except ValueError:
            number = None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    try:
        ok = (isinstance(number, int) and -(2**63) <= number < 2**63) if integer else (
            number is not None and math.isfinite(number))
    except OverflowError:
        ok = False
    if not ok:
        hint = "; write decimals with a point and no thousands separator" if isinstance(value, str) else ""
        raise _fail(path, "bad_number", f"is {_show(value)}, not a number{hint}")
    return int(number) if integer else float(number)


def _to(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _to(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    return value


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
