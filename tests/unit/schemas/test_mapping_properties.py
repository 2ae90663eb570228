"""Whatever JSON a national system sends, record_from_json returns a record or a MappingError."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import examples
from schemas.codec import CodecError, default_codec
from schemas.mapping import MappingError, record_from_json, record_to_json

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
FIELDS = sorted({*examples.alert(), *examples.seizure(), *examples.control_result(), "type", "name", "kind",
                 "tlp", "distribution", "hs_subheading", "weight_kg", "declared_value", "imo"})
shaped = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(["alert", "seizure", "control_result", "2025-03-04", "NODES:VN", "AMBER", "1.5"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6),
    max_leaves=30,
)


def _convert(obj: Any, record_type: str | None) -> None:
    try:
        kind, record = record_from_json(obj, record_type)
    except MappingError as exc:
        assert exc.reason_code and str(exc)
        return
    # what the mapping accepts the codec can carry, once the caller sets issuing_node
    try:
        default_codec().encode(kind, {**record, "issuing_node": "VN"})
    except CodecError as exc:  # pragma: no cover - a failure here is a mapping bug
        raise AssertionError(f"mapping accepted what the codec refuses: {exc}") from exc


@settings(max_examples=300, deadline=None)
@given(json_values, st.sampled_from([None, "alert", "seizure", "control_result"]))
def test_random_json(obj: Any, record_type: str | None) -> None:
    _convert(obj, record_type)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), shaped, max_size=12),
       st.sampled_from([None, "alert", "seizure", "control_result"]))
def test_random_record_shapes(obj: dict, record_type: str | None) -> None:
    _convert(obj, record_type)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["SuspiciousShipmentAlert", "SeizureReport", "ControlResult"]),
       st.sampled_from(FIELDS), shaped)
def test_one_field_replaced_in_a_real_record(record_type: str, field: str, value: Any) -> None:
    obj = record_to_json(record_type, examples.EXAMPLES[record_type]())
    obj[field] = value
    _convert(obj, None)
