"""Is every current schema backward and forward compatible with its last released version?

Backward: the current schema, as reader, resolves data written with the previous one (new
consumers read old records and replayed topics). Forward: the previous schema, as reader,
resolves data written with the current one (nodes that have not upgraded yet keep reading).
The rules are Avro's schema resolution, applied to the schemas instead of to data:
a reader field missing from the writer needs a default (so an added field needs a default,
and a removed field must have had one); writer enum symbols unknown to the reader need the
reader's enum default; a type may change only by a promotion (int->long->float->double,
string<->bytes); named types must keep their name or list the old one in "aliases"; and
decimal precision/scale and other logical types may not change (the canonical form and thus
the fingerprint ignore them, so a change would silently reinterpret old bytes).

Run `python -m schemas.compat` to check the package's schemas against schemas/previous/.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from schemas.codec import SCHEMA_DIR, load_record_schema
from schemas.conform import named_types
from schemas.names import RECORD_TYPES, schema_file

PROMOTIONS = {("int", "long"), ("int", "float"), ("int", "double"), ("long", "float"), ("long", "double"),
              ("float", "double"), ("string", "bytes"), ("bytes", "string")}
NAMED = ("record", "enum", "fixed", "error")


def can_read(reader: Any, writer: Any) -> list[str]:
    """Why data written with `writer` cannot be read with `reader`; empty when it can."""
    out: list[str] = []
    _resolve(reader, writer, named_types(reader), named_types(writer), "", set(), out)
    return out


def compare(current: Any, previous: Any) -> list[str]:
    """Problems both ways between two versions of one record schema."""
    return ([f"backward (current reads previous): {p}" for p in can_read(current, previous)]
            + [f"forward (previous reads current): {p}" for p in can_read(previous, current)])


def check_release(schema_dir: Path = SCHEMA_DIR, previous_dir: Path | None = None) -> dict[str, list[str]]:
    """Problems per record type between schema_dir and previous_dir (default: schema_dir/previous)."""
    previous_dir = previous_dir or schema_dir / "previous"
    found: dict[str, list[str]] = {}
    for record_type in RECORD_TYPES:
        if not (previous_dir / schema_file(record_type)).exists():
            continue  # a record type new in this release has nothing to be compatible with
        current = load_record_schema(schema_dir, record_type)
        previous = load_record_schema(previous_dir, record_type)
        found[record_type] = compare(current, previous)
    return found


def _deref(schema: Any, names: dict[str, Any]) -> Any:
    if isinstance(schema, str) and schema in names:
        return names[schema]
    if isinstance(schema, dict) and isinstance(schema.get("type"), (dict, list)):
        return _deref(schema["type"], names)
    if isinstance(schema, dict) and isinstance(schema.get("type"), str) and schema["type"] in names:
        return names[schema["type"]]
    return schema


def _type(schema: Any) -> str:
    return schema if isinstance(schema, str) else str(schema["type"])


def _name(schema: dict[str, Any]) -> str:
    return str(schema["name"]).rsplit(".", 1)[-1]


def _names_match(reader: dict[str, Any], writer: dict[str, Any]) -> bool:
    aliases = {str(a).rsplit(".", 1)[-1] for a in reader.get("aliases", ())}
    return _name(reader) == _name(writer) or _name(writer) in aliases


def _logical(schema: Any) -> tuple[Any, ...]:
    if not isinstance(schema, dict) or "logicalType" not in schema:
        return ()
    return (schema["logicalType"], schema.get("precision"), schema.get("scale"))


def _matches(reader: Any, writer: Any, rn: dict[str, Any], wn: dict[str, Any], seen: set[Any]) -> bool:
    trial: list[str] = []
    _resolve(reader, writer, rn, wn, "", set(seen), trial)
    return not trial


def _resolve(reader: Any, writer: Any, rn: dict[str, Any], wn: dict[str, Any], path: str,
             seen: set[Any], out: list[str]) -> None:
    reader, writer = _deref(reader, rn), _deref(writer, wn)
    where = f"'{path}'" if path else "the record"
    if isinstance(writer, list):
        for branch in writer:  # every branch the writer may have written must be readable
            _resolve(reader, branch, rn, wn, path, seen, out)
        return
    if isinstance(reader, list):
        if any(_matches(branch, writer, rn, wn, seen) for branch in reader):
            return
        same = [b for b in reader if _type(_deref(b, rn)) == _type(writer)]
        if same:  # say why the branch of the same type does not fit
            _resolve(same[0], writer, rn, wn, path, seen, out)
        else:
            out.append(f"{where}: no branch of the reader's union reads the writer's {_type(writer)}")
        return
    rtype, wtype = _type(reader), _type(writer)
    if rtype != wtype:
        if (wtype, rtype) not in PROMOTIONS:
            out.append(f"{where}: type changed from {wtype} to {rtype}, which is not a promotion")
        return
    if _logical(reader) != _logical(writer):
        out.append(f"{where}: logical type changed from {_logical(writer) or 'none'} "
                   f"to {_logical(reader) or 'none'}")
    if rtype in NAMED and not _names_match(reader, writer):
        out.append(f"{where}: named type {_name(writer)} became {_name(reader)} without an alias")
        return
    if rtype in ("record", "error"):
        key = (id(reader), id(writer))
        if key in seen:  # recursive types: this pair is being checked further up
            return
        seen.add(key)
        written = {f["name"]: f for f in writer["fields"]}
        for field in reader["fields"]:
            names = [field["name"], *field.get("aliases", ())]
            match = next((written[n] for n in names if n in written), None)
            sub = f"{path}.{field['name']}" if path else field["name"]
            if match is not None:
                _resolve(field["type"], match["type"], rn, wn, sub, seen, out)
            elif "default" not in field:
                out.append(f"'{sub}': the reader has this field, the writer does not, and it has no default")
    elif rtype == "enum":
        unknown = [s for s in writer["symbols"] if s not in reader["symbols"]]
        if unknown and "default" not in reader:
            out.append(f"{where}: symbols {', '.join(unknown)} are unknown to the reader's enum "
                       f"{_name(reader)}, which has no default")
    elif rtype == "array":
        _resolve(reader["items"], writer["items"], rn, wn, f"{path}[]", seen, out)
    elif rtype == "map":
        _resolve(reader["values"], writer["values"], rn, wn, f"{path}{{}}", seen, out)
    elif rtype == "fixed" and reader["size"] != writer["size"]:
        out.append(f"{where}: fixed size changed from {writer['size']} to {reader['size']}")


def main() -> int:
    problems = {k: v for k, v in check_release().items() if v}
    for record_type, found in problems.items():
        for problem in found:
            print(f"{record_type}: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
