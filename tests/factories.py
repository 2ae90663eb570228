"""Records for integration tests and benchmarks: schemas.examples with the fields a test varies.

Defaults are valid and recent; override a field to make one wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from schemas import examples

NOW = datetime.now(UTC).replace(microsecond=0)


def party(name: str, country: str | None, *ids: tuple[str, str]) -> dict[str, Any]:
    return {"name": name, "country": country, "address": None,
            "identifiers": [{"scheme": s, "value": v} for s, v in ids]}


def _vary(record: dict[str, Any], exporter: dict[str, Any] | None, record_id: str | None,
          overrides: dict[str, Any]) -> dict[str, Any]:
    if exporter is not None:
        record["exporter"] = exporter
    if record_id is not None:
        record["record_id"] = record_id
    record["issued_at"] = max(record["event_time"], NOW)
    record.update(overrides)
    return record


def alert(node: str = "VN", exporter: dict[str, Any] | None = None, *,
          event_time: datetime | None = None, record_id: str | None = None,
          **overrides: Any) -> dict[str, Any]:
    record = examples.alert(node, event_time or NOW - timedelta(days=1))
    return _vary(record, exporter, record_id, overrides)


def seizure(node: str = "VN", exporter: dict[str, Any] | None = None, *,
            event_time: datetime | None = None, record_id: str | None = None,
            **overrides: Any) -> dict[str, Any]:
    record = examples.seizure(node, event_time or NOW - timedelta(days=1))
    record["port"] = {"VN": "VNHPH", "MY": "MYPKG", "TH": "THLCH", "ID": "IDTPP"}.get(node, "VNHPH")
    return _vary(record, exporter, record_id, overrides)
