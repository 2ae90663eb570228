"""Node-side commands: `tracenet publish`, `tracenet connect`, `tracenet inbox`."""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import timedelta
from pathlib import Path

from connectors.publisher import NodePublisher
from connectors.source import rows_to_publish
from streams.settings import Settings


def _publish(args: argparse.Namespace, settings: Settings) -> int:
    node = settings.network.node(args.node).code
    path = Path(args.file)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist or is not a file")
    publisher = NodePublisher(settings, node)
    publisher.setup()
    rejected = failed = published = 0
    lock = threading.Lock()
    lines: dict[str, int] = {}

    def delivered(record_id: str, error: str | None) -> None:
        nonlocal failed, published
        with lock:
            line = lines.pop(record_id, 0)
            if error:
                failed += 1
                print(f"line {line}: NOT published ({error}); run the command again to retry",
                      file=sys.stderr)
            else:
                published += 1
                if not args.quiet:
                    print(f"line {line}: published {record_id} to {publisher.topic}")

    skew = timedelta(seconds=settings.clock_skew_seconds)
    for row in rows_to_publish(path, node, settings.network, record_type=args.type, skew=skew):
        for warning in row.warnings:
            print(f"line {row.line}: warning: {warning}", file=sys.stderr)
        if not row.accepted:
            rejected += 1
            print(f"line {row.line}: rejected: {'; '.join(row.problems)}", file=sys.stderr)
            continue
        assert row.record is not None and row.record_type is not None
        lines[str(row.record["record_id"])] = row.line
        publisher.publish(row.record_type, row.record, delivered)
    unacked = publisher.flush(timeout=60)
    print(f"{path.name}: {published} published, {rejected} rejected, "
          f"{failed + unacked} not acknowledged by the broker (node {node})")
    return 1 if (rejected or failed or unacked) else 0


def register(sub: argparse._SubParsersAction) -> None:
    from connectors.commands import register_connect, register_inbox

    register_connect(sub)
    register_inbox(sub)
    publish = sub.add_parser(
        "publish", help="publish a node's alerts, seizures and control results from a file",
        description="Publish records from a JSON Lines (.jsonl) or CSV (.csv) export. "
                    "Each row is checked first; rejected rows are reported with their line "
                    "number and are not published. Exit status 1 if any row was rejected.")
    publish.add_argument("--node", required=True, help="your node code, e.g. VN")
    publish.add_argument("--type", choices=["alert", "seizure", "control_result"],
                         help="record type of every row (CSV files need it)")
    publish.add_argument("--quiet", action="store_true", help="report only problems and the total")
    publish.add_argument("file")
    publish.set_defaults(func=_publish)
