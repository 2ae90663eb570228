"""One frozen configuration for every correlation rule, built from streams.settings.Settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from streams.network import Network, Role
from streams.resolution import DEFAULT_THRESHOLD
from streams.settings import Settings

# Seizure outcomes after which a shipment that turns up at another node is port hopping.
HOPPING_OUTCOMES = frozenset({"SEIZED", "REFUSED_ENTRY", "RE_EXPORTED", "REPATRIATED"})


@dataclass(frozen=True)
class CorrelationConfig:
    """Windows, quorum and thresholds; windows are measured in event time, never wall clock.

    ``members``: nodes that count in the repeat-exporter quorum (empty: every node but the
    desks). ``desks``: regional desks; their records repeat other nodes' facts, so no rule
    counts them as a sighting (they still read cases through the audience).
    """

    repeat_exporter_nodes: int = 2
    repeat_exporter_window: timedelta = timedelta(days=180)
    port_hopping_window: timedelta = timedelta(days=90)
    reused_container_window: timedelta = timedelta(days=180)
    # a follow-up may carry an event time this much before the refusal (clocks disagree)
    clock_skew: timedelta = timedelta(seconds=300)
    port_hopping_includes_detained: bool = False
    resolution_threshold: float = DEFAULT_THRESHOLD
    members: frozenset[str] = frozenset()
    desks: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings, network: Network | None = None) -> CorrelationConfig:
        """From the settings' fields; ``network`` defaults to the settings' network file."""
        network = network if network is not None else settings.network
        return cls(
            repeat_exporter_nodes=settings.repeat_exporter_nodes,
            repeat_exporter_window=timedelta(days=settings.repeat_exporter_window_days),
            port_hopping_window=timedelta(days=settings.port_hopping_window_days),
            reused_container_window=timedelta(days=settings.reused_container_window_days),
            clock_skew=timedelta(seconds=settings.clock_skew_seconds),
            members=frozenset(n.code for n in network.members),
            desks=frozenset(n.code for n in network.nodes if n.role is Role.DESK),
        )

    @property
    def horizon(self) -> timedelta:
        """How much event time a history keeps behind its newest event: the longest window."""
        return max(self.repeat_exporter_window, self.port_hopping_window,
                   self.reused_container_window) + self.clock_skew

    @property
    def hopping_outcomes(self) -> frozenset[str]:
        return HOPPING_OUTCOMES | {"DETAINED"} if self.port_hopping_includes_detained else HOPPING_OUTCOMES

    def counts(self, node: str) -> bool:
        """Whether a node's records count as sightings (desks only relay)."""
        return node not in self.desks

    def in_quorum(self, node: str) -> bool:
        """Whether a node counts in a member quorum (observers and desks never do)."""
        return self.counts(node) and (not self.members or node in self.members)
