"""Cases: opened once, escalated on new records only, audience as an intersection."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from schemas.codec import default_codec
from streams.correlation import (
    Case,
    Finding,
    build_history,
    case_id,
    evaluate,
    evaluate_all,
    port_hopping,
    repeat_exporter,
    reused_container,
)
from tests.unit.correlation.builders import ALL, CFG, ev, refused

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _hop(*events) -> Finding:
    (finding,) = port_hopping(build_history(events, CFG.horizon), CFG)
    return finding


def test_case_ids_are_stable_and_distinct() -> None:
    assert case_id("PORT_HOPPING", "EXPORTER", "e1") == case_id("PORT_HOPPING", "EXPORTER", "e1")
    ids = {case_id(rule, kind, "e1")
           for rule in ("PORT_HOPPING", "REPEAT_EXPORTER") for kind in ("EXPORTER", "CONSIGNEE")}
    assert len(ids) == 4


def test_first_finding_opens_a_case_with_score_and_evidence() -> None:
    case = evaluate(_hop(refused("r", "VN", 0), ev("a", "MY", 19)), None, NOW)
    assert case is not None and case.status == "OPEN" and case.version == 1
    assert case.case_id == case_id("PORT_HOPPING", "EXPORTER", "ent-hk-everbright")
    assert case.score == 3 + 2 * 1 + 2 + 0.5  # base, two nodes, a refusal, an alert
    assert [e.record_id for e in case.evidence] == ["r", "a"] and case.nodes == ("MY", "VN")
    assert case.entity_label == "Everbright Polymer Trading Co., Ltd"
    assert case.opened_at == case.updated_at == NOW


def test_replaying_the_same_finding_changes_nothing() -> None:
    finding = _hop(refused("r", "VN", 0), ev("a", "MY", 19))
    case = evaluate(finding, None, NOW)
    assert evaluate(finding, case, NOW + timedelta(hours=1)) is None
    cases = {c.case_id: c for c in evaluate_all([finding, finding], {}, NOW)}
    assert len(cases) == 1 and next(iter(cases.values())).version == 1
    assert evaluate_all([finding], cases, NOW) == []


def test_new_evidence_escalates_and_grows_score_and_reasons() -> None:
    first = evaluate(_hop(refused("r", "VN", 0), ev("a", "MY", 19)), None, NOW)
    later = NOW + timedelta(days=30)
    grown = evaluate(_hop(refused("r", "VN", 0), ev("a", "MY", 19),
                          ev("b", "TH", 44, name="EVERBRIGHT POLYMER TRADING CO LTD")), first, later)
    assert grown is not None and first is not None
    assert grown.status == "ESCALATED" and grown.version == 2 and grown.score == first.score + 1 + 0.5
    assert len(grown.reasons) == 2 and grown.reasons[0] == first.reasons[0]
    assert grown.aliases == ("EVERBRIGHT POLYMER TRADING CO LTD",)
    assert grown.opened_at == NOW and grown.updated_at == later and grown.nodes == ("MY", "TH", "VN")


def test_score_does_not_depend_on_how_evidence_arrived() -> None:
    events = [refused("r", "VN", 0), ev("a", "MY", 19), ev("b", "TH", 44), refused("s", "MY", 50)]
    at_once = evaluate(_hop(*events), None, NOW)
    case = None
    for n in range(2, 5):
        case = evaluate(_hop(*events[:n]), case, NOW) or case
    assert case is not None and at_once is not None
    assert case.score == at_once.score and case.record_ids == at_once.record_ids
    assert case.version == 3


def test_audience_is_the_intersection_of_the_evidence() -> None:
    cug = frozenset({"VN", "MY", "ID", "RILO"})
    red = frozenset({"VN", "MY"})
    case = evaluate(_hop(refused("r", "VN", 0, audience=cug), ev("a", "MY", 19)), None, NOW)
    assert case is not None and case.audience == cug
    grown = evaluate(_hop(refused("r", "VN", 0, audience=cug), ev("a", "MY", 19),
                          ev("b", "MY", 30, audience=red, tlp="RED")), case, NOW)
    assert grown is not None and grown.audience == red and grown.tlp == "RED"
    assert grown.handling["distribution"] == {"kind": "NODES", "cug": None, "nodes": ["MY", "VN"]}


def test_a_finding_for_another_case_is_refused() -> None:
    case = evaluate(_hop(refused("r", "VN", 0), ev("a", "MY", 19)), None, NOW)
    (other,) = repeat_exporter([ev("x", "VN", 0), ev("y", "MY", 1)], CFG)
    with pytest.raises(ValueError, match="is not the case of"):
        evaluate(other, case, NOW)


def test_container_case_is_labelled_by_its_number() -> None:
    box = ("SEGU4100938",)
    (finding,) = reused_container([ev("a", "PH", 0, containers=box), ev("b", "ID", 35, containers=box)], CFG)
    case = evaluate(finding, None, NOW)
    assert case is not None and case.entity_label == "SEGU4100938" and case.aliases == ()


def test_case_round_trips_through_json_and_encodes_as_the_avro_case() -> None:
    rid, aid = (str(uuid.uuid5(uuid.NAMESPACE_URL, n)) for n in ("r", "a"))
    case = evaluate(_hop(refused(rid, "VN", 0), ev(aid, "MY", 19, audience=ALL)), None, NOW)
    assert case is not None
    assert Case.from_dict(json.loads(json.dumps(case.to_dict()))) == case
    record = case.to_record()
    assert record["evidence"][0]["record_type"] == "SeizureReport"
    assert default_codec().encode("Case", record)
