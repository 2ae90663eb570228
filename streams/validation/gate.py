"""The validation gate: one message from a node's ingress topic in, a verdict out.

Pure (no Kafka): the agent hands it the bytes and where they came from. Every way a
message can be wrong ends in a dead-letter record with a reason code from a small fixed
set (it labels a metric) and a sentence the publishing node can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from schemas.codec import CodecError, RecordCodec
from streams.network import Network
from streams.topics import node_of_ingress
from streams.validation.checks import Finding, validate

# what a node may publish; cases and dead letters are the network's own records
PUBLISHABLE = ("SuspiciousShipmentAlert", "SeizureReport", "ControlResult")


@dataclass(frozen=True)
class Accepted:
    node: str
    record_type: str
    record: dict
    warnings: tuple[Finding, ...]


@dataclass(frozen=True)
class Rejected:
    node: str | None
    reason_code: str
    dead_letter: dict


def _reject(data: bytes, *, topic: str, partition: int, offset: int, node: str | None,
            record_type: str | None, code: str, reason: str, now: datetime,
            findings: tuple[Finding, ...] = ()) -> Rejected:
    return Rejected(node, code, {
        "original": data, "topic": topic, "partition": partition, "offset": offset,
        "node": node, "record_type": record_type, "reason_code": code, "reason": reason,
        "first_seen": now,
        "findings": [{"code": f.code, "field": f.field, "message": f.message} for f in findings],
    })


def check_message(data: bytes | None, *, topic: str, partition: int, offset: int,
                  network: Network, codec: RecordCodec, now: datetime,
                  skew: timedelta) -> Accepted | Rejected:
    """Decode and validate one ingress message; never raises for bad input."""
    data = data or b""
    where = {"topic": topic, "partition": partition, "offset": offset, "now": now}
    node = node_of_ingress(topic)
    if node is None or node not in network.codes:
        return _reject(data, node=node, record_type=None, code="unknown_node",
                       reason=f"topic {topic} is not the ingress topic of a configured node", **where)
    if not data:
        return _reject(data, node=node, record_type=None, code="empty_message",
                       reason="the message has no content", **where)
    try:
        decoded = codec.decode(data)
    except CodecError as exc:
        return _reject(data, node=node, record_type=None, code=exc.reason_code, reason=str(exc),
                       **where)
    if decoded.record_type not in PUBLISHABLE:
        return _reject(data, node=node, record_type=decoded.record_type,
                       code="record_type_not_allowed",
                       reason=f"a node may publish alerts, seizures and control results, "
                              f"not {decoded.record_type}", **where)
    findings = validate(decoded.record_type, decoded.record, issuing_node=node, network=network,
                        now=now, skew=skew)
    errors = tuple(f for f in findings if f.severity == "error")
    if errors:
        reason = "; ".join(f.words for f in errors)
        return _reject(data, node=node, record_type=decoded.record_type, code=errors[0].code,
                       reason=reason, findings=tuple(findings), **where)
    warnings = tuple(f for f in findings if f.severity == "warning")
    return Accepted(node, decoded.record_type, decoded.record, warnings)
