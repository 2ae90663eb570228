"""Validation beyond Avro types: the checks a customs officer would make on a record.

Pure functions, no I/O. Each problem is a Finding with a stable reason code (it labels a
metric and a dead letter, so the set is fixed: REASON_CODES), the path of the field at fault
and a sentence the publishing node can act on. Errors reject the record; warnings travel
with it. A value that is well formed but missing from our reference lists (a new country
code, a Basel entry we do not list) is a warning in an optional field: the lists can lag
their standards, and holding back an alert over that costs more than it protects.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from schemas.codes import (
    BASEL_SUPERSEDED,
    basel_status,
    country_ok,
    currency_ok,
    hs_subheading_ok,
    imo_check_digit,
    imo_ok,
    imo_shape_ok,
    iso6346_check_digit,
    iso6346_check_digit_ok,
    iso6346_shape_ok,
    locode_ok,
    locode_shape_ok,
    national_line_ok,
    uuid_ok,
)
from schemas.names import avro_name
from streams.network import Network

MAX_WEIGHT_KG = 200_000_000.0  # 200,000 t: more than the largest bulk carrier loads
MAX_DECLARED_VALUE = Decimal("10000000000000")  # 10^13 covers large shipments in VND, IDR, LAK
EARLIEST_EVENT = datetime(2000, 1, 1, tzinfo=UTC)

REASON_CODES: frozenset[str] = frozenset({
    "record_invalid", "record_type_unknown", "uuid_invalid", "time_invalid", "event_time_in_future",
    "issued_at_in_future", "issued_before_event", "time_implausible", "issuing_node_unknown",
    "issuing_node_mismatch", "distribution_nodes_missing", "distribution_node_unknown",
    "distribution_cug_missing", "distribution_cug_unknown", "distribution_ignored_fields",
    "issuer_not_in_cug", "tlp_red_wide_distribution", "party_name_missing", "identifier_invalid",
    "country_invalid", "country_unknown", "commodities_missing", "hs_subheading_invalid",
    "hs_national_line_mismatch", "basel_code_invalid", "basel_code_superseded", "basel_code_unknown",
    "description_missing", "weight_out_of_range", "value_out_of_range", "currency_missing",
    "currency_invalid", "currency_unknown", "container_invalid", "container_check_digit",
    "container_duplicate", "imo_invalid", "imo_check_digit", "locode_invalid", "locode_country_unknown",
    "port_outside_issuer", "stage_unknown", "outcome_unknown", "risk_indicators_missing",
    "risk_notes_missing", "found_without_inspection", "outcome_contradicts_found", "outcome_missing",
    "node_unknown",
})

__all__ = [
    "Finding", "REASON_CODES", "validate", "basel_status", "country_ok", "currency_ok", "hs_subheading_ok",
    "imo_check_digit", "imo_ok", "imo_shape_ok", "iso6346_check_digit", "iso6346_check_digit_ok",
    "iso6346_shape_ok", "locode_ok", "locode_shape_ok", "national_line_ok", "uuid_ok",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    code: str
    field: str
    message: str
    severity: Severity

    @property
    def words(self) -> str:
        """The finding as an officer reads it: where, then what."""
        return f"{self.field}: {self.message}" if self.field else self.message


# ---- record validation -------------------------------------------------------------------

class _Out:
    """Collects findings; keeps the per-check code short."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def error(self, code: str, field: str, message: str) -> None:
        self.items.append(Finding(code, field, message, "error"))

    def warn(self, code: str, field: str, message: str) -> None:
        self.items.append(Finding(code, field, message, "warning"))

    def flag(self, error: bool, code: str, field: str, message: str) -> None:
        (self.error if error else self.warn)(code, field, message)


def validate(record_type: str, record: dict[str, Any], *, issuing_node: str, network: Network,
             now: datetime, skew: timedelta) -> list[Finding]:
    """Every finding on one record (Avro form, as decoded); never raises for a bad record."""
    out = _Out()
    kind = avro_name(record_type) if isinstance(record_type, str) else None
    if kind is None:
        out.error("record_type_unknown", "", f"{record_type!r} is not a tracenet record type")
        return out.items
    if not isinstance(record, Mapping):
        out.error("record_invalid", "", f"the {kind} is not a record (got {type(record).__name__})")
        return out.items
    if kind in ("SuspiciousShipmentAlert", "SeizureReport", "ControlResult"):
        _common(out, record, issuing_node, network, now, skew)
    if kind in ("SuspiciousShipmentAlert", "SeizureReport"):
        _goods(out, record)
    if kind == "SuspiciousShipmentAlert":
        _alert(out, record)
    elif kind == "SeizureReport":
        _seizure(out, record, issuing_node, network)
    elif kind == "ControlResult":
        _control_result(out, record)
    elif kind == "Case":
        for name in ("nodes", "audience"):
            for i, code in _items(record.get(name)):
                if code not in network.codes:
                    out.warn("node_unknown", f"{name}[{i}]", f"{code!r} is not a node of this network")
        _handling(out, record.get("handling"), issuing_node, network)
    return out.items


