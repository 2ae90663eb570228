"""Redis of the local stack, from Debian's redis-server, on its own loopback port."""

from __future__ import annotations

import shutil

import redis

from deploy.local.processes import StackError, StackPart, ensure_port_free
from streams.settings import Settings


class RedisServer(StackPart):
    """Persistence is AOF for `up` and off for tests (TRACENET_REDIS_PERSISTENCE=0)."""

    name, label = "redis", "Redis"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings.runtime_dir)
        self.settings = settings

    def healthy(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.settings.redis_url, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def start(self, timeout: float = 20.0, progress=print) -> None:  # type: ignore[no-untyped-def]
        if self.running():
            return
        binary = shutil.which("redis-server")
        if binary is None:
            raise StackError("redis-server is not installed. Install it with "
                             "`apt-get install redis-server` (or run `make setup`).")
        ensure_port_free(self.settings.redis_port, "Redis", "TRACENET_REDIS_PORT")
        self.home.mkdir(parents=True, exist_ok=True)
        persist = self.settings.redis_persistence
        conf = self.home / "redis.conf"
        conf.write_text("\n".join([
            "bind 127.0.0.1",
            "protected-mode yes",
            f"port {self.settings.redis_port}",
            f"dir {self.home}",
            "daemonize no",
            f"appendonly {'yes' if persist else 'no'}",
            "appendfsync everysec",
            'save ""' if not persist else "save 3600 1",
            "",
        ]))
        self.proc.start([binary, str(conf)])
        progress(f"Starting Redis on 127.0.0.1:{self.settings.redis_port} ...")
        self.await_ready(timeout)
