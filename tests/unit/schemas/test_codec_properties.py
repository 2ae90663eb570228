"""Whatever bytes arrive on a topic, decode answers with a record or a CodecError, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import examples
from schemas.codec import MAGIC, RECORD_TYPES, CodecError, default_codec

REASON_CODES = {"not_single_object", "truncated", "unknown_schema", "malformed_body", "incompatible_schema"}


def _decode_or_reason(data: bytes) -> None:
    try:
        default_codec().decode(data)
    except CodecError as exc:
        assert exc.reason_code in REASON_CODES
        assert str(exc)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    _decode_or_reason(data)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(RECORD_TYPES), st.binary(max_size=400))
def test_random_body_behind_a_known_header(record_type: str, body: bytes) -> None:
    _decode_or_reason(MAGIC + default_codec().fingerprint(record_type) + body)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RECORD_TYPES), st.data())
def test_flipped_or_cut_real_frames(record_type: str, data: st.DataObject) -> None:
    frame = bytearray(default_codec().encode(record_type, examples.EXAMPLES[record_type]()))
    position = data.draw(st.integers(min_value=0, max_value=len(frame) - 1))
    frame[position] = data.draw(st.integers(min_value=0, max_value=255))
    cut = data.draw(st.integers(min_value=0, max_value=len(frame)))
    _decode_or_reason(bytes(frame[:cut]))


@pytest.mark.parametrize("record_type", RECORD_TYPES)
def test_every_prefix_of_a_frame(record_type: str) -> None:
    frame = default_codec().encode(record_type, examples.EXAMPLES[record_type]())
    for cut in range(len(frame)):
        with pytest.raises(CodecError):
            default_codec().decode(frame[:cut])