def _items(value: Any) -> Iterator[tuple[int, Any]]:
    return enumerate(value) if isinstance(value, (list, tuple)) else iter(())


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _when(out: _Out, record: Mapping[str, Any], name: str) -> datetime | None:
    value = record.get(name)
    if isinstance(value, int) and not isinstance(value, bool):  # epoch milliseconds
        try:
            value = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=value)
        except OverflowError:
            value = None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        out.error("time_invalid", name, f"{name} must be a date and time with a UTC offset")
        return None
    if value < EARLIEST_EVENT:
        out.error("time_implausible", name, f"{name} {value:%Y-%m-%d} is before 2000; is the date right?")
    return value


def _common(out: _Out, record: Mapping[str, Any], issuing_node: str, network: Network,
            now: datetime, skew: timedelta) -> None:
    if not uuid_ok(record.get("record_id")):
        out.error("uuid_invalid", "record_id", f"record_id {record.get('record_id')!r} is not a UUID")
    if issuing_node not in network.codes:
        out.error("issuing_node_unknown", "issuing_node",
                  f"{issuing_node!r} is not a configured node ({', '.join(network.codes)})")
    stated = record.get("issuing_node")
    if stated != issuing_node:
        out.error("issuing_node_mismatch", "issuing_node",
                  f"the record says it was issued by {stated!r} but arrived on {issuing_node}'s "
                  f"ingress topic; a node publishes only its own records, with its own code")
    event, issued = _when(out, record, "event_time"), _when(out, record, "issued_at")
    if event is not None and event > now + skew:
        out.error("event_time_in_future", "event_time",
                  f"event_time {event.isoformat()} is in the future (now {now.isoformat()}); "
                  "check the clock and the time zone")
    if issued is not None and issued > now + skew:
        out.error("issued_at_in_future", "issued_at", f"issued_at {issued.isoformat()} is in the future")
    if event is not None and issued is not None and issued < event - skew:
        out.error("issued_before_event", "issued_at",
                  f"issued_at {issued.isoformat()} is before event_time {event.isoformat()}; "
                  "a record cannot be issued before what it reports happened")
    _handling(out, record.get("handling"), issuing_node, network)


def _handling(out: _Out, handling: Any, issuer: str, network: Network) -> None:
    distribution = _dict(_dict(handling).get("distribution"))
    kind, cug, nodes = distribution.get("kind"), distribution.get("cug"), distribution.get("nodes")
    nodes = [n for _, n in _items(nodes)]
    where = "handling.distribution"
    if kind == "NODES":
        known = [n for n in nodes if n in network.codes]
        for n in nodes:
            if n not in network.codes:
                out.warn("distribution_node_unknown", f"{where}.nodes",
                         f"{n!r} is not a node of this network; it will not receive the record")
        if not known:
            out.error("distribution_nodes_missing", f"{where}.nodes",
                      "distribution NODES needs at least one configured node to send the record to")
        if cug:
            out.warn("distribution_ignored_fields", f"{where}.cug", "cug is ignored for distribution NODES")
    elif kind == "CUG":
        if not _text(cug):
            out.error("distribution_cug_missing", f"{where}.cug", "distribution CUG needs the group's name")
        elif cug not in network.cugs:
            out.error("distribution_cug_unknown", f"{where}.cug",
                      f"{cug!r} is not a closed user group of this network "
                      f"(known: {', '.join(sorted(network.cugs)) or 'none'})")
        elif issuer in network.codes and issuer not in network.cugs[cug]:
            out.warn("issuer_not_in_cug", f"{where}.cug", f"{issuer} is not a member of {cug}")
        if nodes:
            out.warn("distribution_ignored_fields", f"{where}.nodes",
                     "nodes are ignored for distribution CUG")
    elif kind == "ALL_MEMBERS":
        if cug or nodes:
            out.warn("distribution_ignored_fields", where, "cug and nodes are ignored for ALL_MEMBERS")
        if _dict(handling).get("tlp") == "RED":
            out.warn("tlp_red_wide_distribution", "handling.tlp",
                     "TLP:RED is for named recipients; send it to NODES, not to all members")


