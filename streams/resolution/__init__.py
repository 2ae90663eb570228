"""Exporter and consignee resolution: one entity per trader, however each border spells it.

Pure functions over JSON-serialisable state; the agent keeps a table of entities per country
(the blocking key) and calls :func:`resolve` for each party of each record.
"""

from streams.resolution.entities import (
    MAX_ALIASES,
    UNKNOWN_COUNTRY,
    Entity,
    MatchEvidence,
    PartyRef,
    block_key,
    clean_identifiers,
    entity_id_for,
    identifiers_from_record,
    new_entity,
    ref_block,
)
from streams.resolution.matching import (
    DEFAULT_THRESHOLD,
    GENERIC_WORDS,
    distinctive_words_agree,
    identifier_relation,
    name_score,
    resolve,
    same_party,
)
from streams.resolution.normalize import name_tokens, normalize_name, transliterate

__all__ = [
    "DEFAULT_THRESHOLD", "GENERIC_WORDS", "MAX_ALIASES", "UNKNOWN_COUNTRY", "Entity", "MatchEvidence",
    "PartyRef", "block_key", "clean_identifiers", "distinctive_words_agree", "entity_id_for",
    "identifier_relation", "identifiers_from_record", "name_score", "name_tokens", "new_entity",
    "normalize_name", "ref_block", "resolve", "same_party", "transliterate",
]
