"""Reading a national system's export file into records a node may publish.

Each row is mapped (schemas/mapping.py) and checked with the same rules the network's
validation stage applies, so an officer learns of a bad row at the source, with its line
number, instead of finding it later in the dead-letter topic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from schemas.mapping import read_rows
from streams.network import Network
from streams.validation.checks import validate


@dataclass(frozen=True)
class RowOutcome:
    line: int
    record_type: str | None
    record: dict | None
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def accepted(self) -> bool:
        return self.record is not None and not self.problems


def check_record(record_type: str, record: dict, node: str, network: Network, *, line: int = 0,
                 skew: timedelta = timedelta(minutes=5)) -> RowOutcome:
    """One mapped record, stamped with the publishing node, with the network's verdict."""
    record = {**record, "issuing_node": node}
    findings = validate(record_type, record, issuing_node=node, network=network,
                        now=datetime.now(UTC), skew=skew)
    errors = tuple(f.words for f in findings if f.severity == "error")
    warnings = tuple(f.words for f in findings if f.severity == "warning")
    return RowOutcome(line, record_type, record, errors, warnings)


def rows_to_publish(path: Path, node: str, network: Network, *, record_type: str | None = None,
                    skew: timedelta = timedelta(minutes=5)) -> Iterator[RowOutcome]:
    """Every row of the file with its verdict; never raises for a bad row.

    Raises MappingError when the file as a whole cannot be read (not UTF-8, unknown suffix).
    """
    for row in read_rows(path, record_type):
        if row.error is not None or row.record is None or row.record_type is None:
            yield RowOutcome(row.line, row.record_type, None, (str(row.error),))
            continue
        yield check_record(row.record_type, row.record, node, network, line=row.line, skew=skew)