def _party(out: _Out, party: Any, where: str) -> None:
    party = _dict(party)
    if not _text(party.get("name")):
        out.error("party_name_missing", f"{where}.name", f"{where} has no name")
    _listed_code(out, party.get("country"), f"{where}.country", "country", r"[A-Z]{2}", country_ok,
                 "an ISO 3166-1 alpha-2 code (two capital letters, e.g. VN)",
                 "an assigned ISO 3166 code")
    for i, ident in _items(party.get("identifiers")):
        ident = _dict(ident)
        if not (_text(ident.get("scheme")) and _text(ident.get("value"))):
            out.error("identifier_invalid", f"{where}.identifiers[{i}]",
                      "an identifier needs scheme and value")


def _locode(out: _Out, code: Any, where: str, required: bool) -> None:
    if code is None and not required:
        return
    if not locode_shape_ok(code):
        out.error("locode_invalid", where,
                  f"{code!r} is not a UN/LOCODE (country + 3 characters, e.g. VNHPH)")
    elif not locode_ok(code):
        out.flag(required, "locode_country_unknown", where,
                 f"{code!r} does not start with an ISO 3166 country code")


def _goods(out: _Out, record: Mapping[str, Any]) -> None:
    _party(out, record.get("exporter"), "exporter")
    if record.get("consignee") is not None:
        _party(out, record.get("consignee"), "consignee")
    if record.get("notify_party") is not None:
        _party(out, record.get("notify_party"), "notify_party")
    commodities = list(_items(record.get("commodities")))
    if not commodities:
        out.error("commodities_missing", "commodities", "at least one line of goods is needed")
    for i, line in commodities:
        _commodity(out, _dict(line), f"commodities[{i}]")
    seen: set[str] = set()
    for i, number in _items(record.get("containers")):
        where = f"containers[{i}]"
        if not iso6346_shape_ok(number):
            out.error("container_invalid", where,
                      f"{number!r} is not an ISO 6346 number "
                      "(4 letters ending U, J or Z, 7 digits, no spaces)")
        elif not iso6346_check_digit_ok(number):
            out.error("container_check_digit", where, f"{number}: check digit should be "
                      f"{iso6346_check_digit(number[:10])}, not {number[10]}; re-read the number")
        if isinstance(number, str) and number in seen:
            out.warn("container_duplicate", where, f"{number} is listed twice")
        seen.add(str(number))
    imo = _dict(record.get("vessel")).get("imo")
    if imo is not None:
        if not imo_shape_ok(imo):
            out.error("imo_invalid", "vessel.imo", f"{imo!r} is not an IMO number (\"IMO\" + 7 digits)")
        elif not imo_ok(imo):
            out.error("imo_check_digit", "vessel.imo", f"{imo}: check digit should be "
                      f"{imo_check_digit(imo[3:9])}, not {imo[9]}; re-read the number")
    route = _dict(record.get("route"))
    _locode(out, route.get("port_of_loading"), "route.port_of_loading", False)
    _locode(out, route.get("port_of_discharge"), "route.port_of_discharge", False)
    for i, port in _items(route.get("transshipment")):
        _locode(out, port, f"route.transshipment[{i}]", True)


def _amount(out: _Out, value: Any, where: str, code: str, limit: float | Decimal) -> None:
    if value is None:
        return
    number = value if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else None
    if number is None or (isinstance(number, float) and not math.isfinite(number)) or (
            isinstance(number, Decimal) and not number.is_finite()):
        out.error(code, where, f"{value!r} is not a number")
        return
    positive = number >= 0 if isinstance(number, Decimal) else number > 0
    if not positive or number > limit:
        out.error(code, where, f"{number} is outside the plausible range (0 to {limit:,})")


