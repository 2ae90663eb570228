"""The provisioned Grafana dashboard reads only metrics that exist, through the provisioned
data source."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from yaml import safe_load as load

from .catalogue import (
    PROMETHEUS_SERIES,
    faust_metric_names,
    metric_names,
    raw_inputs,
    recording_rule_names,
    tracenet_metric_names,
)
from .dashboard import SUBSTITUTIONS, dashboard_queries, panels, substitute
from .paths import DASHBOARD, DASHBOARD_PROVIDER, DATASOURCE

DATASOURCE_UID = "tracenet-prometheus"


@pytest.fixture(scope="module")
def dashboard() -> dict:
    return json.loads(DASHBOARD.read_text(encoding="utf-8"))


def test_datasource_is_provisioned_with_the_fixed_uid() -> None:
    (source,) = load(DATASOURCE.read_text(encoding="utf-8"))["datasources"]
    assert source["uid"] == DATASOURCE_UID
    assert source["type"] == "prometheus"


def test_dashboard_provider_points_at_a_folder() -> None:
    (provider,) = load(DASHBOARD_PROVIDER.read_text(encoding="utf-8"))["providers"]
    assert provider["type"] == "file"
    assert provider["options"]["path"]


def test_ids_and_uids_are_unique(dashboard: dict) -> None:
    assert dashboard["uid"] == "tracenet-overview"
    ids = Counter(p["id"] for p in dashboard["panels"])
    ids.update(p["id"] for row in dashboard["panels"] for p in row.get("panels", []))
    assert not [i for i, n in ids.items() if n > 1], f"panel ids used twice: {ids}"
    titles = Counter(p["title"] for p in panels(dashboard))
    assert not [t for t, n in titles.items() if n > 1], "two panels share a title"


def test_every_panel_queries_the_tracenet_datasource(dashboard: dict) -> None:
    for panel in panels(dashboard):
        targets = panel.get("targets", [])
        assert targets and all(t.get("expr") for t in targets), panel["title"]
        assert panel["datasource"]["uid"] == DATASOURCE_UID, panel["title"]
        assert all(t["datasource"]["uid"] == DATASOURCE_UID for t in targets), panel["title"]
        assert len({t["refId"] for t in targets}) == len(targets), panel["title"]
    for variable in dashboard["templating"]["list"]:
        assert variable["datasource"]["uid"] == DATASOURCE_UID


def test_panels_read_only_metrics_that_exist(dashboard: dict) -> None:
    known = (tracenet_metric_names() | faust_metric_names() | recording_rule_names()
             | PROMETHEUS_SERIES)
    for title, expr in dashboard_queries(DASHBOARD):
        names = metric_names(expr)
        assert names, f"{title}: no metric found in {expr!r}"
        assert not names - known, f"{title} reads {names - known}"
    for variable in dashboard["templating"]["list"]:
        metric = re.fullmatch(r"label_values\((\w+), *\w+\)", variable["definition"])
        assert metric and metric.group(1) in known, variable["definition"]


def test_dashboard_shows_every_part_of_the_catalogue() -> None:
    """A metric added to streams/metrics.py should get a panel (or be listed here)."""
    read = raw_inputs(set().union(*(metric_names(e) for _, e in dashboard_queries(DASHBOARD))))
    not_shown = {name for name in tracenet_metric_names()
                 if name.endswith(("_sum", "_count"))}
    missing = tracenet_metric_names() - read - not_shown
    assert not missing, f"no panel shows {sorted(missing)}"


def test_dashboard_queries_fill_in_grafana_variables(dashboard: dict) -> None:
    queries = dashboard_queries(DASHBOARD)
    assert len(queries) == sum(len(p["targets"]) for p in panels(dashboard))
    assert not [expr for _, expr in queries if "$" in expr]
    assert any('node=~".*"' in expr for _, expr in queries)
    assert substitute('rate(x{node=~"${node}"}[$__rate_interval])') == 'rate(x{node=~".*"}[1m])'
    with pytest.raises(KeyError, match="topic"):
        substitute("x{topic=~\"$topic\"}", SUBSTITUTIONS)


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    """promtool parses each query as the expression of a throw-away recording rule."""
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"tracenet_dashboard_query_{i}", "expr": expr}
        for i, (_, expr) in enumerate(dashboard_queries(DASHBOARD))]}]}
    path = tmp_path / "dashboard.rules.yml"
    path.write_text(json.dumps(rules, indent=1), encoding="utf-8")  # JSON is YAML
    done = subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
