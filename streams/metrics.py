"""Every tracenet metric, built in one place from a registry the caller owns.

Names follow Prometheus conventions: the ``tracenet_`` prefix, base units (seconds), ``_total``
for counters. Labels are bounded sets (node codes, record types, reason codes, rule names):
never an exporter name or a record id. Faust's own sensor adds ``tracenet_faust_*`` metrics
(offsets per partition, rebalances, recovery) on the worker; these are tracenet's additions.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
# issue time to case: records can arrive hours or days after they were issued
CASE_LATENCY_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600, 86400)
SCREEN_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25)


@dataclass(frozen=True)
class WorkerMetrics:
    """What the Faust worker counts: flow through validation, correlation and delivery."""

    records_received: Counter
    records_accepted: Counter
    dead_letters: Counter
    inbox_deliveries: Counter
    cases_opened: Counter
    cases_escalated: Counter
    watchlist_exporters: Gauge
    case_latency: Histogram
    agent_processing: Histogram
    node_last_record: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry) -> WorkerMetrics:
        return cls(
            records_received=Counter(
                "tracenet_records_received_total",
                "Records read from a node's ingress topic, before validation",
                ["node", "record_type"], registry=registry),
            records_accepted=Counter(
                "tracenet_records_accepted_total",
                "Records that passed validation and entered the network",
                ["node", "record_type"], registry=registry),
            dead_letters=Counter(
                "tracenet_dead_letters_total",
                "Records rejected to the dead-letter topic, by reason code",
                ["node", "reason"], registry=registry),
            inbox_deliveries=Counter(
                "tracenet_inbox_deliveries_total",
                "Records and cases delivered to a node's inbox topic",
                ["node", "record_type"], registry=registry),
            cases_opened=Counter(
                "tracenet_cases_opened_total", "Cases opened, by correlation rule",
                ["rule"], registry=registry),
            cases_escalated=Counter(
                "tracenet_cases_escalated_total",
                "Existing cases that grew with a new event, by correlation rule",
                ["rule"], registry=registry),
            watchlist_exporters=Gauge(
                "tracenet_watchlist_exporters", "Resolved exporters on the Redis watchlist",
                registry=registry),
            case_latency=Histogram(
                "tracenet_case_latency_seconds",
                "From a record's issue time to the case it opened or escalated",
                ["rule"], buckets=CASE_LATENCY_BUCKETS, registry=registry),
            agent_processing=Histogram(
                "tracenet_agent_processing_seconds",
                "Time an agent spends on one event", ["agent"],
                buckets=LATENCY_BUCKETS, registry=registry),
            node_last_record=Gauge(
                "tracenet_node_last_record_timestamp_seconds",
                "Unix time of the last valid record a node published (silence shows here)",
                ["node"], registry=registry),
        )


@dataclass(frozen=True)
class ScreeningMetrics:
    requests: Counter
    latency: Histogram

    @classmethod
    def create(cls, registry: CollectorRegistry) -> ScreeningMetrics:
        return cls(
            requests=Counter(
                "tracenet_screening_requests_total",
                "Watchlist screening requests, by outcome (hit or clear)",
                ["outcome"], registry=registry),
            latency=Histogram(
                "tracenet_screening_latency_seconds", "Watchlist screening latency",
                buckets=SCREEN_BUCKETS, registry=registry),
        )


@dataclass(frozen=True)
class ConnectorMetrics:
    """What a member node's connector counts; one connector serves one node."""

    records: Counter
    outbox_depth: Gauge
    outbox_oldest_age: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry) -> ConnectorMetrics:
        return cls(
            records=Counter(
                "tracenet_connector_records_total",
                "Records seen by a node's connector, by outcome (accepted, published, rejected)",
                ["node", "record_type", "outcome"], registry=registry),
            outbox_depth=Gauge(
                "tracenet_connector_outbox_depth",
                "Records accepted but not yet acknowledged by the broker",
                ["node"], registry=registry),
            outbox_oldest_age=Gauge(
                "tracenet_connector_outbox_oldest_age_seconds",
                "Age of the oldest record waiting in the outbox (0 when empty)",
                ["node"], registry=registry),
        )