def _commodity(out: _Out, line: Mapping[str, Any], where: str) -> None:
    hs = line.get("hs_subheading")
    if not hs_subheading_ok(hs):
        out.error("hs_subheading_invalid", f"{where}.hs_subheading",
                  f"{hs!r} is not a 6-digit HS subheading (e.g. 391590, no dots)")
    national = line.get("national_tariff_line")
    if national is not None and hs_subheading_ok(hs) and not national_line_ok(national, hs):
        out.error("hs_national_line_mismatch", f"{where}.national_tariff_line",
                  f"{national!r} should be 8 to 12 digits starting with the subheading {hs}")
    basel = line.get("basel_code")
    status = basel_status(basel) if basel is not None else "known"
    if status == "invalid":
        out.error("basel_code_invalid", f"{where}.basel_code",
                  f"{basel!r} is not a Basel code (A, B + 4 digits or Y + number, e.g. A3210, B3011, Y48)")
    elif status == "superseded":
        out.warn("basel_code_superseded", f"{where}.basel_code",
                 f"{basel} was deleted from the annexes; use {BASEL_SUPERSEDED[basel]}")
    elif status == "unknown":
        out.warn("basel_code_unknown", f"{where}.basel_code", f"{basel} is not in tracenet's Basel lists")
    if not _text(line.get("description")):
        out.warn("description_missing", f"{where}.description", "the goods have no description")
    _amount(out, line.get("weight_kg"), f"{where}.weight_kg", "weight_out_of_range", MAX_WEIGHT_KG)
    value, currency = line.get("declared_value"), line.get("currency")
    _amount(out, value, f"{where}.declared_value", "value_out_of_range", MAX_DECLARED_VALUE)
    if value is not None and currency is None:
        out.warn("currency_missing", f"{where}.currency", "declared_value has no currency")
    _listed_code(out, currency, f"{where}.currency", "currency", r"[A-Z]{3}", currency_ok,
                 "an ISO 4217 code (e.g. USD)", "an ISO 4217 code in use")


def _listed_code(out: _Out, value: Any, where: str, what: str, shape: str,
                 listed: Callable[[str], bool], shape_words: str, list_words: str) -> None:
    """A code from a standard's list: malformed is an error, well-formed but unlisted a warning
    (the list may be older than the code)."""
    if value is None:
        return
    if not (isinstance(value, str) and re.fullmatch(shape, value)):
        out.error(f"{what}_invalid", where, f"{value!r} is not {shape_words}")
    elif not listed(value):
        out.warn(f"{what}_unknown", where, f"{value!r} is not {list_words}")


def _alert(out: _Out, record: Mapping[str, Any]) -> None:
    if record.get("stage") == "UNKNOWN":
        out.warn("stage_unknown", "stage", "say whether the alert is PRE_CONTROL or POST_CONTROL")
    indicators = [v for _, v in _items(record.get("risk_indicators"))]
    if not indicators:
        out.warn("risk_indicators_missing", "risk_indicators", "no risk indicator given")
    if "OTHER" in indicators and not _text(record.get("risk_notes")):
        out.warn("risk_notes_missing", "risk_notes", "risk indicator OTHER needs a word in risk_notes")


def _seizure(out: _Out, record: Mapping[str, Any], issuer: str, network: Network) -> None:
    port = record.get("port")
    _locode(out, port, "port", True)
    if locode_ok(port) and issuer in network.codes:
        node = network.node(issuer)
        if node.ports and port not in node.ports and port[:2] != issuer:
            out.warn("port_outside_issuer", "port", f"{port} is not one of {issuer}'s ports")
    _amount(out, record.get("quantity_kg"), "quantity_kg", "weight_out_of_range", MAX_WEIGHT_KG)
    if record.get("outcome") == "UNKNOWN":
        out.warn("outcome_unknown", "outcome", "the outcome of the control is not stated")
    for i, alert_id in _items(record.get("linked_alert_ids")):
        if not uuid_ok(alert_id):
            out.error("uuid_invalid", f"linked_alert_ids[{i}]", f"{alert_id!r} is not an alert id (UUID)")


_ACTION = {"SEIZED", "DETAINED", "REFUSED_ENTRY", "RE_EXPORTED", "REPATRIATED"}


def _control_result(out: _Out, record: Mapping[str, Any]) -> None:
    if not uuid_ok(record.get("alert_id")):
        out.error("uuid_invalid", "alert_id", f"alert_id {record.get('alert_id')!r} is not a UUID")
    inspected, found, outcome = record.get("inspected"), record.get("found"), record.get("outcome")
    if found is True and inspected is False:
        out.error("found_without_inspection", "found", "found is true but inspected is false")
    if found is False and isinstance(outcome, str) and outcome in _ACTION:
        out.warn("outcome_contradicts_found", "outcome", f"outcome {outcome} although nothing was found")
    if found is True and outcome is None:
        out.warn("outcome_missing", "outcome", "something was found; say what happened to the goods")
