"""Encode and decode tracenet records as Avro single-object encoding.

Framing: every message value is ``C3 01`` + the 8-byte little-endian CRC-64-AVRO fingerprint
of the writer schema's Parsing Canonical Form + the Avro binary body (Avro specification,
"Single-object encoding"). The fingerprint tells every consumer which schema wrote the
bytes without a schema registry; the codec keeps the writer schemas of the current release
and of previous releases (``schemas/previous/``, and any folder below it) and reads an older
or newer writer's bytes with the current reader schema by Avro schema resolution.

Adding Confluent schema-registry framing later: that framing is ``00`` + a 4-byte big-endian
registry id + the same binary body. Only the frame differs, so add a second pair of
``_frame``/``_unframe`` functions selected per topic (or by the first byte: ``C3`` vs
``00``), and a table registry-id -> writer schema filled from the registry client at start
(never at import). The body read/write and the resolution against the current reader schema
below stay as they are.
"""

from __future__ import annotations

import io
import uuid
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from fastavro import schemaless_reader, schemaless_writer
from fastavro.schema import fingerprint as _fastavro_fingerprint
from fastavro.schema import load_schema, to_parsing_canonical_form

from schemas.conform import first_problem, named_types
from schemas.names import RECORD_TYPES, schema_file

__all__ = ["RECORD_TYPES", "CodecError", "Decoded", "RecordCodec", "default_codec", "SCHEMA_DIR", "MAGIC"]

SCHEMA_DIR = Path(__file__).resolve().parent
MAGIC = b"\xc3\x01"
_HEADER = len(MAGIC) + 8


