"""The local stack's plain-words errors: what a newcomer sees when the machine is not ready."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from deploy.local import kafka
from deploy.local.processes import StackError, ensure_port_free
from streams.settings import Settings


def test_a_taken_port_is_named_with_the_process_holding_it() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(StackError) as err:
            ensure_port_free(port, "Redis", "TRACENET_REDIS_PORT")
    message = str(err.value)
    assert f"port {port} is already taken by pid {os.getpid()}" in message
    assert "TRACENET_REDIS_PORT=<port>" in message


def test_missing_java_is_said_in_words(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match="Java is not installed. Kafka needs Java 17"):
        kafka.check_java()


def test_old_java_is_said_in_words(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "java"
    fake.write_text('#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StackError, match="Java 11 found .* needs Java 17 or newer"):
        kafka.check_java()


def test_maven_failing_names_the_artifact(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pom = tmp_path / "pom.xml"
    pom.write_text(kafka.POM.read_text().replace(
        f"<kafka.version>{kafka.kafka_version()}</kafka.version>",
        "<kafka.version>0.0.0-no-such-release</kafka.version>"))
    monkeypatch.setattr(kafka, "POM", pom)
    settings = Settings.from_env({}).with_(cache_dir=tmp_path / "cache")
    with pytest.raises(StackError) as err:
        kafka.ensure_jars(settings, progress=lambda _m: None)
    assert "kafka_2.13" in str(err.value) and "0.0.0-no-such-release" in str(err.value)
    assert "Maven Central" in str(err.value)
