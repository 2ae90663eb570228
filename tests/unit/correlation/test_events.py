"""Audience of a record and the Event correlation builds from it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from schemas import examples
from streams.correlation import Event, audience, event_from_record
from tests.unit.correlation.builders import ALL, NETWORK


def _handling(kind: str, tlp: str = "AMBER", cug: str | None = None, nodes: list[str] | None = None):
    return examples.handling(kind, cug=cug, nodes=nodes, tlp=tlp)


def test_all_members_reaches_every_node_including_observers_and_desks() -> None:
    assert audience(_handling("ALL_MEMBERS"), "VN", NETWORK) == ALL


def test_cug_reaches_its_group_the_issuer_and_the_desk() -> None:
    got = audience(_handling("CUG", cug="demeter"), "TH", NETWORK)
    assert got == {"VN", "MY", "ID", "RILO", "TH"}


def test_unknown_cug_reaches_only_issuer_and_desk() -> None:
    assert audience(_handling("CUG", cug="NOPE"), "TH", NETWORK) == {"TH", "RILO"}


def test_named_nodes_plus_issuer_plus_desk() -> None:
    assert audience(_handling("NODES", nodes=["my"]), "VN", NETWORK) == {"MY", "VN", "RILO"}


@pytest.mark.parametrize("kind", ["ALL_MEMBERS", "CUG", "NODES"])
def test_red_reaches_only_named_nodes_and_issuer(kind: str) -> None:
    handling = _handling(kind, tlp="RED", cug="DEMETER" if kind == "CUG" else None, nodes=["MY"])
    assert audience(handling, "VN", NETWORK) == {"MY", "VN"}
    named_desk = _handling("NODES", tlp="RED", nodes=["MY", "RILO"])
    assert audience(named_desk, "VN", NETWORK) == {"MY", "VN", "RILO"}


def test_unknown_marking_is_read_as_red() -> None:
    assert audience(_handling("ALL_MEMBERS", tlp="PURPLE"), "VN", NETWORK) == {"VN"}


def test_event_from_a_seizure_record() -> None:
    record = examples.seizure("MY", datetime(2026, 9, 2, 3, 15, tzinfo=UTC))
    record["containers"] = ["csqu 3054383"]
    event = event_from_record("seizure", record, "ent-vn-1", "ent-id-2", NETWORK)
    assert event.node == "MY" and event.outcome == "SEIZED" and event.record_type == "seizure"
    assert event.containers == ("CSQU3054383",) and event.bills_of_lading
    assert event.exporter == "ent-vn-1" and event.exporter_name == record["exporter"]["name"]
    assert event.event_time.tzinfo is not None and event.audience == ALL
    assert event.summary.startswith("MY seizure SEIZED at MYPKG: 24.2 t")
    assert "8549.00 " in event.summary and event.summary.endswith("[CSQU3054383]")


def test_event_from_a_control_result_takes_the_alerts_entities() -> None:
    record = examples.control_result("ID")
    event = event_from_record("control_result", record, "ent-vn-1", None, NETWORK)
    assert event.exporter == "ent-vn-1" and event.containers == () and event.outcome == "REFUSED_ENTRY"
    assert event.summary.startswith("ID control result on alert")


def test_naive_datetimes_are_taken_as_utc() -> None:
    record = examples.alert("VN")
    record["event_time"] = datetime(2026, 1, 1, 12, 0)  # noqa: DTZ001
    record["issued_at"] = record["event_time"] + timedelta(hours=1)
    event = event_from_record("alert", record, None, None, NETWORK)
    assert event.event_time == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def test_unknown_record_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown record type"):
        event_from_record("case", examples.alert(), None, None, NETWORK)


def test_event_round_trips_through_json() -> None:
    event = event_from_record("alert", examples.alert("VN"), "ent-vn-1", None, NETWORK)
    assert Event.from_dict(json.loads(json.dumps(event.to_dict()))) == event
