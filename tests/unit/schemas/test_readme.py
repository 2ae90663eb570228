"""schemas/README.md documents every field, column and reason code the code uses."""

from __future__ import annotations

import re

import pytest

from schemas import examples
from schemas.codec import SCHEMA_DIR
from schemas.csvform import COLUMNS
from schemas.mapping import record_to_json

README = (SCHEMA_DIR / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("record_type", ["SuspiciousShipmentAlert", "SeizureReport", "ControlResult"])
def test_every_field_is_documented(record_type: str) -> None:
    def names(value, prefix=""):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield key
                yield from names(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from names(inner)
    for name in set(names(record_to_json(record_type, examples.EXAMPLES[record_type]()))):
        assert f"`{name}`" in README or f"`{name}`" in README.replace('"', "`"), name


@pytest.mark.parametrize("record_type", sorted(COLUMNS))
def test_every_csv_column_is_documented(record_type: str) -> None:
    for column in COLUMNS[record_type]:
        generic = re.sub(r"^(exporter|consignee|notify)_", "<prefix>_", column)
        assert f"`{column}`" in README or f"`{generic}`" in README, column


def test_every_reason_code_is_documented() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in SCHEMA_DIR.glob("*form.py"))
    source += (SCHEMA_DIR / "mapping.py").read_text(encoding="utf-8")
    source += (SCHEMA_DIR / "codec.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'(?:MappingError|_fail)\((?:[^,()]|\([^()]*\))*,\s*"([a-z_0-9]+)"', source))
    codes |= set(re.findall(r'CodecError\(\s*"([a-z_]+)"', source))
    codes |= set(re.findall(r'code, what = \(\("([a-z_]+)"', source)) | {"not_json", "incompatible_schema"}
    assert len(codes) > 25, sorted(codes)
    for code in codes:
        assert f"`{code}`" in README, code
