"""`make demo`: the local stack, a season of alerts from eight nodes, and what the network learned.

Run twice, it shows the same: records carry fixed ids, so a replay opens no new case.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from deploy.local.processes import StackError
from deploy.local.stack import LocalStack
from streams.cli import main as tracenet
from streams.settings import PROJECT_ROOT, Settings
from streams.watchlist.store import WatchlistStore

SCENARIO = PROJECT_ROOT / "deploy" / "demo"


def publish_scenario(folder: Path) -> int:
    """Publish every node's file through `tracenet publish`, as an officer would."""
    failures = 0
    for path in sorted(folder.glob("*.jsonl")):
        node = path.stem.upper()
        print(f"\n$ tracenet publish --node {node} {path.relative_to(PROJECT_ROOT)}")
        failures += tracenet(["publish", "--node", node, str(path)]) != 0
    return failures


def wait_for_cases(store: WatchlistStore, stack: LocalStack, timeout: float = 120.0) -> int:
    """Wait until the case count stops changing: the worker has caught up."""
    print("\nWaiting for the worker to correlate ", end="", flush=True)
    deadline, last, stable_since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        if not stack.worker.running():
            raise StackError(f"the worker stopped; see its log: {stack.worker.proc.log_file}")
        count = len(store.cases())
        if count != last:
            last, stable_since = count, time.monotonic()
        elif count and time.monotonic() - stable_since > 5:
            break
        print(".", end="", flush=True)
        time.sleep(1)
    print(f" {last} cases")
    return last


def report(store: WatchlistStore) -> None:
    print("\nExporters seen at more than one node:")
    for profile in store.exporters(min_nodes=2):
        nodes = ", ".join(f"{n} ({c})" for n, c in sorted(profile.nodes.items()))
        print(f"  {profile.label} [{profile.country or '?'}]: {profile.events} events at {nodes}")
        for alias in profile.aliases:
            print(f"      also written: {alias}")
    print("\nCases:")
    for case in store.cases():
        print(f"  {case['rule']:<22} {case['entity_label']:<45} score {case['score']:.1f} "
              f"nodes {','.join(case['nodes'])} ({len(case['evidence'])} records)")


def main() -> int:
    settings = Settings.from_env()
    stack = LocalStack(settings)
    try:
        stack.up(worker=True)
        failures = publish_scenario(SCENARIO)
        store = WatchlistStore.connect(settings)
        wait_for_cases(store, stack)
    except StackError as exc:
        print(f"\ntracenet demo: {exc}", file=sys.stderr)
        return 2
    report(store)
    print("\nLook further:")
    print("  .venv/bin/tracenet cases                 cases with their evidence (--json)")
    print('  .venv/bin/tracenet screen --exporter "Everbright Polymer Trading" --country HK')
    print("  .venv/bin/tracenet inbox --node MY       what Malaysia received")
    print("  .venv/bin/tracenet status                what runs, where, and its logs")
    print(f"  logs: {settings.runtime_dir / 'logs'}")
    print("Stop everything: .venv/bin/tracenet down   (or `make down`)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
