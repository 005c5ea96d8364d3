"""The audit trail as CSV lines (see selectors.audit_csv, which the audit page and `continuum audit export` share)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from continuum.audit.models import AuditEvent
from continuum.tables import spreadsheet_safe

COLUMNS = (
    "id",
    "at",
    "actor_username",
    "actor_role",
    "actor_agency",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "purpose",
    "detail",
    "client_ip",
    "event",
)


def _cell(event: AuditEvent, column: str) -> str:
    value = getattr(event, column)
    if column == "at":
        return value.isoformat()
    if column == "detail":
        return json.dumps(value, sort_keys=True)
    return "" if value is None else str(value)


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The header then one line per event, streamed so a large trail never sits in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return line

    writer.writerow(COLUMNS)
    yield flush()
    for event in events.iterator(chunk_size=2000) if hasattr(events, "iterator") else events:
        writer.writerow([spreadsheet_safe(_cell(event, c)) for c in COLUMNS])
        yield flush()
