"""Resolve a declared party to a known entity of its country, or to a new one.

Order of the decision, for one party against the entities of its country's block:

1. Identifiers. A shared scheme with different values (``VN-MST`` 0312345678 against
   0398765432) is a conflict: never merged, whatever the names say. A shared
   ``(scheme, value)`` without any conflict is a match, whatever the names say.
2. Exact: same canonical key (order-insensitive tokens without legal forms).
3. Fuzzy: ``score = (token_sort_ratio + token_set_ratio) / 2`` (rapidfuzz, 0-100) against
   every spelling of the entity, at least ``DEFAULT_THRESHOLD``, and the distinctive-word
   check passes: if both names keep a word the other lacks ("trading" against "recycling"),
   they are two companies; if only one does, that word must be a generic business word
   ("Everbright Polymer" may be "Everbright Polymer Trading", "Kilang Plastik Jaya" is not
   "Kilang Plastik Jaya Utara"). Words match when equal or one edit apart (two for nine
   letters or more: "plastik"/"plastic", "everbrigth"/"everbright"; never "waste"/"water"),
   and leftovers match when they are the same letters split differently ("nhuaxanh",
   "e-waste"/"ewaste", "Ningbo Haixin" / "宁波海鑫"); single letters count as generic.
4. Otherwise a new entity.

Blocking: parties of different countries never merge. A party without a country goes to the
``XX`` block (unless a national identifier scheme such as ``MY-SSM`` names the country) and
there matches only by identifier or exact key, never fuzzily: a name alone, across a whole
region, is too weak. Ties go to the smallest entity id so that block order does not matter.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from streams.resolution.entities import (
    UNKNOWN_COUNTRY,
    Entity,
    Identifiers,
    MatchEvidence,
    PartyRef,
    clean_identifiers,
    new_entity,
    ref_block,
    with_spelling,
)
from streams.resolution.normalize import name_tokens, normalize_name

DEFAULT_THRESHOLD = 88.0
# Words a company may add or drop from its name without becoming another company.
GENERIC_WORDS = frozenset("""
    and trading trade traders recycling recyclers industries industry industrial international
    group holdings holding enterprise enterprises import export exports manufacturing services
    service solutions resources thuong mai xuat nhap khau san perniagaan syarikat
