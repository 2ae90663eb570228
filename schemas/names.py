"""Record type names in one place: the Avro short names and the short names national files use."""

from __future__ import annotations

NAMESPACE = "tracenet.v1"

RECORD_TYPES: tuple[str, ...] = (
    "SuspiciousShipmentAlert",
    "SeizureReport",
    "ControlResult",
    "Case",
    "DeadLetter",
)

# what a node writes in the "type" of a JSON line or chooses for a CSV file
SHORT_NAMES: dict[str, str] = {
    "alert": "SuspiciousShipmentAlert",
    "seizure": "SeizureReport",
    "control_result": "ControlResult",
}
AVRO_TO_SHORT: dict[str, str] = {v: k for k, v in SHORT_NAMES.items()}


def avro_name(name: str) -> str | None:
    """The Avro short name for either form of a record type name, or None if it names none."""
    if name in RECORD_TYPES:
        return name
    return SHORT_NAMES.get(name)


def schema_file(record_type: str) -> str:
    """File name of a named type, as fastavro's load_schema expects it."""
    return f"{NAMESPACE}.{record_type}.avsc"
