"""Correlation: pure rules over event-time histories, and the cases they open.

The Faust agents keep histories and cases in tables (``to_dict``/``from_dict``) and call
:func:`add_event`, the rules (:data:`RULES`, e.g. :func:`port_hopping`) and :func:`evaluate`.
"""

from streams.correlation.cases import Case, Evidence, case_id, evaluate, evaluate_all, event_points
from streams.correlation.config import HOPPING_OUTCOMES, CorrelationConfig
from streams.correlation.events import Event, audience, event_from_record, summarize
from streams.correlation.history import (
    History,
    add_event,
    build_history,
    history_from_dict,
    history_to_dict,
    prune,
)
from streams.correlation.rules import (
    RULES,
    Finding,
    all_findings,
    keys_of,
    port_hopping,
    repeat_exporter,
    reused_bill_of_lading,
    reused_container,
)

__all__ = [
    "HOPPING_OUTCOMES", "RULES", "Case", "CorrelationConfig", "Event", "Evidence", "Finding", "History",
    "add_event", "all_findings", "audience", "build_history", "case_id", "evaluate", "evaluate_all",
    "event_from_record", "event_points", "history_from_dict", "history_to_dict", "keys_of",
    "port_hopping", "prune", "repeat_exporter", "reused_bill_of_lading", "reused_container", "summarize",
]
