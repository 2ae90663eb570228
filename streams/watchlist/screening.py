"""Screening a declared exporter against the watchlist, through the engine's own resolution.

A name is a hit when `resolve` would put it on a watchlisted entity: the same spelling,
script, legal-form and identifier rules that built the cases, so screening and correlation
never disagree about who a trader is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from streams.resolution import DEFAULT_THRESHOLD, Entity, PartyRef, normalize_name, resolve
from streams.watchlist.store import ExporterProfile, WatchlistStore


@dataclass(frozen=True)
class ScreenResult:
    query: str
    country: str | None
    hit: ExporterProfile | None
    method: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        hit = None if self.hit is None else {
            "entity_id": self.hit.entity_id, "exporter": self.hit.label, "country": self.hit.country,
            "score": self.hit.score, "aliases": list(self.hit.aliases),
            "case_ids": list(self.hit.case_ids)}
        return {"query": self.query, "country": self.country, "hit": hit, "method": self.method,
                "match_score": self.score}


def _entity(profile: ExporterProfile) -> Entity:
    return Entity(profile.entity_id, profile.country, normalize_name(profile.label),
                  (profile.label, *profile.aliases), ())


def screen_profiles(name: str, country: str | None, profiles: list[ExporterProfile],
                    threshold: float = DEFAULT_THRESHOLD) -> ScreenResult:
    """Pure: the best watchlisted match for a name, within its country when one is given."""
    country = country.strip().upper() if country else None
    best = ScreenResult(name, country, None, "none", 0.0)
    countries = [country] if country else sorted({p.country for p in profiles if p.country})
    for block in countries:
        candidates = [_entity(p) for p in profiles if p.country == block]
        if not candidates:
            continue
        entity, evidence = resolve(PartyRef(name, block), candidates, threshold)
        if evidence.method != "new" and evidence.score > best.score:
            hit = next(p for p in profiles if p.entity_id == entity.entity_id)
            best = ScreenResult(name, country, hit, evidence.method, evidence.score)
    return best


def screen(store: WatchlistStore, name: str, country: str | None = None) -> ScreenResult:
    return screen_profiles(name, country, store.watchlist(country))
