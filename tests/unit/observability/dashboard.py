"""The PromQL queries of a Grafana dashboard, ready to run against a plain Prometheus.

Grafana fills its own variables before it sends a query; :func:`dashboard_queries` does the
same with fixed values, so that a test can run every panel's query through the Prometheus
HTTP API and check that it parses and returns data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

#: What Grafana variables become outside Grafana: 1m for the interval variables (at least 4
#: scrapes at every scrape interval tracenet uses) and "every value" for the node picker.
SUBSTITUTIONS: Mapping[str, str] = {
    "__rate_interval": "1m",
    "__interval": "1m",
    "__range": "1h",
    "node": ".*",
}

_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]")


def substitute(expr: str, values: Mapping[str, str] = SUBSTITUTIONS) -> str:
    """The expression with Grafana's ``$name``, ``${name}`` and ``[[name]]`` replaced."""
    def repl(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g)
        if name not in values:
            raise KeyError(f"no value for Grafana variable ${name} in {expr!r}")
        return values[name]

    return _VARIABLE.sub(repl, expr)


def panels(dashboard: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, including those inside collapsed rows; rows themselves are left out."""
    for panel in dashboard.get("panels", []):
        if panel.get("type") == "row":
            yield from panel.get("panels", [])
        else:
            yield panel


def dashboard_queries(path: Path,
                      values: Mapping[str, str] = SUBSTITUTIONS) -> list[tuple[str, str]]:
    """(panel title, PromQL) for every query target of every panel, variables filled in."""
    dashboard = json.loads(Path(path).read_text(encoding="utf-8"))
    return [(panel.get("title", ""), substitute(target["expr"], values))
            for panel in panels(dashboard)
            for target in panel.get("targets", [])
            if target.get("expr")]
