"""Histories: dedup by record_id, event-time order, pruning relative to the newest event."""

from __future__ import annotations

import json
from datetime import timedelta

from streams.correlation import add_event, build_history, history_from_dict, history_to_dict
from tests.unit.correlation.builders import ev

HORIZON = timedelta(days=180)


def test_events_are_kept_in_event_time_order_whatever_the_arrival() -> None:
    history = build_history([ev("c", "TH", 40), ev("a", "VN", 0), ev("b", "MY", 20)], HORIZON)
    assert [e.record_id for e in history] == ["a", "b", "c"]


def test_a_replayed_record_is_not_added_twice() -> None:
    history, added = add_event([], ev("a", "VN", 0), HORIZON)
    again, added_again = add_event(history, ev("a", "VN", 0), HORIZON)
    assert added and not added_again and again == history


def test_old_events_are_pruned_relative_to_the_newest_event_time() -> None:
    history = build_history([ev("a", "VN", 0), ev("b", "MY", 100)], HORIZON)
    history, added = add_event(history, ev("c", "TH", 181), HORIZON)
    assert added and [e.record_id for e in history] == ["b", "c"]


def test_a_late_record_inside_the_horizon_lands_in_its_place() -> None:
    history = build_history([ev("a", "VN", 0), ev("c", "TH", 150)], HORIZON)
    history, added = add_event(history, ev("b", "MY", 10, late_days=60), HORIZON)
    assert added and [e.record_id for e in history] == ["a", "b", "c"]


def test_a_record_older_than_the_horizon_changes_nothing() -> None:
    history = build_history([ev("a", "VN", 200)], HORIZON)
    after, added = add_event(history, ev("old", "MY", 19), HORIZON)
    assert not added and after == history


def test_the_boundary_itself_is_kept() -> None:
    history = build_history([ev("a", "VN", 0), ev("b", "MY", 180)], HORIZON)
    assert [e.record_id for e in history] == ["a", "b"]


def test_history_round_trips_through_json() -> None:
    history = build_history([ev("a", "VN", 0, containers=("CSQU3054383",)), ev("b", "MY", 3)], HORIZON)
    assert history_from_dict(json.loads(json.dumps(history_to_dict(history)))) == history
