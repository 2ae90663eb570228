"""The multi-host files we ship but cannot start here (no container engine): they parse,
point at the parts they name, and the Prometheus config they mount is valid."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from deploy.prometheus.render import render_config, yaml_list
from streams.settings import PROJECT_ROOT, Settings

DOCKER = PROJECT_ROOT / "deploy" / "docker"


def test_compose_services_use_the_settings_tracenet_reads() -> None:
    compose = yaml.safe_load((DOCKER / "compose.yml").read_text())
    services = compose["services"]
    assert {"kafka", "redis", "worker", "connector-la", "prometheus", "grafana"} <= set(services)
    env = services["worker"]["environment"]
    known = {f"TRACENET_{name.upper()}" for name in Settings.__dataclass_fields__}
    assert set(env) <= known, set(env) - known
    for mount in services["prometheus"]["volumes"]:
        assert (DOCKER / mount.split(":")[0]).resolve().exists(), mount


def test_compose_prometheus_config_is_the_rendered_template(tmp_path: Path) -> None:
    expected = render_config(tmp_path / "prometheus.yml", Path("/etc/prometheus/tracenet"),
                             SCRAPE_INTERVAL="15s", EVALUATION_INTERVAL="15s",
                             WORKER_TARGET="worker:26066",
                             CONNECTOR_TARGETS=yaml_list(["connector-la:26100"]))
    assert (DOCKER / "prometheus.yml").read_text() == expected.read_text()
    result = subprocess.run(["promtool", "check", "config", "--syntax-only", str(expected)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kubernetes_manifests_parse_and_use_known_settings() -> None:
    docs = [d for d in yaml.safe_load_all((PROJECT_ROOT / "deploy/k8s/tracenet.yaml").read_text()) if d]
    kinds = {d["kind"] for d in docs}
    assert {"Namespace", "ConfigMap", "Job", "Deployment", "Service", "StatefulSet"} <= kinds
    settings = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    known = {f"TRACENET_{name.upper()}" for name in Settings.__dataclass_fields__}
    assert set(settings) <= known, set(settings) - known
