"""Records to cases as the agents will run it: resolve, build events, keep histories, evaluate.

The Faust wiring lives elsewhere; this is the same sequence with dicts for tables, replayed.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas import examples
from streams.correlation import (
    Case,
    CorrelationConfig,
    add_event,
    all_findings,
    evaluate_all,
    event_from_record,
    history_from_dict,
    history_to_dict,
    keys_of,
)
from streams.network import Network
from streams.resolution import UNKNOWN_COUNTRY, Entity, PartyRef, resolve
from streams.settings import PROJECT_ROOT, Settings

NETWORK = Network.load(PROJECT_ROOT / "deploy" / "network.toml")
CFG = CorrelationConfig.from_settings(Settings(), NETWORK)
T0 = datetime(2026, 9, 2, 3, 15, tzinfo=UTC)


def _party(name: str, country: str, *ids: tuple[str, str]) -> dict[str, Any]:
    return {"name": name, "country": country, "address": None,
            "identifiers": [{"scheme": s, "value": v} for s, v in ids]}


def _record(kind: str, n: int, node: str, days: int, exporter: dict[str, Any], box: str,
            **extra: Any) -> tuple[str, dict[str, Any]]:
    record = (examples.seizure if kind == "seizure" else examples.alert)(node, T0 + timedelta(days=days))
    record.update(record_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"tracenet-test-{n}")), exporter=exporter,
                  consignee=None, containers=[box], bill_of_lading=None, **extra)
    return kind, record


EVERBRIGHT = ("HK-BR", "71234567")
SEASON = [
    _record("seizure", 1, "VN", 0, _party("Everbright Polymer Trading Co., Ltd", "HK", EVERBRIGHT),
            "MSKU2045186", outcome="REFUSED_ENTRY", port="VNHPH"),
    _record("alert", 2, "MY", 19, _party("EVERBRIGHT POLYMER TRADING CO LTD", "HK"), "TGHU8812306"),
    _record("alert", 3, "TH", 44, _party("Everbright Polymer Trading Company Limited", "HK"), "TCLU3091147"),
    _record("alert", 4, "MY", -22, _party("Green Polymer Recycling Sdn. Bhd.", "MY"), "CMAU5502177"),
    _record("alert", 5, "MY", 13, _party("GREEN POLYMER RECYCLING SDN BHD", "MY"), "CMAU5502177"),
    _record("alert", 6, "TH", 48, _party("Green Polymer Trading Ltd", "SG"), "HLXU6618723"),
    _record("seizure", 7, "PH", -5, _party("Harbour Line Metal Scrap Ltd", "AU"), "SEGU4100938",
            outcome="SEIZED", port="PHMNL"),
    _record("alert", 8, "ID", 30, _party("Nusantara Logistik Elektronik, PT", "ID"), "SEGU4100938"),
]


class Tables:
    """What the agents keep, as JSON: entities per country, histories per key, cases per id."""

    def __init__(self) -> None:
        self.entities: dict[str, list[dict[str, Any]]] = {}
        self.histories: dict[str, list[dict[str, Any]]] = {}
        self.cases: dict[str, dict[str, Any]] = {}
        self.versions: list[tuple[str, int]] = []

    def exporter_of(self, party: dict[str, Any]) -> str:
        ref = PartyRef.from_record(party)
        key = ref.country or UNKNOWN_COUNTRY
        block = [Entity.from_dict(e) for e in self.entities.get(key, [])]
        entity, _evidence = resolve(ref, block)
        others = [e.to_dict() for e in block if e.entity_id != entity.entity_id]
        self.entities[key] = [*others, entity.to_dict()]
        return entity.entity_id

    def take(self, kind: str, record: dict[str, Any], now: datetime) -> None:
        event = event_from_record(kind, record, self.exporter_of(record["exporter"]), None, NETWORK)
        keys = [f"exporter:{k}" for k in keys_of(event, "EXPORTER")]
        keys += [f"container:{k}" for k in keys_of(event, "CONTAINER")]
        for key in keys:
            history, added = add_event(history_from_dict(self.histories.get(key, [])), event, CFG.horizon)
            self.histories[key] = json.loads(json.dumps(history_to_dict(history)))
            if not added:
                continue
            known = {cid: Case.from_dict(c) for cid, c in self.cases.items()}
            for case in evaluate_all(all_findings(history, CFG), known, now):
                self.cases[case.case_id] = json.loads(json.dumps(case.to_dict()))
                self.versions.append((case.case_id, case.version))


def test_a_season_of_records_opens_the_expected_cases_and_replays_change_nothing() -> None:
    tables = Tables()
    now = T0 + timedelta(days=60)
    for kind, record in reversed(SEASON):  # arrival order opposite to event order
        tables.take(kind, record, now)
    found = sorted((c["rule"], c["entity_label"] if c["entity_kind"] != "CONTAINER" else c["entity_key"],
                    tuple(c["nodes"])) for c in tables.cases.values())
    assert found == [
        ("PORT_HOPPING", "Everbright Polymer Trading Co., Ltd", ("MY", "TH", "VN")),
        ("PORT_HOPPING", "SEGU4100938", ("ID", "PH")),
        ("REPEAT_EXPORTER", "Everbright Polymer Trading Co., Ltd", ("MY", "TH", "VN")),
        ("REUSED_CONTAINER", "SEGU4100938", ("ID", "PH")),
    ]
    hopping = next(c for c in tables.cases.values()
                   if c["rule"] == "PORT_HOPPING" and c["entity_kind"] == "EXPORTER")
    assert set(hopping["aliases"]) == {"EVERBRIGHT POLYMER TRADING CO LTD",
                                       "Everbright Polymer Trading Company Limited"}
    before = (json.dumps(tables.cases, sort_keys=True), list(tables.versions))
    for kind, record in SEASON + SEASON:
        tables.take(kind, record, now + timedelta(days=1))
    assert (json.dumps(tables.cases, sort_keys=True), tables.versions) == before


def test_config_comes_from_settings_and_the_network_file() -> None:
    cfg = CorrelationConfig.from_settings(Settings().with_(port_hopping_window_days=30), NETWORK)
    assert cfg.port_hopping_window == timedelta(days=30)
    assert cfg.repeat_exporter_nodes == 2 and cfg.repeat_exporter_window == timedelta(days=180)
    assert cfg.desks == {"RILO"} and "AU" not in cfg.members and "VN" in cfg.members
    assert cfg.horizon == timedelta(days=180, seconds=300)