class CodecError(Exception):
    """Bytes or a record tracenet cannot carry; reason_code is stable, str(exc) is for people."""

    def __init__(self, reason_code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.reason_code = reason_code
        self.field = field


class Decoded(NamedTuple):
    record_type: str
    record: dict[str, Any]
    fingerprint: bytes


class _Writer(NamedTuple):
    record_type: str
    schema: Any
    source: Path


def schema_fingerprint(schema: Any) -> bytes:
    """CRC-64-AVRO of the Parsing Canonical Form, as the 8 little-endian bytes of the frame."""
    # fastavro returns the hex of the little-endian bytes (checked against the spec's vectors)
    return bytes.fromhex(_fastavro_fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO"))


def load_record_schema(folder: Path, record_type: str) -> Any:
    """A record schema with the named types it references resolved from the same folder."""
    path = folder / schema_file(record_type)
    try:
        return load_schema(str(path))
    except Exception as exc:  # fastavro raises several types for a bad or missing file
        raise CodecError("schema_unavailable", f"cannot load schema {path}: {exc}") from exc


class RecordCodec:
    """All tracenet record schemas, parsed once; encodes and decodes single-object frames."""

    def __init__(self, schema_dir: Path | None = None) -> None:
        self.schema_dir = schema_dir or SCHEMA_DIR
        self._readers: dict[str, Any] = {}
        self._names: dict[str, dict[str, Any]] = {}
        self._fingerprints: dict[str, bytes] = {}
        self._writers: dict[bytes, _Writer] = {}
        for record_type in RECORD_TYPES:
            schema = load_record_schema(self.schema_dir, record_type)
            fp = schema_fingerprint(schema)
            self._readers[record_type] = schema
            self._names[record_type] = named_types(schema)
            self._fingerprints[record_type] = fp
            self._writers[fp] = _Writer(record_type, schema, self.schema_dir / schema_file(record_type))
        for folder in _release_folders(self.schema_dir / "previous"):
            self.register_writers(folder)

    def register_writers(self, folder: Path) -> list[bytes]:
        """Learn the writer schemas in a folder (another release's); returns their fingerprints.

        A reader decodes only what it knows the writer schema of: roll a schema change out to
        consumers (here) before producers write it; until then its frames dead-letter as
        unknown_schema with their bytes kept for replay.
        """
        learned = []
        for record_type in RECORD_TYPES:
            if not (folder / schema_file(record_type)).exists():
                continue
            schema = load_record_schema(folder, record_type)
            fp = schema_fingerprint(schema)
            self._writers.setdefault(fp, _Writer(record_type, schema, folder / schema_file(record_type)))
            learned.append(fp)
        return learned

    def fingerprint(self, record_type: str) -> bytes:
        """The fingerprint the current release writes for a record type."""
        self._check_type(record_type)
        return self._fingerprints[record_type]

    def schema(self, record_type: str) -> Any:
        """The current (reader and writer) parsed schema of a record type."""
        self._check_type(record_type)
        return self._readers[record_type]

    def writer_schemas(self) -> dict[bytes, tuple[str, Path]]:
        """Every writer schema this codec can decode, by fingerprint."""
        return {fp: (w.record_type, w.source) for fp, w in self._writers.items()}

    def encode(self, record_type: str, record: dict[str, Any]) -> bytes:
        """One single-object frame; CodecError(invalid_for_schema) names the field at fault."""
        self._check_type(record_type)
        schema = self._readers[record_type]
        problem = first_problem(schema, record, self._names[record_type])
        if problem is not None:
            where, what = problem
            message = f"{record_type}: field '{where or '(record)'}' {what}"
            raise CodecError("invalid_for_schema", message, where)
        buffer = io.BytesIO()
        buffer.write(MAGIC + self._fingerprints[record_type])
        try:
            schemaless_writer(buffer, schema, record)
        except Exception as exc:  # anything the walker above let through
            raise CodecError("invalid_for_schema", f"{record_type}: {exc}") from exc
        return buffer.getvalue()

    def decode(self, data: bytes) -> Decoded:
        """The record in a frame, resolved to the current reader schema of its type."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise CodecError("not_single_object", f"message value is {type(data).__name__}, not bytes")
        data = bytes(data)
        if data[: len(MAGIC)] != MAGIC[: len(data)] or not data:
            hint = (" (it starts like Confluent schema-registry framing)" if data[:1] == b"\x00"
                    else "")
            raise CodecError("not_single_object",
                             f"message does not start with the Avro single-object marker C3 01{hint}")
        if len(data) < _HEADER:
            raise CodecError("truncated", f"message is {len(data)} bytes, shorter than the 10-byte header")
        fp = data[len(MAGIC):_HEADER]
        writer = self._writers.get(fp)
        if writer is None:
            raise CodecError("unknown_schema",
                             f"writer schema fingerprint {fp.hex()} is not one this release knows; "
                             "it was written by a newer or foreign schema, upgrade tracenet or re-send")
        body = io.BytesIO(data[_HEADER:])
        try:
            record = schemaless_reader(body, writer.schema, self._readers[writer.record_type])
        except EOFError as exc:
            raise CodecError("truncated", f"{writer.record_type} body ends early: {exc}") from exc
        except Exception as exc:  # fastavro raises many types for garbage bodies
            resolution = type(exc).__name__ == "SchemaResolutionError"
            code = "incompatible_schema" if resolution else "malformed_body"
            raise CodecError(code, f"{writer.record_type} body cannot be read: {exc}") from exc
        left = len(data) - _HEADER - body.tell()
        if left:
            raise CodecError("malformed_body", f"{writer.record_type} body has {left} bytes after its end")
        if not isinstance(record, dict):
            raise CodecError("malformed_body", f"{writer.record_type} body is not a record")
        return Decoded(writer.record_type, _plain(record), fp)

    def _check_type(self, record_type: str) -> None:
        if record_type not in self._readers:
            raise CodecError("unknown_record_type",
                             f"{record_type!r} is not a record type (known: {', '.join(RECORD_TYPES)})")


def _release_folders(previous: Path) -> list[Path]:
    """previous/ and every folder below it, newest release listed last by name."""
    if not previous.is_dir():
        return []
    return [previous, *sorted(p for p in previous.rglob("*") if p.is_dir())]


def _plain(value: Any) -> Any:
    """uuid.UUID back to str: the team codes against ids as strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


@cache
def default_codec() -> RecordCodec:
    """The codec for the schemas shipped in this package, built once per process."""
    return RecordCodec()
