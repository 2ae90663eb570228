"""The whole network on real parts: publish with the CLI, the worker correlates, Redis answers.

One broker per module (see conftest), so the cases counted here come from this module's
input only. The tests run in order and build on each other's input, as a season would.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from deploy.local.stack import Worker
from streams.settings import PROJECT_ROOT, Settings
from streams.watchlist.store import WatchlistStore
from tests.integration.support import run_cli, wait_for, wait_idle

pytestmark = pytest.mark.integration
SCENARIO = PROJECT_ROOT / "deploy" / "demo"
HOPPER = "Everbright Polymer Trading Co., Ltd"
EXPECTED = {
    ("PORT_HOPPING", "EXPORTER", HOPPER),
    ("REPEAT_EXPORTER", "EXPORTER", HOPPER),
    ("PORT_HOPPING", "CONTAINER", "SEGU4100938"),
    ("REUSED_CONTAINER", "CONTAINER", "SEGU4100938"),
}


def publish_scenario(settings: Settings) -> None:
    for path in sorted(SCENARIO.glob("*.jsonl")):
        result = run_cli(settings, "publish", "--quiet", "--node", path.stem.upper(), str(path))
        assert result.returncode == 0, result.stderr


def case_versions(store: WatchlistStore) -> dict[tuple[str, str, str], int]:
    return {(c["rule"], c["entity_kind"], c["entity_label"]): c["version"] for c in store.cases()}


@pytest.fixture(scope="module")
def network(stack) -> Settings:  # type: ignore[no-untyped-def]
    """One worker identity for the whole module, so a restarted worker is the same app."""
    return stack.settings.with_(app_id="tracenet-network-test")


@pytest.fixture(scope="module")
def store(network: Settings) -> WatchlistStore:
    store = WatchlistStore.connect(network)
    store.redis.flushdb()
    return store


def test_exporter_seen_at_two_nodes_is_counted_in_redis(network: Settings, store: WatchlistStore,
                                                        tmp_path: Path) -> None:
    """The walking skeleton: two nodes publish, the worker counts the exporter per node in Redis."""
    worker = Worker(network)
    worker.start(progress=lambda _m: None)
    try:
        for node, name, day in (("VN", "Cong ty TNHH Nhua Xanh", "01"),
                                ("MY", "CÔNG TY TNHH NHỰA XANH", "02")):
            row = {"type": "alert", "event_time": f"2026-10-{day}T00:00:00Z", "stage": "PRE_CONTROL",
                   "handling": {"distribution": "ALL_MEMBERS", "tlp": "GREEN"},
                   "exporter": {"name": name, "country": "VN"}, "risk_indicators": ["NEW_TRADER"],
                   "commodities": [{"hs_subheading": "391590", "description": "PE scrap", "weight_kg": 9000}],
                   "route": {"port_of_loading": "VNHPH", "port_of_discharge": "MYPKG"}}
            path = tmp_path / f"{node}.jsonl"
            path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
            assert run_cli(network, "publish", "--node", node, str(path)).returncode == 0

        def nodes() -> dict[str, int]:
            profiles = [p for p in store.exporters() if p.country == "VN"]
            return profiles[0].nodes if len(profiles) == 1 else {}

        wait_idle(network)
        assert nodes() == {"VN": 1, "MY": 1}
    finally:
        worker.stop()


def test_scenario_opens_exactly_the_expected_cases(network: Settings, store: WatchlistStore) -> None:
    worker = Worker(network)
    worker.start(progress=lambda _m: None)
    try:
        publish_scenario(network)
        wait_idle(network)
        versions = case_versions(store)
        assert set(versions) - {("REPEAT_EXPORTER", "EXPORTER", "Cong ty TNHH Nhua Xanh")} == EXPECTED
        honest = ("Green Polymer", "Giay Sai Gon", "Mekong Textile", "Lao Copper", "Ceylon Rubber")
        for case in store.cases():
            assert not any(h in case["entity_label"] for h in honest), case["entity_label"]
        hopping = next(c for c in store.cases() if c["rule"] == "PORT_HOPPING"
                       and c["entity_kind"] == "EXPORTER")
        assert set(hopping["nodes"]) == {"VN", "MY", "TH"}
        assert {"EVERBRIGHT POLYMERS TRADING CO LTD", "Everbright Polymer Trading Company Limited"} \
            <= set(hopping["aliases"])

        # replaying the whole input opens nothing and changes no count
        profile_before = {p.entity_id: p.nodes for p in store.exporters()}
        publish_scenario(network)
        wait_idle(network)
        assert case_versions(store) == versions
        assert {p.entity_id: p.nodes for p in store.exporters()} == profile_before

        screen = run_cli(network, "screen", "--exporter", "EVER-BRIGHT POLYMER TRADING LIMITED",
                          "--country", "HK")
        assert screen.returncode == 3 and "HIT" in screen.stdout, screen.stdout + screen.stderr
        clear = run_cli(network, "screen", "--exporter", "Green Polymer Trading Ltd", "--country", "SG")
        assert clear.returncode == 0 and "CLEAR" in clear.stdout

        # Redis emptied: the worker rebuilds the watchlist from the cases topic
        store.redis.flushdb()
        assert wait_for(lambda: case_versions(store) == versions, 45, "the watchlist rebuild")
        assert run_cli(network, "screen", "--exporter", "Everbright Polymers Trading",
                        "--country", "HK").returncode == 3
    finally:
        worker.stop()


def test_worker_killed_mid_stream_recovers_its_tables(network: Settings, store: WatchlistStore,
                                                      tmp_path: Path) -> None:
    """SIGKILL, restart: the entity's history comes back from the changelog, so a new event
    from a fourth node escalates the existing case instead of opening a fresh one."""
    worker = Worker(network)
    worker.start(progress=lambda _m: None)
    wait_idle(network)
    before = case_versions(store)
    process = worker.proc.process()
    assert process is not None
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)
    worker = Worker(network)
    worker.start(progress=lambda _m: None)
    try:
        row = {"type": "alert", "event_time": "2026-11-01T00:00:00Z", "stage": "PRE_CONTROL",
               "handling": {"distribution": "ALL_MEMBERS", "tlp": "AMBER"},
               "exporter": {"name": "EVERBRIGHT POLYMER TRADING CO., LTD.", "country": "HK"},
               "risk_indicators": ["PRIOR_REFUSAL"],
               "commodities": [{"hs_subheading": "391590", "description": "PE regrind", "weight_kg": 17500}],
               "route": {"port_of_loading": "HKHKG", "port_of_discharge": "IDTPP"}}
        path = tmp_path / "id.jsonl"
        path.write_text(json.dumps(row) + "\n", encoding="utf-8")
        assert run_cli(network, "publish", "--node", "ID", str(path)).returncode == 0
        wait_idle(network)
        after = case_versions(store)
        assert set(after) == set(before), "no case opened twice after the restart"
        key = ("PORT_HOPPING", "EXPORTER", HOPPER)
        assert after[key] == before[key] + 1
        hopping = next(c for c in store.cases() if c["rule"] == "PORT_HOPPING"
                       and c["entity_kind"] == "EXPORTER")
        assert set(hopping["nodes"]) == {"VN", "MY", "TH", "ID"}
    finally:
        worker.stop()
