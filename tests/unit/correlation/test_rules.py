"""Each rule with late and out-of-order events, window boundaries, and honest traders."""

from __future__ import annotations

import random
from dataclasses import replace

from streams.correlation import (
    all_findings,
    build_history,
    port_hopping,
    repeat_exporter,
    reused_bill_of_lading,
    reused_container,
)
from tests.unit.correlation.builders import CFG, ev, refused


def _ids(finding) -> list[str]:
    return [e.record_id for e in finding.events]


# -- repeat exporter ---------------------------------------------------------------------------
def test_repeat_exporter_two_member_nodes_within_the_window() -> None:
    (finding,) = repeat_exporter([ev("a", "VN", 0), ev("b", "MY", 179)], CFG)
    assert finding.rule == "REPEAT_EXPORTER" and finding.entity_key == "ent-hk-everbright"
    assert _ids(finding) == ["a", "b"] and "VN" in finding.reasons[0]


def test_repeat_exporter_window_boundary_is_inclusive() -> None:
    assert repeat_exporter([ev("a", "VN", 0), ev("b", "MY", 180)], CFG)
    assert not repeat_exporter([ev("a", "VN", 0), ev("b", "MY", 180.01)], CFG)


def test_repeat_exporter_quorum_is_configurable() -> None:
    three = replace(CFG, repeat_exporter_nodes=3)
    assert not repeat_exporter([ev("a", "VN", 0), ev("b", "MY", 5)], three)
    assert repeat_exporter([ev("a", "VN", 0), ev("b", "MY", 5), ev("c", "TH", 9)], three)


def test_observers_and_desks_never_make_the_quorum() -> None:
    assert not repeat_exporter([ev("a", "VN", 0), ev("b", "AU", 1), ev("c", "RILO", 2)], CFG)


def test_repeat_exporter_ignores_releases() -> None:
    released = ev("b", "MY", 3, "seizure", outcome="RELEASED")
    assert not repeat_exporter([ev("a", "VN", 0), released], CFG)


def test_repeat_exporter_counts_a_late_out_of_order_report() -> None:
    history = build_history([ev("b", "MY", 100), ev("a", "VN", 10, late_days=80)], CFG.horizon)
    (finding,) = repeat_exporter(history, CFG)
    assert _ids(finding) == ["a", "b"]


# -- port hopping ------------------------------------------------------------------------------
def test_port_hopping_refusal_then_another_node() -> None:
    (finding,) = port_hopping([refused("r", "VN", 0), ev("a", "MY", 19)], CFG)
    assert finding.rule == "PORT_HOPPING" and finding.entity_kind == "EXPORTER"
    assert _ids(finding) == ["r", "a"]
    assert finding.reasons == ("REFUSED_ENTRY at VN on 2026-09-02, then alert at MY on 2026-09-21 "
                               "(19 days later)",)


def test_port_hopping_with_the_seizure_reported_weeks_late_and_arriving_last() -> None:
    alert = ev("a", "MY", 30)
    late_seizure = refused("r", "VN", 0, late_days=45)
    history = build_history([alert, late_seizure], CFG.horizon)
    (finding,) = port_hopping(history, CFG)
    assert _ids(finding) == ["r", "a"]


def test_port_hopping_window_boundary() -> None:
    assert port_hopping([refused("r", "VN", 0), ev("a", "MY", 90)], CFG)
    assert not port_hopping([refused("r", "VN", 0), ev("a", "MY", 90.01)], CFG)


def test_port_hopping_needs_the_refusal_first() -> None:
    assert not port_hopping([ev("a", "MY", 0), refused("r", "VN", 1)], CFG)
    skew_minutes = 4 / (24 * 60)
    assert port_hopping([ev("a", "MY", 10 - skew_minutes), refused("r", "VN", 10)], CFG)


def test_port_hopping_needs_another_node() -> None:
    assert not port_hopping([refused("r", "VN", 0), ev("a", "VN", 10)], CFG)
    assert not port_hopping([refused("r", "VN", 0), ev("a", "RILO", 10)], CFG)


