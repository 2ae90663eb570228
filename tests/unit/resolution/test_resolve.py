"""resolve(): identifiers first, blocking by country, distinctive words, evidence, determinism."""

from __future__ import annotations

import json

from streams.resolution import (
    UNKNOWN_COUNTRY,
    Entity,
    MatchEvidence,
    PartyRef,
    entity_id_for,
    resolve,
    same_party,
)

NHUA_XANH = PartyRef("Cong ty TNHH Nhua Xanh", "VN", (("VN-MST", "0312345678"),))


def _resolve_all(refs: list[PartyRef]) -> tuple[dict[str, list[Entity]], list[MatchEvidence]]:
    """What the agent does: one block of entities per country, updated in place."""
    blocks: dict[str, list[Entity]] = {}
    trail = []
    for ref in refs:
        key = ref.country or UNKNOWN_COUNTRY
        block = blocks.setdefault(key, [])
        entity, evidence = resolve(ref, block)
        blocks[key] = [e for e in block if e.entity_id != entity.entity_id] + [entity]
        trail.append(evidence)
    return blocks, trail


def test_spellings_resolve_to_one_entity_with_evidence() -> None:
    blocks, trail = _resolve_all([
        PartyRef("Cong ty TNHH Nhua Xanh", "VN"),
        PartyRef("CÔNG TY TNHH NHỰA XANH", "VN"),
        PartyRef("Nhua Xanh Co., Ltd.", "VN"),
    ])
    assert [e.method for e in trail] == ["new", "exact", "exact"]
    (entity,) = blocks["VN"]
    assert entity.label == "Cong ty TNHH Nhua Xanh"
    assert entity.aliases == ("Cong ty TNHH Nhua Xanh", "CÔNG TY TNHH NHỰA XANH", "Nhua Xanh Co., Ltd.")
    assert trail[1].matched_alias == "Cong ty TNHH Nhua Xanh" and trail[1].score == 100.0
    assert {e.entity_id for e in trail} == {entity.entity_id}


def test_fuzzy_merge_says_score_and_alias() -> None:
    entity, _ = resolve(PartyRef("PT Sinar Plastik Abadi Tbk", "ID"), [])
    merged, evidence = resolve(PartyRef("PT. SINAR PLASTIC ABADI", "ID"), [entity])
    assert evidence.method == "fuzzy" and 88 <= evidence.score < 100
    assert evidence.matched_alias == "PT Sinar Plastik Abadi Tbk"
    assert merged.entity_id == entity.entity_id and len(merged.aliases) == 2


def test_identifier_match_beats_a_different_name() -> None:
    entity, _ = resolve(NHUA_XANH, [])
    merged, evidence = resolve(PartyRef("Green Plastic Co Ltd", "VN", (("VN-MST", "031 234 5678"),)),
                               [entity])
    assert evidence.method == "identifier" and merged.entity_id == entity.entity_id
    assert "VN-MST" in evidence.detail


def test_identifier_match_beats_a_closer_name_elsewhere_in_the_block() -> None:
    other, _ = resolve(PartyRef("Nhua Xanh Trading", "VN"), [])
    owner, _ = resolve(PartyRef("Green Plastic Co Ltd", "VN", (("VN-MST", "0312345678"),)), [other])
    _, evidence = resolve(NHUA_XANH, [other, owner])
    assert evidence.entity_id == owner.entity_id and evidence.method == "identifier"


def test_conflicting_identifiers_block_identical_names() -> None:
    entity, _ = resolve(NHUA_XANH, [])
    rival = PartyRef(NHUA_XANH.name, "VN", (("VN-MST", "0398765432"),))
    second, evidence = resolve(rival, [entity])
    assert evidence.method == "new" and "conflicting identifiers" in evidence.detail
    assert second.entity_id != entity.entity_id
    third, again = resolve(rival, [entity, second])
    assert again.method == "identifier" and third.entity_id == second.entity_id


def test_an_identifier_on_one_side_only_does_not_block() -> None:
    entity, _ = resolve(NHUA_XANH, [])
    _, evidence = resolve(PartyRef("CÔNG TY TNHH NHỰA XANH", "VN"), [entity])
    assert evidence.method == "exact"


def test_countries_never_merge() -> None:
    vn, _ = resolve(PartyRef("Green Plastic Co Ltd", "VN"), [])
    _, evidence = resolve(PartyRef("Green Plastic Co Ltd", "TH"), [vn])
    assert evidence.method == "new"
    assert same_party(PartyRef("Green Plastic Co Ltd", "VN"), PartyRef("Green Plastic Co Ltd", "TH")) == (
        False, 0.0)


def test_unknown_country_matches_only_exactly_within_its_own_block() -> None:
    known = PartyRef("Pacific Scrap Trading Ltd", "SG")
    unknown = PartyRef("Pacific Scrap Trading Ltd", None)
    assert same_party(known, unknown)[0] is False
    assert same_party(unknown, PartyRef("PACIFIC SCRAP TRADING LIMITED", None))[0] is True
    assert same_party(unknown, PartyRef("Pacific Scrap Tradng Ltd", None))[0] is False
    assert same_party(PartyRef("Pacific Scrap Trading Ltd", "SG"),
                      PartyRef("Pacific Scrap Tradng Ltd", "SG"))[0] is True


def test_national_scheme_supplies_a_missing_country() -> None:
    ref = PartyRef("Green Polymer Recycling Sdn Bhd", None, (("MY-SSM", "201901012345"),))
    entity, _ = resolve(ref, [])
    assert entity.country == "MY" and entity.entity_id.startswith("ent-my-")


def test_distinctive_words_keep_companies_apart() -> None:
    trading = PartyRef("Green Polymer Trading Sdn Bhd", "MY")
    recycling = PartyRef("Green Polymer Recycling Sdn Bhd", "MY")
    assert same_party(trading, recycling) == (False, 0.0)
    entity, _ = resolve(trading, [])
    assert resolve(recycling, [entity], threshold=0.0)[1].method == "new"


def test_entity_ids_are_deterministic_and_independent_of_block_order() -> None:
    refs = [PartyRef("Everbright Polymer Trading Co., Ltd", "HK"),
            PartyRef("EVERBRIGHT POLYMER TRADING CO LTD", "HK"),
            PartyRef("Sinar Plastik Abadi, PT", "ID"), NHUA_XANH,
            PartyRef("Everbright Polymer Trading Company Limited", "HK")]
    first, trail_1 = _resolve_all(refs)
    second, trail_2 = _resolve_all(refs)
    assert first == second and trail_1 == trail_2
    assert trail_1[0].entity_id == entity_id_for(refs[0])
    block = first["HK"]
    probe = PartyRef("Everbright Polymer Trading Co Ltd", "HK")
    assert resolve(probe, block) == resolve(probe, list(reversed(block)))


def test_state_round_trips_through_json() -> None:
    entity, evidence = resolve(NHUA_XANH, [])
    merged, evidence = resolve(PartyRef("CÔNG TY TNHH NHỰA XANH", "VN"), [entity])
    assert Entity.from_dict(json.loads(json.dumps(merged.to_dict()))) == merged
    assert MatchEvidence.from_dict(json.loads(json.dumps(evidence.to_dict()))) == evidence


def test_aliases_stop_growing_at_the_cap() -> None:
    entity, _ = resolve(PartyRef("Nhua Xanh", "VN"), [])
    for n in range(40):
        entity, _ = resolve(PartyRef("Nhua Xanh" + " " * (n + 1), "VN"), [entity])
    assert len(entity.aliases) == 32
