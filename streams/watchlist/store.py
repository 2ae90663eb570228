"""Redis layout of the watchlist, exporter profiles and cases, read and written in one place.

Keys (all under ``tracenet:``):
- ``case:<case_id>``: the latest version of a case, as JSON; ``cases``: sorted set of case
  ids by last update. Written from the cases topic, so Redis can always be rebuilt from it.
- ``exporter:<entity_id>``: an exporter's profile (label, country, aliases, events per node)
  and, while it has open cases, its score and case ids.
- ``exporter-cases:<entity_id>``: the ids of an exporter's cases.
- ``watchlist``: sorted set of exporter entity ids with an open case, by score;
  ``watchlist:country:<CC>``: the same ids per country, the block screening searches.

Every write is a full snapshot of one key (never an increment), so replaying the same
input leaves Redis as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import redis

from streams.settings import Settings

PREFIX = "tracenet:"
NO_COUNTRY = "--"
OPEN_STATUSES = ("OPEN", "ESCALATED")
MARKER = f"{PREFIX}watchlist:rebuilt"


def entity_country(entity_id: str) -> str:
    """The block country an exporter entity id carries ("ent-hk-3f2a..." is HK)."""
    parts = entity_id.split("-")
    return parts[1].upper() if len(parts) == 3 and parts[0] == "ent" else NO_COUNTRY


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value)
    raise TypeError(f"cannot store {type(value).__name__} in the watchlist")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class ExporterProfile:
    """What the network knows of one resolved exporter: the skeleton's count, grown up."""

    entity_id: str
    label: str
    country: str | None
    aliases: tuple[str, ...] = ()
    nodes: dict[str, int] = field(default_factory=dict)
    score: float = 0.0
    case_ids: tuple[str, ...] = ()

    @property
    def events(self) -> int:
        return sum(self.nodes.values())

    def profile_fields(self) -> dict[str, str]:
        """What the correlation stage knows; score and case ids belong to the case writer."""
        return {"entity_id": self.entity_id, "label": self.label, "country": self.country or "",
                "aliases": dumps(list(self.aliases)), "nodes": dumps(self.nodes),
                "events": str(self.events)}

    @classmethod
    def from_hash(cls, raw: dict[str, str]) -> ExporterProfile:
        return cls(entity_id=raw["entity_id"], label=raw.get("label", ""),
                   country=raw.get("country") or None,
                   aliases=tuple(json.loads(raw.get("aliases", "[]"))),
                   nodes={k: int(v) for k, v in json.loads(raw.get("nodes", "{}")).items()},
                   score=float(raw.get("score", 0) or 0),
                   case_ids=tuple(json.loads(raw.get("case_ids", "[]"))))


