"""A real Prometheus (Debian's package) scraping the local stack, for ops views and tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from deploy.local.processes import (
    ManagedProcess,
    StackError,
    ensure_port_free,
    http_ok,
    wait_until,
)
from streams.settings import PROJECT_ROOT, Settings

TEMPLATES = PROJECT_ROOT / "deploy" / "prometheus"


def render(template: Path, values: dict[str, str]) -> str:
    text = template.read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def render_config(settings: Settings, out_dir: Path, connector_ports: list[int]) -> Path:
    """Write prometheus.yml and the rule files for this stack into out_dir."""
    rules_dir = out_dir / "rules"
    rules_dir.mkdir(parents=True, exist_ok=True)
    values = {
        "WORKER_TARGET": f"127.0.0.1:{settings.worker_web_port}",
        "CONNECTOR_TARGETS": ", ".join(f"'127.0.0.1:{p}'" for p in connector_ports),
        "RULES_DIR": str(rules_dir),
        "SILENT_NODE_SECONDS": str(settings.silent_node_seconds),
    }
    for tpl in sorted((TEMPLATES / "rules").glob("*.yml*")):
        name = tpl.name.removesuffix(".in")
        (rules_dir / name).write_text(render(tpl, values))
    config = out_dir / "prometheus.yml"
    config.write_text(render(TEMPLATES / "prometheus.yml.in", values))
    return config


class PrometheusServer:
    def __init__(self, settings: Settings, connector_ports: list[int] | None = None) -> None:
        self.settings = settings
        self.home = settings.runtime_dir / "prometheus"
        self.connector_ports = connector_ports or []
        self.proc = ManagedProcess.under("prometheus", settings.runtime_dir)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.prometheus_port}"

    def running(self) -> bool:
        return self.proc.process() is not None

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
        config = render_config(self.settings, self.home, self.connector_ports)
        self.proc.start([binary, f"--config.file={config}",
                         f"--storage.tsdb.path={self.home / 'data'}",
                         f"--web.listen-address=127.0.0.1:{self.settings.prometheus_port}",
                         "--web.enable-lifecycle"])
        progress(f"Starting Prometheus on {self.url} ...")
        wait_until(lambda: self.healthy() or not self.running(), timeout)
        if not self.healthy():
            raise StackError(f"Prometheus did not become ready within {timeout:.0f}s. "
                             f"See its log: {self.proc.log_file}")

    def stop(self) -> bool:
        return self.proc.stop()
