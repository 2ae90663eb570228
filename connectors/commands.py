"""`tracenet connect` and `tracenet inbox`: argument parsing and plain-words errors."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from connectors.connector import Connector, ConnectorOptions
from deploy.local.processes import StackError
from streams.settings import Settings

TOKEN_ENV = "TRACENET_CONNECTOR_TOKEN"  # noqa: S105 (the variable's name, not a token)


class ConnectorError(StackError):
    """A connector cannot start as asked; the message says what to change."""


def _token(args: argparse.Namespace, settings: Settings) -> str | None:
    """The node's bearer token: --token-file, else TRACENET_CONNECTOR_TOKEN, else ingest is off."""
    if args.token_file:
        try:
            token = Path(args.token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConnectorError(f"cannot read the token file {args.token_file}: {exc.strerror}") from exc
        if len(token) < 16:
            raise ConnectorError(f"the token in {args.token_file} is shorter than 16 characters")
        return token
    return settings.connector_token or None


def _connect(args: argparse.Namespace, settings: Settings) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="tracenet connect: %(asctime)s %(message)s", datefmt="%H:%M:%S")
    options = ConnectorOptions(
        outbox_path=Path(args.outbox) if args.outbox else None,
        watch=Path(args.watch) if args.watch else None,
        port=args.port if args.port is not None else settings.connector_port,
        host=args.host, token=_token(args, settings), record_type=args.type, settle=args.settle)
    connector = Connector(settings, args.node, options)
    connector.setup()
    try:
        for name in args.files:
            result = connector.read_file(Path(name))
            print(f"{result.name}: {result.accepted} accepted into the outbox, "
                  f"{len(result.rejects)} rejected" + (" (read before: nothing new)" if result.seen_before
                                                       else ""))
            for line, reason in result.rejects:
                print(f"  {'file' if line == 0 else f'line {line}'}: {reason}", file=sys.stderr)
        asyncio.run(_serve(connector, once=args.once))
        waiting = connector.flush(timeout=args.drain_timeout if args.once else 5.0)
    finally:
        connector.close()
    if waiting:
        print(f"{waiting} records wait in the outbox {connector.outbox.path}; the next "
              "`tracenet connect` sends them when the broker answers", file=sys.stderr)
        return 1
    return 0


async def _serve(connector: Connector, *, once: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await connector.serve(stop, once=once)


def register_connect(sub: argparse._SubParsersAction) -> None:
    connect = sub.add_parser(
        "connect", help="run a node's connector: drop folder, HTTP ingest, durable outbox",
        description="Accept a node's records from export files, a watched drop folder and HTTP, "
                    "keep them in a local outbox until the broker acknowledged them, and send them "
                    "in order when the link is up. Metrics on http://HOST:PORT/metrics.")
    connect.add_argument("--node", required=True, help="your node code, e.g. LA")
    connect.add_argument("--watch", metavar="DIR",
                         help="drop folder: complete files go to DIR/done/, rejected ones with a "
                              "report to DIR/rejected/ (write NAME.tmp, then rename)")
    connect.add_argument("--type", choices=["alert", "seizure", "control_result"],
                         help="record type of CSV files without a type column")
    connect.add_argument("--port", type=int, help="HTTP port for ingest, /metrics, /health "
                                                  "(default: TRACENET_CONNECTOR_PORT, 26100)")
    connect.add_argument("--host", default="127.0.0.1",
                         help="address to listen on (default loopback; 0.0.0.0 for the national system)")
    connect.add_argument("--token-file", help=f"file with the node's bearer token for HTTP ingest "
                                              f"(or set {TOKEN_ENV}); without one, ingest is off")
    connect.add_argument("--outbox", help="outbox database (default RUNTIME_DIR/connectors/NODE/)")
    connect.add_argument("--settle", type=float, default=1.0,
                         help="seconds a dropped file must stay unchanged before it is read")
    connect.add_argument("--once", action="store_true",
                         help="read the files and the drop folder, send the outbox, then exit")
    connect.add_argument("--drain-timeout", type=float, default=300.0,
                         help="with --once: seconds to wait for the broker before exiting")
    connect.add_argument("files", nargs="*", help="export files to read into the outbox first")
    connect.set_defaults(func=_connect)


def _inbox(args: argparse.Namespace, settings: Settings) -> int:
    from connectors.inbox import InboxReader, as_json_line, describe
    from connectors.sink import FolderSink
    from connectors.webhook import Webhook
    from schemas.codec import default_codec

    node = settings.network.node(args.node).code
    if args.webhook and not args.to_folder:
        raise ConnectorError("--webhook needs --to-folder: deliveries are kept in the folder first")
    sink = None
    if args.to_folder:
        hook = Webhook(args.webhook, attempts=args.webhook_attempts) if args.webhook else None
        sink = FolderSink(Path(args.to_folder), hook)
        sink.setup()
    group = f"tracenet-sink-{node.lower()}" if sink is not None else None
    reader = InboxReader(settings, node, default_codec(), group=group)
    reader.setup()
    unreadable = 0

    def bad(msg, exc) -> None:  # type: ignore[no-untyped-def]
        nonlocal unreadable
        unreadable += 1
        print(f"partition {msg.partition()} offset {msg.offset()}: cannot read this delivery "
              f"({exc.reason_code}: {exc})", file=sys.stderr)

    shown = 0
    try:
        for msg, delivery in reader.deliveries(follow=args.follow, on_error=bad):
            if delivery is not None:
                shown += 1
                if sink is not None:
                    sink.deliver(delivery)
                elif args.json:
                    print(as_json_line(delivery), flush=True)
                else:
                    print(describe(delivery), flush=True)
            reader.commit(msg)
    finally:
        reader.close()
    if sink is not None:
        print(sink.summary(), file=sys.stderr)
    elif not args.json:
        print(f"{shown} deliveries in the inbox of {node}"
              + (f", {unreadable} unreadable" if unreadable else ""), file=sys.stderr)
    return 1 if unreadable else 0


def register_inbox(sub: argparse._SubParsersAction) -> None:
    inbox = sub.add_parser(
        "inbox", help="what the network delivered to your node (alerts from others, cases)",
        description="Show the deliveries on your node's inbox topic, or keep them as JSON files in a "
                    "folder (and POST them to a webhook). With --to-folder, progress is kept by the "
                    "consumer group tracenet-sink-NODE, so a restart continues where it stopped.")
    inbox.add_argument("--node", required=True, help="your node code, e.g. MY")
    inbox.add_argument("--follow", action="store_true", help="keep waiting for new deliveries")
    inbox.add_argument("--json", action="store_true", help="one JSON object per line")
    inbox.add_argument("--to-folder", metavar="DIR", help="write each delivery to DIR as a JSON file")
    inbox.add_argument("--webhook", metavar="URL", help="also POST each delivery to URL (needs --to-folder)")
    inbox.add_argument("--webhook-attempts", type=int, default=6,
                       help="attempts per delivery before the command stops (default 6)")
    inbox.set_defaults(func=_inbox)
