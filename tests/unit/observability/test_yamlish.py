"""The small YAML reader reads what tracenet's files use and refuses the rest."""

from __future__ import annotations

import pytest

from . import yamlish
from .yamlish import YamlSubsetError, load

pytestmark = pytest.mark.skipif(yamlish.yaml is not None,
                                reason="PyYAML is installed and used instead")


def test_block_structures_scalars_and_flow_lists() -> None:
    text = """
# a comment
groups:
  - name: g   # trailing comment
    rules:
      - alert: A
        expr: >-
          up{job="w"}
            == 0
        for: 5m
        labels: {severity: warning}
        annotations:
          summary: "It's {{ $labels.node }}: down"
          runbook: README.md#a
      - record: 'x:y:z'
        expr: |
          sum(a)
targets: ["127.0.0.1:1", '127.0.0.1:2']
empty: []
count: 3
ratio: 0.5
flag: true
nothing:
"""
    assert load(text) == {
        "groups": [{"name": "g", "rules": [
            {"alert": "A", "expr": 'up{job="w"} == 0', "for": "5m",
             "labels": {"severity": "warning"},
             "annotations": {"summary": "It's {{ $labels.node }}: down",
                             "runbook": "README.md#a"}},
            {"record": "x:y:z", "expr": "sum(a)\n"},
        ]}],
        "targets": ["127.0.0.1:1", "127.0.0.1:2"],
        "empty": [],
        "count": 3,
        "ratio": 0.5,
        "flag": True,
        "nothing": None,
    }


@pytest.mark.parametrize("text", [
    "a: &anchor 1\n",
    "a: plain\n  continued\n",
    'a: "open\n  string"\n',
])
def test_unsupported_yaml_is_refused(text: str) -> None:
    with pytest.raises(YamlSubsetError):
        load(text)
