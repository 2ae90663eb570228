"""Which metric names exist, and which ones a PromQL expression reads.

The names come from the factories themselves, created on a fresh registry: tracenet's
catalogue (streams/metrics.py) and the sensor metrics Faust adds under ``tracenet_faust``.
Names are the ones Prometheus stores: counters end in ``_total``, histograms are read
through ``_bucket``, ``_sum`` and ``_count``.
"""

from __future__ import annotations

import re
from pathlib import Path

from prometheus_client import CollectorRegistry
from yaml import safe_load as load

from streams.metrics import ConnectorMetrics, ScreeningMetrics, WorkerMetrics

from .paths import RULES_FILE

FAUST_PREFIX = "tracenet_faust"
#: Series Prometheus makes itself: scrape health and the state of alerts.
PROMETHEUS_SERIES = frozenset({"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds"})

_SUFFIXES = {
    "counter": ("_total",),
    "gauge": ("",),
    "histogram": ("_bucket", "_sum", "_count"),
    "summary": ("", "_sum", "_count"),
}


def stored_names(registry: CollectorRegistry) -> set[str]:
    names = set()
    for family in registry.collect():
        for suffix in _SUFFIXES.get(family.type, ("",)):
            names.add(family.name + suffix)
    return names


def tracenet_metric_names() -> set[str]:
    registry = CollectorRegistry()
    WorkerMetrics.create(registry)
    ScreeningMetrics.create(registry)
    ConnectorMetrics.create(registry)
    return stored_names(registry)


def faust_metric_names() -> set[str]:
    from faust.sensors.prometheus import FaustMetrics  # heavy import, only where needed

    registry = CollectorRegistry()
    FaustMetrics.create(registry, FAUST_PREFIX)
    return stored_names(registry)


def rule_groups(path: Path = RULES_FILE) -> list[dict]:
    return load(path.read_text(encoding="utf-8"))["groups"]


def recording_rule_names(path: Path = RULES_FILE) -> set[str]:
    return {r["record"] for g in rule_groups(path) for r in g["rules"] if "record" in r}


def raw_inputs(names: set[str], path: Path = RULES_FILE) -> set[str]:
    """The scraped metrics behind ``names``, following recording rules down to their inputs."""
    reads = {r["record"]: metric_names(r["expr"])
             for g in rule_groups(path) for r in g["rules"] if "record" in r}
    out: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in reads:
            todo.extend(reads[name] - out)
        out.add(name)
    return out - reads.keys()


def alert_names(path: Path = RULES_FILE) -> list[str]:
    return [r["alert"] for g in rule_groups(path) for r in g["rules"] if "alert" in r]


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGES = re.compile(r"\[[^\[\]]*\]")
_LABEL_LISTS = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_IDENTIFIER = re.compile(r"(?<![\w.:])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()")
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "by", "without", "on",
                       "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN"})


def metric_names(expr: str) -> set[str]:
    """Metric names read by a PromQL expression (not functions, labels or keywords)."""
    text = _STRINGS.sub('""', expr)
    text = _MATCHERS.sub("", text)
    text = _RANGES.sub("", text)
    text = _LABEL_LISTS.sub("", text)
    return {m for m in _IDENTIFIER.findall(text) if m not in _KEYWORDS}
