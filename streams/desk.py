"""Regional desk and node commands that read the network's state: cases, screening, watchlist."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from streams.settings import Settings
from streams.watchlist.screening import screen
from streams.watchlist.store import WatchlistStore, dumps


def _store(settings: Settings) -> WatchlistStore:
    store = WatchlistStore.connect(settings)
    store.ping()
    return store


def _cases(args: argparse.Namespace, settings: Settings) -> int:
    cases = _store(settings).cases()
    if args.exporter:
        needle = args.exporter.casefold()
        cases = [c for c in cases if needle in c["entity_label"].casefold()
                 or any(needle in a.casefold() for a in c.get("aliases", []))]
    if args.json:
        print(dumps(cases))
        return 0
    if not cases:
        print("no case matches" if args.exporter else "no case yet")
        return 0
    for case in sorted(cases, key=lambda c: -float(c["score"])):
        _print_case(case)
    return 0


def _print_case(case: dict[str, Any]) -> None:
    print(f"{case['rule']} · {case['entity_kind'].lower()} {case['entity_label']} · "
          f"score {float(case['score']):.1f} · {case['status']} (v{case['version']}) · {case['case_id']}")
    if case.get("aliases"):
        print(f"  written as: {'; '.join(case['aliases'])}")
    for reason in case.get("reasons", []):
        print(f"  why: {reason}")
    for item in sorted(case.get("evidence", []), key=lambda e: e["event_time"]):
        print(f"  {str(item['event_time'])[:10]} {item['node']:<4} {item['summary']}")
    print(f"  visible to: {', '.join(case.get('audience', []))}")
    print()


def _screen(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    started = time.perf_counter()
    result = screen(store, args.exporter, args.country)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if args.json:
        print(dumps({**result.to_dict(), "elapsed_ms": round(elapsed_ms, 2)}))
    elif result.hit is None:
        print(f"CLEAR: {args.exporter!r} matches no exporter on the watchlist "
              f"({elapsed_ms:.1f} ms)")
    else:
        hit = result.hit
        print(f"HIT: {args.exporter!r} is {hit.label} [{hit.country or '?'}], score {hit.score:.1f}, "
              f"matched by {result.method} ({result.score:.0f}) in {elapsed_ms:.1f} ms")
        print(f"  open cases: {', '.join(hit.case_ids)}")
        if hit.aliases:
            print(f"  also written: {'; '.join(hit.aliases)}")
    return 0 if result.hit is None else 3


def _watchlist(args: argparse.Namespace, settings: Settings) -> int:
    from streams.watchlist.rebuild import rebuild_from_cases_topic

    if args.action == "rebuild":
        count = rebuild_from_cases_topic(settings, _store(settings))
        print(f"watchlist rebuilt from the cases topic: {count} cases")
        return 0
    for profile in _store(settings).watchlist(args.country):
        print(json.dumps({"exporter": profile.label, "country": profile.country, "score": profile.score,
                          "cases": list(profile.case_ids)}, ensure_ascii=False) if args.json
              else f"{profile.score:6.1f}  {profile.label} [{profile.country or '?'}]  "
                   f"{len(profile.case_ids)} open cases")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    cases = sub.add_parser("cases", help="cases the network opened, with their evidence")
    cases.add_argument("--exporter", help="only cases whose exporter name contains this text")
    cases.add_argument("--json", action="store_true", help="machine-readable output")
    cases.set_defaults(func=_cases)

    screen_cmd = sub.add_parser(
        "screen", help="screen an exporter against the watchlist (exit 3 on a hit)",
        description="Screen a name the way the network resolves exporters: spelling, script and "
                    "legal-form variants of a watchlisted exporter are a hit.")
    screen_cmd.add_argument("--exporter", required=True, help="the exporter's name as declared")
    screen_cmd.add_argument("--country", help="the exporter's country (ISO 3166 alpha-2)")
    screen_cmd.add_argument("--json", action="store_true")
    screen_cmd.set_defaults(func=_screen)

    watch = sub.add_parser("watchlist", help="list the watchlist, or rebuild it from the cases topic")
    watch.add_argument("action", nargs="?", choices=["list", "rebuild"], default="list")
    watch.add_argument("--country")
    watch.add_argument("--json", action="store_true")
    watch.set_defaults(func=_watchlist)
