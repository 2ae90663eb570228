"""Background processes of the local stack: pid files, ports, start and stop.

Every process `tracenet up` starts gets a pid file holding its pid and start time, so that
`down` stops exactly what `up` started and never a stranger that reused the pid.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil


class StackError(RuntimeError):
    """A problem with the local stack, worded for the person running it."""


@dataclass(frozen=True)
class ManagedProcess:
    """A process of the stack, known by its pid file under the runtime folder."""

    name: str
    run_dir: Path
    log_dir: Path

    @classmethod
    def under(cls, name: str, runtime_dir: Path) -> ManagedProcess:
        """The process `name` with its pid file in runtime_dir/run and log in runtime_dir/logs."""
        return cls(name, runtime_dir / "run", runtime_dir / "logs")

    @property
    def pid_file(self) -> Path:
        return self.run_dir / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.log_dir / f"{self.name}.log"

    def process(self) -> psutil.Process | None:
        """The live process this pid file names, or None (stale pid files are removed)."""
        try:
            info = json.loads(self.pid_file.read_text())
            proc = psutil.Process(int(info["pid"]))
            if abs(proc.create_time() - float(info["started"])) > 1.0:
                raise psutil.NoSuchProcess(proc.pid)
            if proc.status() == psutil.STATUS_ZOMBIE:
                proc.wait(timeout=0)
                raise psutil.NoSuchProcess(proc.pid)
            return proc
        except (FileNotFoundError, ValueError, KeyError, psutil.Error, json.JSONDecodeError):
            self.pid_file.unlink(missing_ok=True)
            return None

    def start(self, argv: Sequence[str], env: dict[str, str] | None = None,
              cwd: Path | None = None) -> psutil.Process:
        """Start detached (own session) with output to the log file, and record its pid."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            popen = subprocess.Popen(  # noqa: S603 - argv is built by tracenet, never a shell
                list(argv), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})}, cwd=cwd, start_new_session=True,
            )
        proc = psutil.Process(popen.pid)
        self.pid_file.write_text(json.dumps({"pid": popen.pid, "started": proc.create_time(),
                                             "argv": list(argv)}))
        return proc

    def stop(self, timeout: float = 20.0) -> bool:
        """SIGTERM, then SIGKILL after the timeout. True if something was running."""
        proc = self.process()
        if proc is None:
            return False
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except psutil.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=5)
        except psutil.NoSuchProcess:
            pass
        self.pid_file.unlink(missing_ok=True)
        return True


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def port_owner(port: int) -> str:
    """Who listens on a port, in words ("pid 123 (redis-server)"), as far as we can tell."""
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
                if conn.pid:
                    try:
                        return f"pid {conn.pid} ({psutil.Process(conn.pid).name()})"
                    except psutil.Error:
                        return f"pid {conn.pid}"
                return "a process we cannot see"
    except psutil.Error:
        pass
    return "an unknown process"


def ensure_port_free(port: int, what: str, setting: str) -> None:
    if port_open(port):
        raise StackError(
            f"port {port} is already taken by {port_owner(port)}, so {what} cannot start. "
            f"Stop that process, or choose another port with {setting}=<port>."
        )


def wait_until(check, timeout: float, interval: float = 0.25) -> bool:  # type: ignore[no-untyped-def]
    """Poll `check()` until it is true or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return bool(check())


def http_ok(url: str, timeout: float = 1.0) -> bool:
    """True if a loopback HTTP endpoint answers 2xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - loopback URL
            return 200 <= resp.status < 300
    except (urllib.error.URLError, OSError):
        return False


class StackPart:
    """One process of the local stack: its folder, pid file and log under the runtime folder,
    and the one way every part reports a failed start (with its log named)."""

    name: str
    label: str
    stop_timeout: float = 20.0

    def __init__(self, runtime_dir: Path) -> None:
        self.home = runtime_dir / self.name
        self.proc = ManagedProcess.under(self.name, runtime_dir)

    def running(self) -> bool:
        return self.proc.process() is not None

    def healthy(self) -> bool:
        raise NotImplementedError

    def stop(self) -> bool:
        return self.proc.stop(timeout=self.stop_timeout)

    def await_ready(self, timeout: float, interval: float = 0.25) -> None:
        """Wait until healthy; a plain error naming the log if it died or stayed silent."""
        wait_until(lambda: self.healthy() or not self.running(), timeout, interval)
        if not self.running():
            raise StackError(f"{self.label} exited during start-up. See its log: {self.proc.log_file}")
        if not self.healthy():
            raise StackError(f"{self.label} was not ready within {timeout:.0f}s. "
                             f"See its log: {self.proc.log_file}")
