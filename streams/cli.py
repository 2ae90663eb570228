"""The `tracenet` command: run the local stack, publish, screen, read cases and inboxes.

Errors a user can act on are printed as one plain sentence with exit status 2; a
traceback means a bug in tracenet, never a mistake of the user's.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from confluent_kafka import KafkaException

from deploy.local.processes import StackError
from streams.network import NetworkError
from streams.settings import Settings, SettingsError
from streams.watchlist.store import RedisUnreachable

EXIT_USER_ERROR = 2

# every error type whose message is written for the person at the keyboard
USER_ERRORS: tuple[type[BaseException], ...] = (
    StackError, NetworkError, SettingsError, KafkaException, RedisUnreachable, FileNotFoundError,
    PermissionError,
)


def _up(args: argparse.Namespace, settings: Settings) -> int:
    from deploy.local.stack import LocalStack

    stack = LocalStack(settings)
    stack.up(worker=not args.no_worker, prometheus=args.with_prometheus)
    print("tracenet is up. `tracenet status` shows its parts; `tracenet down` stops them.")
    return 0


def _down(args: argparse.Namespace, settings: Settings) -> int:
    from deploy.local.stack import LocalStack

    stopped = LocalStack(settings).down()
    print("nothing was running" if not stopped else f"stopped: {', '.join(stopped)}")
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from deploy.local.stack import LocalStack

    rows = LocalStack(settings).status()
    print(f"{'part':<11} {'state':<10} {'address':<24} {'process':<12} log")
    for row in rows:
        print(row.line())
    unhealthy = [r.name for r in rows if r.running and not r.healthy]
    if unhealthy:
        print(f"unhealthy: {', '.join(unhealthy)}: read the log named above.")
    return 1 if unhealthy else 0


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.worker import run

    run(args.loglevel)
    return 0


Command = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracenet", description="tracenet: enforcement alerts between customs administrations")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    up = sub.add_parser("up", help="start the local stack (Kafka, Redis, worker)")
    up.add_argument("--with-prometheus", action="store_true", help="also start Prometheus")
    up.add_argument("--no-worker", action="store_true", help="start Kafka and Redis only")
    up.set_defaults(func=_up)
    sub.add_parser("down", help="stop what `up` started").set_defaults(func=_down)
    sub.add_parser("status", help="what runs, where, and what is unhealthy").set_defaults(func=_status)
    worker = sub.add_parser("worker", help="run the stream worker in the foreground")
    worker.add_argument("--loglevel", default="info")
    worker.set_defaults(func=_worker)

    from connectors.cli import register as register_connectors
    from streams.desk import register as register_desk

    register_connectors(sub)
    register_desk(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        return int(args.func(args, settings))
    except USER_ERRORS as exc:
        print(f"tracenet {args.command}: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(f"tracenet {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
