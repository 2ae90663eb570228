"""Whatever a record holds, validate returns findings with declared codes and never raises."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import examples
from schemas.names import RECORD_TYPES
from streams.network import Network, Node, Role
from streams.validation.checks import REASON_CODES, validate

NOW = examples.T0 + timedelta(days=1)
SKEW = timedelta(minutes=5)
NETWORK = Network(nodes=(Node("VN", "Viet Nam", Role.MEMBER, ("VNHPH",)),
                         Node("MY", "Malaysia", Role.MEMBER)),
                  cugs={"DEMETER": frozenset({"VN", "MY"})})

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
# field names the checks read, so random values land where they are looked at
FIELDS = sorted({*examples.alert(), *examples.seizure(), *examples.control_result(), "kind", "cug", "nodes",
                 "tlp", "distribution", "name", "country", "identifiers", "imo", "hs_subheading",
                 "national_tariff_line", "basel_code", "weight_kg", "declared_value", "currency"})
leaf = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | st.decimals()
        | st.datetimes(timezones=st.none() | st.just(UTC))
        | st.sampled_from(["VN", "NODES", "CUG", "DEMETER"]))
shaped = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6),
    max_leaves=30,
)


def _check(record_type: str, record: Any) -> None:
    findings = validate(record_type, record, issuing_node="VN", network=NETWORK, now=NOW, skew=SKEW)
    for f in findings:
        assert f.code in REASON_CODES and f.severity in ("error", "warning") and f.message


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([*RECORD_TYPES, "alert", "nonsense"]), json_values)
def test_random_json(record_type: str, record: Any) -> None:
    _check(record_type, record)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(RECORD_TYPES), st.dictionaries(st.sampled_from(FIELDS), shaped, max_size=12))
def test_random_record_shapes(record_type: str, record: dict) -> None:
    _check(record_type, record)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["SuspiciousShipmentAlert", "SeizureReport", "ControlResult"]),
       st.sampled_from(FIELDS), shaped)
def test_one_field_replaced_in_a_real_record(record_type: str, field: str, value: Any) -> None:
    build = {"SuspiciousShipmentAlert": examples.alert, "SeizureReport": examples.seizure,
             "ControlResult": examples.control_result}[record_type]
    record = build()
    record[field] = value
    _check(record_type, record)


def test_time_edges() -> None:
    record = examples.alert()
    record["event_time"] = 2**62  # epoch millis beyond year 9999
    record["issued_at"] = int((NOW - timedelta(hours=1)).timestamp() * 1000)
    _check("SuspiciousShipmentAlert", record)
