"""Events and networks for correlation tests: the fields a test varies, the rest sensible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streams.correlation import CorrelationConfig, Event
from streams.network import Network, Node, Role

T0 = datetime(2026, 9, 2, 3, 15, tzinfo=UTC)
NETWORK = Network(
    nodes=(Node("VN", "Viet Nam", Role.MEMBER, ("VNHPH", "VNCLI")),
           Node("MY", "Malaysia", Role.MEMBER, ("MYPKG",)),
           Node("TH", "Thailand", Role.MEMBER, ("THLCH",)),
           Node("ID", "Indonesia", Role.MEMBER, ("IDTPP",)),
           Node("AU", "Australia", Role.OBSERVER, ("AUSYD",)),
           Node("RILO", "RILO A/P", Role.DESK)),
    cugs={"DEMETER": frozenset({"VN", "MY", "ID", "RILO"})},
)
CFG = CorrelationConfig(members=frozenset({"VN", "MY", "TH", "ID"}), desks=frozenset({"RILO"}))
ALL = frozenset(NETWORK.codes)


def ev(record_id: str, node: str, days: float, record_type: str = "alert", *,
       outcome: str | None = None, exporter: str | None = "ent-hk-everbright",
       consignee: str | None = None, containers: tuple[str, ...] = (),
       bills: tuple[str, ...] = (), audience: frozenset[str] = ALL, late_days: float = 0,
       name: str | None = "Everbright Polymer Trading Co., Ltd", tlp: str = "AMBER") -> Event:
    """An event ``days`` after T0, issued ``late_days`` after it happened."""
    when = T0 + timedelta(days=days)
    return Event(record_id=record_id, record_type=record_type, node=node,  # type: ignore[arg-type]
                 event_time=when, issued_at=when + timedelta(days=late_days), outcome=outcome,
                 exporter=exporter, consignee=consignee, containers=containers,
                 bills_of_lading=bills, audience=audience,
                 summary=f"{node} {record_type} {outcome or ''} {record_id}".strip(),
                 exporter_name=name if exporter else None, tlp=tlp)


def refused(record_id: str, node: str, days: float, **kwargs: object) -> Event:
    return ev(record_id, node, days, "seizure", outcome="REFUSED_ENTRY", **kwargs)  # type: ignore[arg-type]
