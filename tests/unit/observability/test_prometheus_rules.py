"""The Prometheus templates render, promtool accepts them, and every alert is tested.

The templates are rendered into tmp_path with the local-stack values (what `tracenet up`
uses) and the committed renderings are compared with the production and example values.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from yaml import safe_load as load

from deploy.prometheus.render import (
    CONFIG_TEMPLATE,
    EXAMPLE_CONFIG,
    LOCAL_STACK_RULES,
    PRODUCTION_RULES,
    RULES_TEMPLATE,
    TemplateError,
    render,
    render_config,
    render_rules,
    yaml_list,
)

from .catalogue import (
    FAUST_PREFIX,
    PROMETHEUS_SERIES,
    alert_names,
    faust_metric_names,
    metric_names,
    recording_rule_names,
    rule_groups,
    tracenet_metric_names,
)
from .paths import LOCAL_PROMTOOL_TESTS, OPS_README, PROMETHEUS_DIR, PROMTOOL_TESTS, RULES_FILE

PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool is not installed")


def promtool(*args: str | Path, cwd: Path | None = None) -> str:
    assert PROMTOOL is not None
    done = subprocess.run([PROMTOOL, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"promtool {' '.join(map(str, args))} failed:\n{output}"
    return output


@pytest.fixture
def local_stack(tmp_path: Path) -> Path:
    """prometheus.yml and rules/ rendered as the local stack renders them."""
    rules_dir = tmp_path / "rules"
    render_rules(rules_dir)
    return render_config(tmp_path / "prometheus.yml", rules_dir,
                         CONNECTOR_TARGETS=yaml_list(["127.0.0.1:26100", "127.0.0.1:26101"]))


# --- templates ---------------------------------------------------------------------------

def test_committed_renderings_match_their_templates() -> None:
    config = render(CONFIG_TEMPLATE.read_text(encoding="utf-8"), EXAMPLE_CONFIG)
    rules = render(RULES_TEMPLATE.read_text(encoding="utf-8"), PRODUCTION_RULES)
    assert (PROMETHEUS_DIR / "prometheus.example.yml").read_text(encoding="utf-8") == config
    assert RULES_FILE.read_text(encoding="utf-8") == rules


def test_render_refuses_missing_and_unused_values() -> None:
    with pytest.raises(TemplateError, match="SILENT_NODE_FOR"):
        render(RULES_TEMPLATE.read_text(encoding="utf-8"),
               {k: v for k, v in PRODUCTION_RULES.items() if k != "SILENT_NODE_FOR"})
    with pytest.raises(TemplateError, match="TYPO"):
        render(RULES_TEMPLATE.read_text(encoding="utf-8"), {**PRODUCTION_RULES, "TYPO": "1"})


def test_local_stack_rendering_uses_short_intervals_and_small_silence(local_stack: Path) -> None:
    config = load(local_stack.read_text(encoding="utf-8"))
    assert config["global"]["scrape_interval"] == "2s"
    assert config["global"]["evaluation_interval"] == "2s"
    jobs = {job["job_name"]: job["static_configs"][0]["targets"]
            for job in config["scrape_configs"]}
    assert jobs == {"tracenet-worker": ["127.0.0.1:26066"],
                    "tracenet-connector": ["127.0.0.1:26100", "127.0.0.1:26101"]}
    silent = next(r for g in rule_groups(local_stack.parent / "rules" / "tracenet.rules.yml")
                  for r in g["rules"] if r.get("alert") == "TracenetNodeSilent")
    assert silent["for"] == LOCAL_STACK_RULES["SILENT_NODE_FOR"]


# --- promtool ----------------------------------------------------------------------------

@needs_promtool
def test_promtool_accepts_the_local_stack_config(local_stack: Path) -> None:
    output = promtool("check", "config", local_stack)
    assert "1 rule files found" in output


@needs_promtool
def test_promtool_accepts_the_example_config() -> None:
    promtool("check", "config", PROMETHEUS_DIR / "prometheus.example.yml")


@needs_promtool
def test_promtool_accepts_the_rules_and_counts_what_we_parse(local_stack: Path) -> None:
    for rules in (RULES_FILE, local_stack.parent / "rules" / "tracenet.rules.yml"):
        output = promtool("check", "rules", "--lint=all", "--lint-fatal", rules)
        found = int(re.search(r"SUCCESS: (\d+) rules found", output).group(1))  # type: ignore[union-attr]
        parsed = sum(len(g["rules"]) for g in rule_groups(rules))
        assert parsed == found, "the YAML reader and promtool disagree on the rule count"


@needs_promtool
def test_promtool_unit_tests_pass_with_production_values() -> None:
    assert PROMTOOL_TESTS
    promtool("test", "rules", *PROMTOOL_TESTS, cwd=PROMETHEUS_DIR)


@needs_promtool
def test_promtool_unit_tests_pass_with_local_stack_values(tmp_path: Path) -> None:
    assert LOCAL_PROMTOOL_TESTS
    render_rules(tmp_path)
    copies = [shutil.copy(test, tmp_path / test.name) for test in LOCAL_PROMTOOL_TESTS]
    promtool("test", "rules", *copies, cwd=tmp_path)


# --- coverage and wording ----------------------------------------------------------------

def _alert_cases() -> dict[str, dict[str, int]]:
    cases: dict[str, dict[str, int]] = {}
    for test_file in [*PROMTOOL_TESTS, *LOCAL_PROMTOOL_TESTS]:
        for test in load(test_file.read_text(encoding="utf-8"))["tests"]:
            for case in test.get("alert_rule_test") or []:
                kind = "firing" if case.get("exp_alerts") else "quiet"
                counts = cases.setdefault(case["alertname"], {"firing": 0, "quiet": 0})
                counts[kind] += 1
    return cases


def test_every_alert_has_a_firing_and_a_quiet_case() -> None:
    cases = _alert_cases()
    names = alert_names()
    assert len(names) == len(set(names)), "an alert name is used twice"
    for name in names:
        assert cases.get(name, {}).get("firing"), f"{name} has no test where it fires"
        assert cases.get(name, {}).get("quiet"), f"{name} has no test where it stays quiet"
    assert set(cases) <= set(names), "a promtool test names an alert that does not exist"


def test_every_alert_tells_ops_what_to_do() -> None:
    headings = {line.lstrip("#").strip().lower()
                for line in OPS_README.read_text(encoding="utf-8").splitlines()
                if line.startswith("#")}
    for group in rule_groups():
        for rule in group["rules"]:
            if "alert" not in rule:
                continue
            name = rule["alert"]
            assert rule["labels"]["severity"] in ("critical", "warning"), name
            annotations = rule["annotations"]
            assert {"summary", "description", "runbook"} <= annotations.keys(), name
            page, _, anchor = annotations["runbook"].partition("#")
            assert page == "deploy/prometheus/README.md", name
            assert anchor == name.lower() and anchor in headings, \
                f"{name}: the README needs a heading '### {name}'"


def test_recording_rules_follow_level_metric_operation() -> None:
    for name in recording_rule_names():
        level, metric, *_ = name.split(":") + [""]
        assert level and metric.startswith("tracenet_"), name


def test_rules_read_only_metrics_that_exist() -> None:
    known = (tracenet_metric_names() | faust_metric_names() | recording_rule_names()
             | PROMETHEUS_SERIES)
    for group in rule_groups():
        for rule in group["rules"]:
            unknown = metric_names(rule["expr"]) - known
            assert not unknown, f"{rule.get('alert') or rule.get('record')} reads {unknown}"


def test_faust_lag_metrics_have_the_expected_names() -> None:
    """Consumer lag is built from these two; a Faust upgrade that renames them breaks it."""
    names = faust_metric_names()
    assert f"{FAUST_PREFIX}_topic_partition_end_offset" in names
    assert f"{FAUST_PREFIX}_topic_partition_offset_commited" in names
