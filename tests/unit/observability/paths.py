"""Where the observability files live in the repository."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
RULES_FILE = PROMETHEUS_DIR / "rules" / "tracenet.rules.yml"
PROMTOOL_TESTS = sorted((PROMETHEUS_DIR / "tests").glob("*.yml"))
LOCAL_PROMTOOL_TESTS = sorted((PROMETHEUS_DIR / "tests" / "local").glob("*.yml"))
OPS_README = PROMETHEUS_DIR / "README.md"
GRAFANA_DIR = REPO / "deploy" / "grafana"
DASHBOARD = GRAFANA_DIR / "dashboards" / "tracenet.json"
DATASOURCE = GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVIDER = GRAFANA_DIR / "provisioning" / "dashboards" / "tracenet.yml"
