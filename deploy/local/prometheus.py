"""A real Prometheus (Debian's package) scraping the local stack, for ops views and tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from deploy.local.processes import StackError, StackPart, ensure_port_free, http_ok
from deploy.prometheus.render import render_config, render_rules, yaml_list
from streams.settings import Settings


def render_stack_config(settings: Settings, out_dir: Path, connector_ports: list[int]) -> Path:
    """prometheus.yml and its rules for this stack, from the templates in deploy/prometheus."""
    rules_dir = out_dir / "rules"
    render_rules(rules_dir, SILENT_NODE_SECONDS=str(settings.silent_node_seconds))
    return render_config(
        out_dir / "prometheus.yml", rules_dir,
        WORKER_TARGET=f"127.0.0.1:{settings.worker_web_port}",
        CONNECTOR_TARGETS=yaml_list(f"127.0.0.1:{port}" for port in connector_ports))


class PrometheusServer(StackPart):
    name, label = "prometheus", "Prometheus"

    def __init__(self, settings: Settings, connector_ports: list[int] | None = None) -> None:
        super().__init__(settings.runtime_dir)
        self.settings = settings
        self.connector_ports = connector_ports or []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.prometheus_port}"

    def healthy(self) -> bool:
        return http_ok(f"{self.url}/-/ready")

    def start(self, timeout: float = 30.0, progress=print) -> None:  # type: ignore[no-untyped-def]
        if self.running():
            return
        binary = shutil.which("prometheus")
        if binary is None:
            raise StackError("Prometheus is not installed. Install it with "
                             "`apt-get install prometheus` (or run `make setup`).")
        ensure_port_free(self.settings.prometheus_port, "Prometheus", "TRACENET_PROMETHEUS_PORT")
        config = render_stack_config(self.settings, self.home, self.connector_ports)
        self.proc.start([binary, f"--config.file={config}",
                         f"--storage.tsdb.path={self.home / 'data'}",
                         f"--web.listen-address=127.0.0.1:{self.settings.prometheus_port}",
                         "--web.enable-lifecycle"])
        progress(f"Starting Prometheus on {self.url} ...")
        self.await_ready(timeout)
