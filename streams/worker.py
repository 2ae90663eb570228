"""Run the Faust worker: `tracenet worker` or `python -m streams.worker`."""

from __future__ import annotations

import logging

import faust


def run(loglevel: str = "info") -> None:
    from streams.app import app

    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True)
    worker.execute_from_commandline()


if __name__ == "__main__":
    run()
