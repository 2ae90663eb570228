"""Fill the ``@NAME@`` placeholders of tracenet's Prometheus templates.

Two templates live next to this module: ``prometheus.yml.in`` (scrape configuration) and
``rules/tracenet.rules.yml.in`` (recording and alert rules). Placeholders are upper-case
names between ``@`` signs; the values are plain text put in as they are (no quoting added).
Rendering refuses a template that still holds an unknown placeholder and values that the
template does not use, so a renamed placeholder cannot be filled silently with nothing.

The committed ``prometheus.example.yml`` and ``rules/tracenet.rules.yml`` are renderings
with :data:`EXAMPLE_CONFIG` and :data:`PRODUCTION_RULES`; a unit test keeps them in step.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG_TEMPLATE = HERE / "prometheus.yml.in"
RULES_TEMPLATE = HERE / "rules" / "tracenet.rules.yml.in"

PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")

#: Scrape configuration of the local stack: everything on loopback, scraped every 2s so that
#: tests see a change within a few seconds. ``RULES_DIR`` has no default: the stack manager
#: passes the folder where it rendered the rules.
LOCAL_STACK_CONFIG = {
    "SCRAPE_INTERVAL": "2s",
    "EVALUATION_INTERVAL": "2s",
    "WORKER_TARGET": "127.0.0.1:26066",
    "CONNECTOR_TARGETS": "[]",
}

#: What ``prometheus.example.yml`` is rendered with (a multi-host production layout).
EXAMPLE_CONFIG = {
    "SCRAPE_INTERVAL": "15s",
    "EVALUATION_INTERVAL": "15s",
    "WORKER_TARGET": "tracenet-worker.example.internal:26066",
    "CONNECTOR_TARGETS": '["connector-kh.example.internal:26100", '
                         '"connector-id.example.internal:26101"]',
    "RULES_DIR": "/etc/prometheus/tracenet",
}

#: Rule parameters for production: a node is silent after 6 hours, or 3x its mean interval
#: between records over 7 days when that is longer, for 15 minutes.
PRODUCTION_RULES = {
    "SILENT_NODE_SECONDS": "21600",
    "SILENT_NODE_RHYTHM_FACTOR": "3",
    "SILENT_NODE_FOR": "15m",
}

#: Rule parameters for the local stack and integration tests: a node is silent after 10
#: seconds without a record (its rhythm is ignored: a short scenario has none to learn), the
#: alert is pending at once and fires 20 seconds later.
LOCAL_STACK_RULES = {
    "SILENT_NODE_SECONDS": "10",
    "SILENT_NODE_RHYTHM_FACTOR": "0",
    "SILENT_NODE_FOR": "20s",
}


class TemplateError(ValueError):
    """A template and the values given for it do not match."""


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with every ``@NAME@`` replaced by ``values[NAME]``."""
    wanted = placeholders(template)
    missing = sorted(wanted - values.keys())
    unused = sorted(values.keys() - wanted)
    if missing or unused:
        raise TemplateError(f"placeholders without a value: {missing}; "
                            f"values the template does not use: {unused}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def yaml_list(items: Iterable[str]) -> str:
    """A YAML flow list of quoted strings, e.g. for ``CONNECTOR_TARGETS``."""
    return "[" + ", ".join(f'"{item}"' for item in items) + "]"


def render_config(destination: Path, rules_dir: Path, **values: str) -> Path:
    """Write the scrape configuration; ``values`` override :data:`LOCAL_STACK_CONFIG`."""
    text = render(CONFIG_TEMPLATE.read_text(encoding="utf-8"),
                  {**LOCAL_STACK_CONFIG, "RULES_DIR": str(rules_dir), **values})
    destination.write_text(text, encoding="utf-8")
    return destination


def render_rules(rules_dir: Path, **values: str) -> Path:
    """Write ``tracenet.rules.yml`` into ``rules_dir``; ``values`` override
    :data:`LOCAL_STACK_RULES`."""
    rules_dir.mkdir(parents=True, exist_ok=True)
    text = render(RULES_TEMPLATE.read_text(encoding="utf-8"), {**LOCAL_STACK_RULES, **values})
    destination = rules_dir / "tracenet.rules.yml"
    destination.write_text(text, encoding="utf-8")
    return destination
