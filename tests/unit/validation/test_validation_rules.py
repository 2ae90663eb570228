"""validate(): one test per rule, on the example records with one thing changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from schemas import examples
from streams.network import Network, Node, Role
from streams.validation.checks import REASON_CODES, Finding, validate

NOW = examples.T0 + timedelta(days=1)
SKEW = timedelta(minutes=5)
NETWORK = Network(
    nodes=(Node("VN", "Viet Nam", Role.MEMBER, ("VNHPH", "VNCLI")),
           Node("MY", "Malaysia", Role.MEMBER, ("MYPKG",)),
           Node("ID", "Indonesia", Role.MEMBER, ("IDTPP",)),
           Node("LA", "Lao PDR", Role.MEMBER, ("LAVTE",)),
           Node("RILO", "RILO A/P", Role.DESK)),
    cugs={"DEMETER": frozenset({"VN", "MY", "ID", "RILO"})},
)
A, S, C = "SuspiciousShipmentAlert", "SeizureReport", "ControlResult"
BUILD = {"SuspiciousShipmentAlert": (examples.alert, "VN"), "SeizureReport": (examples.seizure, "MY"),
         "ControlResult": (examples.control_result, "ID")}


def run(record_type: str, change: Callable[[dict], object] | None = None,
        node: str | None = None) -> list[Finding]:
    build, default_node = BUILD[record_type]
    record = build()
    if change:
        change(record)
    return validate(record_type, record, issuing_node=node or default_node, network=NETWORK, now=NOW,
                    skew=SKEW)


def codes(findings: list[Finding], severity: str) -> set[str]:
    return {f.code for f in findings if f.severity == severity}


@pytest.mark.parametrize("record_type", sorted(BUILD))
def test_examples_are_clean(record_type: str) -> None:
    assert run(record_type) == []


def test_case_and_dead_letter_examples_are_clean() -> None:
    for name, build in (("Case", examples.case), ("DeadLetter", examples.dead_letter)):
        assert validate(name, build(), issuing_node="RILO", network=NETWORK, now=NOW, skew=SKEW) == []


def test_short_names_are_accepted() -> None:
    assert validate("alert", examples.alert(), issuing_node="VN", network=NETWORK, now=NOW, skew=SKEW) == []


ERRORS = [
    (A, lambda r: r.update(record_id="A-1"), "uuid_invalid", "record_id"),
    (A, lambda r: r.update(issuing_node="TH"), "issuing_node_mismatch", "issuing_node"),
    (A, lambda r: r.update(event_time=NOW + timedelta(hours=1)), "event_time_in_future",
     "event_time"),
    (A, lambda r: r.update(issued_at=NOW + timedelta(hours=1)), "issued_at_in_future",
     "issued_at"),
    (A, lambda r: r.update(issued_at=r["event_time"] - timedelta(days=2)),
     "issued_before_event", "issued_at"),
    (A, lambda r: r.update(event_time=datetime(1970, 1, 1).astimezone()), "time_implausible",
     "event_time"),
    (A, lambda r: r.update(event_time=datetime(2025, 3, 1)), "time_invalid", "event_time"),
    (A, lambda r: r.update(handling=examples.handling("NODES")),
     "distribution_nodes_missing", "handling.distribution.nodes"),
    (A, lambda r: r.update(handling=examples.handling("CUG")), "distribution_cug_missing",
     "handling.distribution.cug"),
    (A, lambda r: r.update(handling=examples.handling("CUG", cug="NOPE")),
     "distribution_cug_unknown", "handling.distribution.cug"),
    (A, lambda r: r["exporter"].update(name="  "), "party_name_missing", "exporter.name"),
    (A, lambda r: r["exporter"].update(country="Viet Nam"), "country_invalid",
     "exporter.country"),
    (A, lambda r: r["exporter"]["identifiers"][0].update(value=""), "identifier_invalid",
     "exporter.identifiers[0]"),
    (A, lambda r: r.update(commodities=[]), "commodities_missing", "commodities"),
    (A, lambda r: r["commodities"][0].update(hs_subheading="3915.90"),
     "hs_subheading_invalid", "commodities[0].hs_subheading"),
    (A, lambda r: r["commodities"][0].update(national_tariff_line="39011000"),
     "hs_national_line_mismatch", "commodities[0].national_tariff_line"),
    (A, lambda r: r["commodities"][0].update(basel_code="PLASTIC"), "basel_code_invalid",
     "commodities[0].basel_code"),
    (A, lambda r: r["commodities"][0].update(weight_kg=-5.0), "weight_out_of_range",
     "commodities[0].weight_kg"),
    (A, lambda r: r["commodities"][0].update(weight_kg=float("nan")), "weight_out_of_range",
     "commodities[0].weight_kg"),
    (A, lambda r: r["commodities"][0].update(weight_kg=3e9), "weight_out_of_range",
     "commodities[0].weight_kg"),
    (A, lambda r: r["commodities"][0].update(declared_value=Decimal("-1")),
     "value_out_of_range", "commodities[0].declared_value"),
    (A, lambda r: r["commodities"][0].update(currency="usd"), "currency_invalid",
     "commodities[0].currency"),
    (A, lambda r: r.update(containers=["CSQU3054384"]), "container_check_digit",
     "containers[0]"),
    (A, lambda r: r.update(containers=["CSQU 305438-3"]), "container_invalid",
     "containers[0]"),
    (A, lambda r: r["vessel"].update(imo="IMO9321484"), "imo_check_digit", "vessel.imo"),
    (A, lambda r: r["vessel"].update(imo="9321483"), "imo_invalid", "vessel.imo"),
    (A, lambda r: r["route"].update(port_of_loading="Haiphong"), "locode_invalid",
     "route.port_of_loading"),
    (S, lambda r: r.update(port="XXPKG"), "locode_country_unknown", "port"),
    (S, lambda r: r.update(quantity_kg=0.0), "weight_out_of_range", "quantity_kg"),
    (S, lambda r: r.update(linked_alert_ids=["not-an-id"]), "uuid_invalid", "linked_alert_ids[0]"),
    (C, lambda r: r.update(inspected=False), "found_without_inspection", "found"),
    (C, lambda r: r.update(alert_id=""), "uuid_invalid", "alert_id"),
]


@pytest.mark.parametrize(("record_type", "change", "code", "field"), ERRORS)
def test_errors(record_type: str, change, code: str, field: str) -> None:
    findings = run(record_type, change)
    assert code in codes(findings, "error"), findings
    assert any(f.field == field and f.message for f in findings if f.code == code)


WARNINGS = [
    (A, lambda r: r["exporter"].update(country="XK"), "country_unknown"),
    (A, lambda r: r["commodities"][0].update(basel_code="A1180"), "basel_code_superseded"),
    (A, lambda r: r["commodities"][0].update(basel_code="B9999"), "basel_code_unknown"),
    (A, lambda r: r["commodities"][0].update(currency=None), "currency_missing"),
    (A, lambda r: r["commodities"][0].update(currency="ABC"), "currency_unknown"),
    (A, lambda r: r["commodities"][0].update(description=""), "description_missing"),
    (A, lambda r: r.update(containers=["CSQU3054383"] * 2), "container_duplicate"),
    (A, lambda r: r["route"].update(port_of_discharge="XXABC"), "locode_country_unknown"),
    (A, lambda r: r.update(stage="UNKNOWN"), "stage_unknown"),
    (A, lambda r: r.update(risk_indicators=[]), "risk_indicators_missing"),
    (A, lambda r: r.update(risk_indicators=["OTHER"], risk_notes=None), "risk_notes_missing"),
    (A, lambda r: r.update(handling=examples.handling("NODES", nodes=["MY", "ZZ"])),
     "distribution_node_unknown"),
    (A, lambda r: r.update(handling=examples.handling(cug="DEMETER")),
     "distribution_ignored_fields"),
    (A, lambda r: r.update(handling=examples.handling(tlp="RED")),
     "tlp_red_wide_distribution"),
    (S, lambda r: r.update(outcome="UNKNOWN"), "outcome_unknown"),
    (S, lambda r: r.update(port="THLCH"), "port_outside_issuer"),
    (C, lambda r: r.update(found=False), "outcome_contradicts_found"),
    (C, lambda r: r.update(outcome=None), "outcome_missing"),
]


@pytest.mark.parametrize(("record_type", "change", "code"), WARNINGS)
def test_warnings_do_not_reject(record_type: str, change, code: str) -> None:
    findings = run(record_type, change)
    assert codes(findings, "warning") == {code}, findings
    assert codes(findings, "error") == set()


def test_issuer_outside_its_cug() -> None:
    change = lambda r: r.update(handling=examples.handling("CUG", cug="DEMETER"))  # noqa: E731
    assert run("SuspiciousShipmentAlert", change) == []
    la = run("SuspiciousShipmentAlert", lambda r: (change(r), r.update(issuing_node="LA")), node="LA")
    assert codes(la, "warning") == {"issuer_not_in_cug"}


def test_unknown_issuing_node() -> None:
    findings = run("SuspiciousShipmentAlert", lambda r: r.update(issuing_node="TH"), node="TH")
    assert codes(findings, "error") == {"issuing_node_unknown"}


def test_skew_is_tolerated() -> None:
    assert run("SuspiciousShipmentAlert", lambda r: r.update(event_time=NOW + SKEW / 2,
                                                             issued_at=NOW + SKEW / 2)) == []


def test_not_a_record_or_not_a_type() -> None:
    assert validate("Alert", {}, issuing_node="VN", network=NETWORK, now=NOW, skew=SKEW)[0].code == \
        "record_type_unknown"
    assert validate("SeizureReport", [], issuing_node="VN", network=NETWORK, now=NOW,  # type: ignore[arg-type]
                    skew=SKEW)[0].code == "record_invalid"


def test_every_code_used_is_declared() -> None:
    used = {code for *_, code, _ in ERRORS} | {code for *_, code in WARNINGS}
    assert used <= REASON_CODES
