"""Check a Python record against an Avro schema before fastavro writes it.

fastavro's own errors rarely say which field is at fault; an officer fixing a rejected
record needs the path ("commodities[2].declared_value") and what the value should be.
This walker returns the first problem as (path, message) and is stricter than Avro in two
ways that protect the contract: unknown fields are refused (they would be dropped silently)
and timestamps must be timezone-aware (a naive datetime would be read as UTC by fastavro).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

Problem = tuple[str, str]
_INT_RANGE = {"int": 2**31, "long": 2**63}


Names = dict[str, dict[str, Any]]


def named_types(schema: Any, names: Names | None = None) -> Names:
    """Every named type defined anywhere in a schema, by full name."""
    names = {} if names is None else names
    if isinstance(schema, list):
        for branch in schema:
            named_types(branch, names)
    elif isinstance(schema, dict):
        kind = schema.get("type")
        if kind in ("record", "enum", "fixed", "error"):
            name = schema["name"]
            if "." not in name and schema.get("namespace"):
                name = f"{schema['namespace']}.{name}"
            names[name] = schema
        for field in schema.get("fields", ()):
            named_types(field["type"], names)
        for key in ("items", "values"):
            if key in schema:
                named_types(schema[key], names)
        if isinstance(kind, (dict, list)):
            named_types(kind, names)
    return names


def first_problem(schema: Any, datum: Any, names: Mapping[str, Any], path: str = "") -> Problem | None:
    """The first place where datum does not fit schema, or None when it fits."""
    if isinstance(schema, list):
        return _union(schema, datum, names, path)
    if isinstance(schema, str):
        if schema in names:
            return first_problem(names[schema], datum, names, path)
        return _primitive(schema, None, datum, path)
    kind = schema["type"]
    if isinstance(kind, (dict, list)) or (isinstance(kind, str) and kind in names):
        return first_problem(kind, datum, names, path)
    if kind in ("record", "error"):
        return _record(schema, datum, names, path)
    if kind == "enum":
        if isinstance(datum, str) and datum in schema["symbols"]:
            return None
        return path, f"is {datum!r}, not one of {', '.join(schema['symbols'])}"
    if kind == "array":
        if not isinstance(datum, (list, tuple)):
            return path, f"is {_kind(datum)}, not a list"
        for i, item in enumerate(datum):
            found = first_problem(schema["items"], item, names, f"{path}[{i}]")
            if found:
                return found
        return None
    if kind == "map":
        if not isinstance(datum, Mapping):
            return path, f"is {_kind(datum)}, not a mapping"
        for key, value in datum.items():
            if not isinstance(key, str):
                return path, f"has key {key!r}, map keys must be strings"
            found = first_problem(schema["values"], value, names, f"{path}[{key!r}]")
            if found:
                return found
        return None
    if kind == "fixed":
        if isinstance(datum, (bytes, bytearray)) and len(datum) == schema["size"]:
            return None
        return path, f"must be {schema['size']} bytes"
    return _primitive(kind, schema, datum, path)


def _record(schema: dict[str, Any], datum: Any, names: Mapping[str, Any], path: str) -> Problem | None:
    if not isinstance(datum, Mapping):
        return path, f"is {_kind(datum)}, not a {_short(schema)} record"
    fields = schema["fields"]
    known = {f["name"] for f in fields}
    for key in datum:
        if key not in known:
            fields_list = ", ".join(sorted(known))
            return _join(path, str(key)), f"is not a field of {_short(schema)} (fields: {fields_list})"
    for field in fields:
        where = _join(path, field["name"])
        if field["name"] not in datum:
            if "default" in field:
                continue
            return where, "is missing"
        found = first_problem(field["type"], datum[field["name"]], names, where)
        if found:
            return found
    return None


def _union(branches: list[Any], datum: Any, names: Mapping[str, Any], path: str) -> Problem | None:
    problems = []
    for branch in branches:
        found = first_problem(branch, datum, names, path)
        if found is None:
            return None
        problems.append(found)
    if datum is not None:
        # report the non-null branch's complaint: it says what the value should have been
        non_null = [p for b, p in zip(branches, problems, strict=True) if b != "null"]
        if len(non_null) == 1:
            return non_null[0]
    if datum is None:
        return path, "is null but required"
    return path, f"is {_kind(datum)}, which fits none of the allowed types"


def _primitive(kind: str, schema: dict[str, Any] | None, datum: Any, path: str) -> Problem | None:
    logical = schema.get("logicalType") if schema else None
    if kind == "null":
        return None if datum is None else (path, f"is {_kind(datum)}, must be null")
    if kind == "boolean":
        return None if isinstance(datum, bool) else (path, f"is {_kind(datum)}, not true/false")
    if kind in ("int", "long"):
        if logical in ("timestamp-millis", "timestamp-micros") and isinstance(datum, datetime):
            if datum.tzinfo is None or datum.utcoffset() is None:
                return path, "is a datetime without timezone; give it tzinfo (UTC)"
            return None
        if isinstance(datum, bool) or not isinstance(datum, int):
            want = "a timezone-aware datetime" if logical else f"an integer ({kind})"
            return path, f"is {_kind(datum)}, not {want}"
        if not -_INT_RANGE[kind] <= datum < _INT_RANGE[kind]:
            return path, f"is {datum}, out of range for {kind}"
        return None
    if kind in ("float", "double"):
        if isinstance(datum, bool) or not isinstance(datum, (int, float)):
            return path, f"is {_kind(datum)}, not a number"
        return None
    if kind == "string":
        if logical == "uuid" and isinstance(datum, uuid.UUID):
            return None
        if not isinstance(datum, str):
            return path, f"is {_kind(datum)}, not text"
        try:
            datum.encode("utf-8")
        except UnicodeEncodeError:
            return path, "holds characters that are not valid Unicode text"
        if logical == "uuid":
            return _uuid(datum, path)
        return None
    if kind == "bytes":
        if logical == "decimal" and schema is not None:
            return _decimal(schema, datum, path)
        return None if isinstance(datum, (bytes, bytearray)) else (path, f"is {_kind(datum)}, not bytes")
    return path, f"has unsupported schema type {kind!r}"


def _uuid(datum: str, path: str) -> Problem | None:
    try:
        uuid.UUID(datum)
    except ValueError:
        return path, f"is {datum!r}, not a UUID (e.g. 3f2b8c1e-...-...)"
    return None


def _decimal(schema: dict[str, Any], datum: Any, path: str) -> Problem | None:
    if not isinstance(datum, Decimal):
        return path, f"is {_kind(datum)}, not a Decimal"
    if not datum.is_finite():
        return path, f"is {datum}, not a finite amount"
    scale, precision = schema.get("scale", 0), schema["precision"]
    sign_digits_exp = datum.as_tuple()
    exponent = int(sign_digits_exp.exponent)
    if -exponent > scale:
        return path, f"is {datum}, more than {scale} decimal places"
    integer_digits = max(len(sign_digits_exp.digits) + exponent, 0)
    if integer_digits > precision - scale:
        return path, f"is {datum}, more than {precision - scale} digits before the decimal point"
    return None


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _kind(datum: Any) -> str:
    if datum is None:
        return "null"
    if isinstance(datum, float) and not math.isfinite(datum):
        return repr(datum)
    text = repr(datum)
    return f"{type(datum).__name__} {text[:40]}"


def _short(schema: dict[str, Any]) -> str:
    return str(schema["name"]).rsplit(".", 1)[-1]
