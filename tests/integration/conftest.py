"""The real local stack for integration tests: one Kafka broker and one Redis per test module.

A module gets a broker of its own so that what one module publishes never reaches the
workers of another (every worker reads its topics from the beginning). Ports are picked
free so a running `make demo` stack is never touched; the runtime folder is temporary.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from deploy.local.stack import LocalStack, Worker, ephemeral_settings, free_port
from streams.settings import Settings


@pytest.fixture(scope="module")
def stack_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return ephemeral_settings(Settings.from_env({}), tmp_path_factory.mktemp("tracenet-runtime"))


@pytest.fixture(scope="module")
def stack(stack_settings: Settings) -> Iterator[LocalStack]:
    local = LocalStack(stack_settings)
    local.up(worker=False, progress=lambda _msg: None)
    yield local
    local.down(progress=lambda _msg: None)


@pytest.fixture
def settings(stack: LocalStack) -> Settings:
    """Settings for one test: its own consumer group and Faust app id, same broker."""
    return stack.settings.with_(app_id=f"tracenet-test-{uuid.uuid4().hex[:8]}",
                                worker_web_port=free_port())


@pytest.fixture
def worker(settings: Settings) -> Iterator[Worker]:
    """A real worker process for this test, stopped afterwards; its log is kept on failure."""
    proc = Worker(settings)
    proc.start(progress=lambda _msg: None)
    yield proc
    proc.stop()
