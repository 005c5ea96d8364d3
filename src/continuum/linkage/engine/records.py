"""The record linkage compares: one row per record, whatever its source.

`record_id` is unique across the table. `source` names where it came from (a feed such as "police", "person"
for a person in the platform, or a list's name). The other columns hold the values as the source sent them
(empty for unknown); `prepare` standardises them. Identifiers that failed their check character are left
out by the caller (`nhs_number`, `upn` empty), so they never count as evidence.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

FIELDS = ("given_name", "family_name", "date_of_birth", "sex", "postcode", "address", "nhs_number", "upn")

RECORD_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("source", pa.string()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("date_of_birth", pa.date32()),
        ("sex", pa.string()),  # M, F, or empty
        ("postcode", pa.string()),
        ("address", pa.string()),
        ("nhs_number", pa.string()),
        ("upn", pa.string()),
    ]
)

# A long step reports (what it is doing, done, total); the command line passes a progress bar.
Progress = Callable[[str, int, int], None]


def empty_records() -> pa.Table:
    return RECORD_SCHEMA.empty_table()