def test_port_hopping_outcomes() -> None:
    for outcome in ("SEIZED", "RE_EXPORTED", "REPATRIATED"):
        assert port_hopping([ev("r", "VN", 0, "seizure", outcome=outcome), ev("a", "MY", 5)], CFG)
    released = [ev("r", "VN", 0, "seizure", outcome="RELEASED"), ev("a", "MY", 5)]
    assert not port_hopping(released, CFG)
    detained = [ev("r", "VN", 0, "seizure", outcome="DETAINED"), ev("a", "MY", 5)]
    assert not port_hopping(detained, CFG)
    assert port_hopping(detained, replace(CFG, port_hopping_includes_detained=True))


def test_port_hopping_by_consignee_and_by_container_under_a_new_exporter() -> None:
    first = refused("r", "VN", 0, consignee="ent-id-daur", containers=("MSKU2045186",))
    second = ev("a", "ID", 12, exporter="ent-sg-shell", consignee="ent-id-daur",
                containers=("MSKU2045186",))
    kinds = {(f.entity_kind, f.entity_key) for f in port_hopping([first, second], CFG)}
    assert kinds == {("CONSIGNEE", "ent-id-daur"), ("CONTAINER", "MSKU2045186")}


def test_a_refusal_found_by_control_result_counts() -> None:
    control = ev("c", "TH", 0, "control_result", outcome="REFUSED_ENTRY")
    assert port_hopping([control, ev("a", "MY", 20)], CFG)


# -- reused container and bill of lading -------------------------------------------------------
def test_reused_container_on_two_nodes() -> None:
    box = ("SEGU4100938",)
    (finding,) = reused_container([ev("a", "PH", 0, containers=box, exporter="e1"),
                                   ev("b", "ID", 35, containers=box, exporter="e2")], CFG)
    assert finding.entity_kind == "CONTAINER" and finding.entity_key == "SEGU4100938"
    assert not reused_container([ev("a", "MY", 0, containers=box), ev("b", "MY", 35, containers=box)], CFG)


def test_reused_container_window_and_late_arrival() -> None:
    box = ("SEGU4100938",)
    assert reused_container([ev("a", "PH", 0, containers=box), ev("b", "ID", 180, containers=box)], CFG)
    assert not reused_container([ev("a", "PH", 0, containers=box), ev("b", "ID", 181, containers=box)],
                                CFG)
    history = build_history([ev("b", "ID", 35, containers=box),
                             ev("a", "PH", 0, containers=box, late_days=50)], CFG.horizon)
    assert reused_container(history, CFG)


def test_reused_bill_of_lading() -> None:
    bill = ("EGLV140600123456",)
    (finding,) = reused_bill_of_lading([ev("a", "VN", 0, bills=bill), ev("b", "TH", 44, bills=bill)], CFG)
    assert finding.rule == "REUSED_BILL_OF_LADING" and finding.entity_kind == "BILL_OF_LADING"


# -- honest traders ----------------------------------------------------------------------------
def test_an_exporter_seen_at_one_node_only_raises_nothing() -> None:
    history = [ev(f"a{i}", "VN", i * 7, containers=(f"BOX{i}",)) for i in range(20)]
    history += [refused("r", "VN", 50)]
    assert all_findings(history, CFG) == []


def test_many_released_shipments_across_nodes_raise_nothing() -> None:
    history = [ev(f"s{i}", node, i * 9, "seizure", outcome="RELEASED", containers=("TGHU4809135",))
               for i, node in enumerate(["VN", "MY", "TH", "ID"] * 4)]
    assert all_findings(history, CFG) == []


def test_findings_do_not_depend_on_arrival_order() -> None:
    events = [refused("r", "VN", 0, containers=("CSQU3054383",)), ev("a", "MY", 20),
              ev("b", "TH", 45, containers=("CSQU3054383",)), ev("c", "VN", 60)]
    expected = all_findings(build_history(events, CFG.horizon), CFG)
    rng = random.Random(7)
    for _ in range(10):
        rng.shuffle(events)
        assert all_findings(build_history(events, CFG.horizon), CFG) == expected
    assert {f.rule for f in expected} == {"REPEAT_EXPORTER", "PORT_HOPPING", "REUSED_CONTAINER"}