class WatchlistStore:
    """Synchronous access; agents call it through asyncio.to_thread."""

    def __init__(self, client: redis.Redis) -> None:
        self.redis = client

    @classmethod
    def connect(cls, settings: Settings) -> WatchlistStore:
        return cls(redis.Redis.from_url(settings.redis_url, decode_responses=True,
                                        socket_timeout=5, socket_connect_timeout=2))

    def ping(self) -> None:
        """Raise a plain RedisUnreachable when Redis does not answer."""
        try:
            self.redis.ping()
        except redis.RedisError as exc:
            raise RedisUnreachable(f"Redis does not answer at {self._where()}: {exc}. Is the stack "
                                   f"up? `tracenet status` tells.") from exc

    def _where(self) -> str:
        kwargs = self.redis.connection_pool.connection_kwargs
        return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}"

    # -- exporter profiles -----------------------------------------------------------------
    def save_profile(self, profile: ExporterProfile) -> None:
        """One write that leaves the watchlist's score and case ids as they are."""
        self.redis.hset(f"{PREFIX}exporter:{profile.entity_id}", mapping=profile.profile_fields())

    def profile(self, entity_id: str) -> ExporterProfile | None:
        raw = self.redis.hgetall(f"{PREFIX}exporter:{entity_id}")
        return ExporterProfile.from_hash(raw) if raw else None

    def exporters(self, min_nodes: int = 1) -> list[ExporterProfile]:
        profiles = [self.profile(key.removeprefix(f"{PREFIX}exporter:"))
                    for key in self.redis.scan_iter(f"{PREFIX}exporter:*")]
        chosen = [p for p in profiles if p is not None and len(p.nodes) >= min_nodes]
        return sorted(chosen, key=lambda p: (-len(p.nodes), -p.events, p.label))

    # -- cases and the watchlist -----------------------------------------------------------
    def save_case(self, case: dict[str, Any]) -> bool:
        """Store a case version; older or equal versions than the stored one are ignored."""
        key = f"{PREFIX}case:{case['case_id']}"
        stored = self.redis.get(key)
        if stored is not None and json.loads(stored).get("version", 0) >= case.get("version", 0):
            return False
        updated = case["updated_at"].timestamp() if isinstance(case["updated_at"], datetime) else 0
        pipe = self.redis.pipeline()
        pipe.set(key, dumps(case))
        pipe.zadd(f"{PREFIX}cases", {case["case_id"]: updated})
        if case.get("entity_kind") == "EXPORTER":
            pipe.sadd(f"{PREFIX}exporter-cases:{case['entity_key']}", case["case_id"])
        pipe.execute()
        if case.get("entity_kind") == "EXPORTER":
            self._watch_exporter(case)
        return True

    def _exporter_cases(self, entity: str) -> list[dict[str, Any]]:
        ids = sorted(self.redis.smembers(f"{PREFIX}exporter-cases:{entity}"))
        raw = self.redis.mget([f"{PREFIX}case:{i}" for i in ids]) if ids else []
        return [json.loads(r) for r in raw if r]

    def _watch_exporter(self, case: dict[str, Any]) -> None:
        entity = case["entity_key"]
        key = f"{PREFIX}exporter:{entity}"
        cases = [c for c in self._exporter_cases(entity) if c.get("status") in OPEN_STATUSES]
        score = max((float(c["score"]) for c in cases), default=0.0)
        country = self.redis.hget(key, "country") or entity_country(entity)
        pipe = self.redis.pipeline()
        pipe.hset(key, mapping={"entity_id": entity, "score": str(score),
                                "case_ids": dumps(sorted(c["case_id"] for c in cases))})
        pipe.hsetnx(key, "label", case.get("entity_label", entity))
        pipe.hsetnx(key, "aliases", dumps(case.get("aliases", [])))
        pipe.hsetnx(key, "country", country)
        if cases:
            pipe.zadd(f"{PREFIX}watchlist", {entity: score})
            pipe.sadd(f"{PREFIX}watchlist:country:{country}", entity)
        else:
            pipe.zrem(f"{PREFIX}watchlist", entity)
            pipe.srem(f"{PREFIX}watchlist:country:{country}", entity)
        pipe.execute()

    def cases(self) -> list[dict[str, Any]]:
        ids = self.redis.zrange(f"{PREFIX}cases", 0, -1)
        raw = self.redis.mget([f"{PREFIX}case:{i}" for i in ids]) if ids else []
        return [json.loads(r) for r in raw if r]

    def watchlist(self, country: str | None = None) -> list[ExporterProfile]:
        if country:
            ids = list(self.redis.smembers(f"{PREFIX}watchlist:country:{country.upper()}"))
        else:
            ids = self.redis.zrevrange(f"{PREFIX}watchlist", 0, -1)
        return [p for p in (self.profile(i) for i in ids) if p is not None]

    def size(self) -> int:
        return int(self.redis.zcard(f"{PREFIX}watchlist"))

    def rebuild(self, cases: Iterable[dict[str, Any]]) -> int:
        """Forget cases and the watchlist (profiles stay), then store these cases again."""
        for pattern in ("case:*", "cases", "exporter-cases:*", "watchlist", "watchlist:country:*"):
            keys = list(self.redis.scan_iter(f"{PREFIX}{pattern}"))
            if keys:
                self.redis.delete(*keys)
        count = sum(self.save_case(case) for case in cases)
        self.redis.set(MARKER, "1")
        return count

    def has_marker(self) -> bool:
        """False once Redis lost what a rebuild put there (flushed, or restarted empty)."""
        return bool(self.redis.exists(MARKER))


class RedisUnreachable(ConnectionError):
    """Redis is down or elsewhere; the message says where we looked."""