""".split())


def identifier_relation(a: Identifiers, b: Identifiers) -> str:
    """"conflict", "match" or "none" between two sets of cleaned identifiers."""
    schemes_a: dict[str, set[str]] = {}
    for scheme, value in a:
        schemes_a.setdefault(scheme, set()).add(value)
    schemes_b: dict[str, set[str]] = {}
    for scheme, value in b:
        schemes_b.setdefault(scheme, set()).add(value)
    shared = schemes_a.keys() & schemes_b.keys()
    if any(not (schemes_a[s] & schemes_b[s]) for s in shared):
        return "conflict"
    return "match" if shared else "none"


def name_score(a: str, b: str) -> float:
    """Similarity of two names, 0-100, after normalisation; 0 when the words say they differ."""
    ka, kb = normalize_name(a), normalize_name(b)
    if ka == kb:
        return 100.0
    ta, tb = name_tokens(a), name_tokens(b)
    if not distinctive_words_agree(ta, tb):
        return 0.0
    if "".join(ta) == "".join(tb):
        return 99.0  # the same letters, split into words differently
    return round((fuzz.token_sort_ratio(ka, kb) + fuzz.token_set_ratio(ka, kb)) / 2, 2)


def distinctive_words_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """False when the names keep words that make them two companies, not two spellings."""
    if "".join(a) == "".join(b):
        return True
    a, b = tuple(a), tuple(b)
    left = [w for w in a if not _has_word(w, b)]
    right = [w for w in b if not _has_word(w, a)]
    if "".join(left) == "".join(right):
        return True
    if left and right:
        return False
    return all(w in GENERIC_WORDS or len(w) == 1 for w in left + right)


@lru_cache(maxsize=262144)
def _has_word(word: str, words: tuple[str, ...]) -> bool:
    """Cached: a block's aliases and the region's business words recur in every query."""
    if word in words:
        return True
    if len(word) < 5 or word.isdigit():
        return False
    for other in words:
        shortest = min(len(word), len(other))
        if shortest < 5 or other.isdigit():
            continue
        if Levenshtein.distance(word, other) <= (2 if shortest >= 9 else 1):
            return True
    return False


def resolve(ref: PartyRef, block: Sequence[Entity],
            threshold: float = DEFAULT_THRESHOLD) -> tuple[Entity, MatchEvidence]:
    """The entity this party is (with its spelling and identifiers added), and why."""
    country = ref_block(ref)
    ids = clean_identifiers(ref.identifiers)
    candidates = sorted((e for e in block if e.block == country), key=lambda e: e.entity_id)
    allowed = []
    for entity in candidates:
        relation = identifier_relation(ids, entity.identifiers)
        if relation == "match":
            return with_spelling(entity, ref), MatchEvidence(
                "identifier", 100.0, _best_alias(ref.name, entity)[1], ref.name, entity.entity_id,
                f"same {_shared_schemes(ids, entity.identifiers)}")
        if relation == "none":
            allowed.append(entity)
    score, alias, found = _best_candidate(ref.name, allowed, threshold)
    if found is not None and score == 100.0:
        return with_spelling(found, ref), MatchEvidence("exact", 100.0, alias, ref.name,
                                                        found.entity_id, "same canonical key")
    if found is not None and score >= threshold and country != UNKNOWN_COUNTRY:
        return with_spelling(found, ref), MatchEvidence(
            "fuzzy", score, alias, ref.name, found.entity_id, f"score {score:.1f} >= {threshold:.1f}")
    entity = new_entity(ref, (e.entity_id for e in block))
    detail = f"closest {alias!r} scored {score:.1f}" if alias else "no candidate in block"
    if len(allowed) < len(candidates):
        detail += f"; {len(candidates) - len(allowed)} blocked by conflicting identifiers"
    return entity, MatchEvidence("new", score, alias, ref.name, entity.entity_id, detail)


@lru_cache(maxsize=65536)
def _letters(name: str) -> str:
    return "".join(name_tokens(name))


def _best_candidate(name: str, entities: Sequence[Entity],
                    threshold: float) -> tuple[float, str | None, Entity | None]:
    """The best-scoring alias of a block, exactly as :func:`name_score` ranks them.

    A busy country block holds thousands of aliases, so the fuzzy part of every score is
    computed by rapidfuzz in one call per scorer, and the word-level check runs first on the
    aliases that could reach the threshold (or share the key or the letters); the others are
    scored, best first, only while one of them could still be the closest near miss."""
    # spellings that differ only in case, punctuation or legal form score the same: keep the
    # first of each, which is also the one a tie would pick
    firsts: dict[tuple[str, ...], tuple[Entity, str]] = {}
    for entity in entities:
        for alias in entity.aliases:
            firsts.setdefault(name_tokens(alias), (entity, alias))
    pairs = list(firsts.values())
    if not pairs:
        return 0.0, None, None
    key, letters = normalize_name(name), _letters(name)
    keys = [normalize_name(alias) for _, alias in pairs]
    rough = [0.0] * len(keys)
    for scorer in (fuzz.token_sort_ratio, fuzz.token_set_ratio):
        for _choice, value, index in process.extract(key, keys, scorer=scorer, limit=None):
            rough[index] += value / 2
    best: tuple[float, int] = (0.0, -1)
    unlikely = []
    for index, (_entity, alias) in enumerate(pairs):
        if rough[index] >= threshold or keys[index] == key or _letters(alias) == letters:
            score = name_score(name, alias)
            if score > best[0] or (score == best[0] > 0 and index < best[1]):
                best = (score, index)
        else:
            unlikely.append(index)
    if best[0] >= threshold:
        unlikely = []  # a match is found; the near misses below cannot change it
    for index in sorted(unlikely, key=rough.__getitem__, reverse=True):  # stable: ties by index
        if round(rough[index], 2) < best[0]:
            break
        score = name_score(name, pairs[index][1])  # rough, or 0 when the words differ
        if score > best[0] or (score == best[0] > 0 and index < best[1]):
            best = (score, index)
    if best[1] < 0:
        return 0.0, None, None
    entity, alias = pairs[best[1]]
    return best[0], alias, entity


def same_party(a: PartyRef, b: PartyRef, threshold: float = DEFAULT_THRESHOLD) -> tuple[bool, float]:
    """Whether ``resolve`` would put b on the entity a created: the labelled-pair evaluation."""
    if ref_block(a) != ref_block(b):
        return False, 0.0
    _, evidence = resolve(b, [new_entity(a)], threshold)
    return evidence.method != "new", evidence.score


def _best_alias(name: str, entity: Entity) -> tuple[float, str | None]:
    best: tuple[float, str | None] = (0.0, None)
    for alias in entity.aliases:
        score = name_score(name, alias)
        if score > best[0]:
            best = (score, alias)
    return best


def _shared_schemes(a: Identifiers, b: Identifiers) -> str:
    return ", ".join(sorted({s for s, v in a} & {s for s, v in b}))
