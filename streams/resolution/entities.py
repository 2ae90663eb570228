"""Parties as declared, resolved entities and the evidence of each resolution.

All state is frozen and round-trips through plain JSON (``to_dict``/``from_dict``) so that a
Faust table can hold it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from streams.resolution.normalize import normalize_name

Identifiers = tuple[tuple[str, str], ...]
# Block of the parties whose country is not known: they only ever meet each other.
UNKNOWN_COUNTRY = "XX"
# An entity stops collecting new spellings past this many (matching still uses all it has).
MAX_ALIASES = 32
Method = Literal["identifier", "exact", "fuzzy", "new"]


def clean_identifiers(pairs: Iterable[tuple[str, str]]) -> Identifiers:
    """Schemes upper case; values without spaces, dots, dashes or slashes; sorted, no repeats."""
    out = set()
    for scheme, value in pairs:
        s = scheme.strip().upper()
        v = "".join(ch for ch in value.upper() if ch.isalnum())
        if s and v:
            out.add((s, v))
    return tuple(sorted(out))


def identifiers_from_record(party: Mapping[str, Any]) -> Identifiers:
    """Identifiers of a record's Party (``[{"scheme", "value"}]``)."""
    return clean_identifiers((i["scheme"], i["value"]) for i in party.get("identifiers") or ())


@dataclass(frozen=True)
class PartyRef:
    """A trader as one record names it."""

    name: str
    country: str | None
    identifiers: Identifiers = ()

    @classmethod
    def from_record(cls, party: Mapping[str, Any]) -> PartyRef:
        return cls(name=party["name"], country=party.get("country"),
                   identifiers=identifiers_from_record(party))


def block_key(country: str | None, identifiers: Identifiers = ()) -> str:
    """Country used for blocking: declared, else implied by a national scheme ("VN-MST"), else XX."""
    if country and country.strip():
        return country.strip().upper()
    for scheme, _ in identifiers:
        prefix, sep, _rest = scheme.partition("-")
        if sep and len(prefix) == 2 and prefix.isalpha():
            return prefix
    return UNKNOWN_COUNTRY


def ref_block(ref: PartyRef) -> str:
    return block_key(ref.country, clean_identifiers(ref.identifiers))


@dataclass(frozen=True)
class Entity:
    """One trader as the network knows it: first spelling, other spellings, identifiers."""

    entity_id: str
    country: str | None
    canonical: str
    aliases: tuple[str, ...]
    identifiers: Identifiers

    @property
    def label(self) -> str:
        """The first spelling seen, in its original script: what an officer reads."""
        return self.aliases[0] if self.aliases else self.canonical

    @property
    def block(self) -> str:
        return block_key(self.country, self.identifiers)

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "country": self.country, "canonical": self.canonical,
                "aliases": list(self.aliases), "identifiers": [list(p) for p in self.identifiers]}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Entity:
        return cls(entity_id=raw["entity_id"], country=raw.get("country"),
                   canonical=raw["canonical"], aliases=tuple(raw.get("aliases", ())),
                   identifiers=tuple((s, v) for s, v in raw.get("identifiers", ())))


@dataclass(frozen=True)
class MatchEvidence:
    """Why a name went to the entity it went to: kept with every merge and every new entity."""

    method: Method
    score: float
    matched_alias: str | None
    name: str
    entity_id: str = ""
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "score": self.score, "matched_alias": self.matched_alias,
                "name": self.name, "entity_id": self.entity_id, "detail": self.detail}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> MatchEvidence:
        return cls(method=raw["method"], score=float(raw["score"]),
                   matched_alias=raw.get("matched_alias"), name=raw["name"],
                   entity_id=raw.get("entity_id", ""), detail=raw.get("detail", ""))


def entity_id_for(ref: PartyRef, taken: Iterable[str] = ()) -> str:
    """Deterministic id of a new entity: "ent-<country>-" + hash of country and key text.

    ``taken`` are the ids already in the block: a second company with the same name but a
    conflicting identifier gets an id salted with its identifiers (then a counter).
    """
    country = ref_block(ref)
    key = normalize_name(ref.name)
    seed = f"{country}|{key}"
    taken = set(taken)
    candidate = _hashed(country, seed)
    if candidate in taken:
        seed = f"{seed}|{clean_identifiers(ref.identifiers)}"
        candidate = _hashed(country, seed)
    n = 1
    while candidate in taken:
        n += 1
        candidate = _hashed(country, f"{seed}|{n}")
    return candidate


def _hashed(country: str, seed: str) -> str:
    return f"ent-{country.lower()}-{hashlib.sha256(seed.encode()).hexdigest()[:12]}"


def new_entity(ref: PartyRef, taken: Iterable[str] = ()) -> Entity:
    country = ref_block(ref)
    return Entity(entity_id=entity_id_for(ref, taken),
                  country=None if country == UNKNOWN_COUNTRY else country,
                  canonical=normalize_name(ref.name), aliases=(ref.name,),
                  identifiers=clean_identifiers(ref.identifiers))


def with_spelling(entity: Entity, ref: PartyRef) -> Entity:
    """The entity having also seen this spelling and these identifiers."""
    aliases = entity.aliases
    if ref.name not in aliases and len(aliases) < MAX_ALIASES:
        aliases = (*aliases, ref.name)
    identifiers = clean_identifiers((*entity.identifiers, *ref.identifiers))
    return Entity(entity.entity_id, entity.country, entity.canonical, aliases, identifiers)
