"""Precision and recall of exporter resolution on labelled pairs from the region."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from streams.resolution import DEFAULT_THRESHOLD, PartyRef, clean_identifiers, same_party

PAIRS = Path(__file__).resolve().parents[2] / "fixtures" / "exporter_pairs.csv"


def _ids(raw: str) -> tuple[tuple[str, str], ...]:
    return clean_identifiers(tuple(p.split(":", 1)) for p in raw.split(";") if p)  # type: ignore[misc]


def _pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _refs(row: dict[str, str]) -> tuple[PartyRef, PartyRef]:
    return (PartyRef(row["name_a"], row["country_a"] or None, _ids(row["ids_a"])),
            PartyRef(row["name_b"], row["country_b"] or None, _ids(row["ids_b"])))


def test_fixture_is_large_and_balanced() -> None:
    rows = _pairs()
    assert len(rows) >= 60
    assert sum(r["same"] == "1" for r in rows) >= 25
    assert sum(r["same"] == "0" for r in rows) >= 25
    countries = {r["country_a"] for r in rows} | {r["country_b"] for r in rows}
    assert {"VN", "TH", "MY", "ID", "PH", "KH", "LA", "LK", "SG", "HK", "CN"} <= countries


def test_precision_and_recall(record_property: pytest.RecordProperty) -> None:
    tp = fp = fn = 0
    misses = []
    for row in _pairs():
        a, b = _refs(row)
        predicted, score = same_party(a, b)
        truth = row["same"] == "1"
        tp += predicted and truth
        fp += predicted and not truth
        fn += truth and not predicted
        if predicted != truth:
            misses.append(f"{'FP' if predicted else 'FN'} {score:5.1f} {row['name_a']!r} / "
                          f"{row['name_b']!r} ({row['note']})")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    record_property("precision", round(precision, 4))
    record_property("recall", round(recall, 4))
    print(f"\nexporter resolution at threshold {DEFAULT_THRESHOLD}: precision {precision:.3f} "
          f"recall {recall:.3f} (tp={tp} fp={fp} fn={fn})")
    for line in misses:
        print("  " + line)
    assert precision >= 0.95
    assert recall >= 0.90


@pytest.mark.parametrize("row", _pairs(), ids=lambda r: f"{r['name_a']}|{r['name_b']}")
def test_pair_is_symmetric(row: dict[str, str]) -> None:
    a, b = _refs(row)
    assert same_party(a, b)[0] == same_party(b, a)[0]
