"""The operational store's signals as Arrow tables, for whole-county computation in DuckDB (indicators, the gap
finder, the attendance protocol). The system's own reads: no viewer, nothing here reaches a page unfiltered.

    people = linked_people()       # source_person_id, person_id, match_probability, how
    events = events_table()        # one row per SignalEvent of a linked person, with its person
    pupils = pupils_table()        # upn -> person_id, for attendance marks (read_marks) and terms

Ids are strings (UUIDs as text) so DuckDB and Spark join them alike.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from continuum.linkage.selectors import linked_source_people
from continuum.signals.models import SignalEvent, SourcePerson

LINKED_SCHEMA = pa.schema(
    [
        ("source_person_id", pa.string()),
        ("person_id", pa.string()),
        ("match_probability", pa.float64()),
        ("how", pa.string()),
    ]
)
EVENTS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("person_id", pa.string()),
        ("source_person_id", pa.string()),
        ("feed", pa.string()),
        ("table", pa.string()),
        ("kind", pa.string()),
        ("occurred_on", pa.date32()),
        ("ended_on", pa.date32()),
        ("detail", pa.string()),  # the row's values and codes' meanings, as JSON text
        ("match_probability", pa.float64()),
    ]
)
PUPILS_SCHEMA = pa.schema([("upn", pa.string()), ("person_id", pa.string())])


def linked_people(*, person_ids: Iterable[Any] | None = None) -> pa.Table:
    """Every source person linkage placed with a platform person."""
    rows = list(linked_source_people(person_ids=person_ids))
    return pa.table(
        {
            "source_person_id": pa.array([str(r[0]) for r in rows], pa.string()),
            "person_id": pa.array([str(r[1]) for r in rows], pa.string()),
            "match_probability": pa.array([r[2] for r in rows], pa.float64()),
            "how": pa.array([r[3] for r in rows], pa.string()),
        },
        schema=LINKED_SCHEMA,
    )


def events_table(
    *, kinds: Iterable[str] | None = None, since: datetime.date | None = None, people: pa.Table | None = None
) -> pa.Table:
    """Every event of a linked person (optionally of these kinds, occurring or still running on or after `since`)."""
    people = linked_people() if people is None else people
    person_of = dict(zip(people["source_person_id"].to_pylist(), people["person_id"].to_pylist(), strict=True))
    probability_of = dict(
        zip(people["source_person_id"].to_pylist(), people["match_probability"].to_pylist(), strict=True)
    )
    found = SignalEvent.objects.all()
    if kinds is not None:
        found = found.filter(kind__in=list(kinds))
    if since is not None:
        from django.db.models import Q

        found = found.filter(Q(occurred_on__gte=since) | Q(ended_on__gte=since) | Q(ended_on__isnull=True))
    columns: dict[str, list[Any]] = {name: [] for name in EVENTS_SCHEMA.names}
    fields = ("id", "source_person_id", "feed", "table", "kind", "occurred_on", "ended_on", "detail")
    for event_id, source_id, feed, table, kind, occurred, ended, detail in found.values_list(*fields).iterator(
        chunk_size=20_000
    ):
        person = person_of.get(str(source_id))
        if person is None:
            continue  # not linked to a platform person (yet): waiting for review, or nobody the platform holds
        columns["event_id"].append(str(event_id))
        columns["person_id"].append(person)
        columns["source_person_id"].append(str(source_id))
        columns["feed"].append(feed)
        columns["table"].append(table)
        columns["kind"].append(kind)
        columns["occurred_on"].append(occurred)
        columns["ended_on"].append(ended)
        columns["detail"].append(json.dumps(detail, sort_keys=True))
        columns["match_probability"].append(probability_of.get(str(source_id)))
    return pa.table(columns, schema=EVENTS_SCHEMA)


def pupils_table(*, people: pa.Table | None = None) -> pa.Table:
    """Each UPN the attendance feed sent, with the platform person linkage placed it with."""
    people = linked_people() if people is None else people
    person_of = dict(zip(people["source_person_id"].to_pylist(), people["person_id"].to_pylist(), strict=True))
    upns, persons = [], []
    for source_id, upn in (
        SourcePerson.objects.filter(feed="attendance").values_list("id", "ref").iterator(chunk_size=20_000)
    ):
        person = person_of.get(str(source_id))
        if person is not None:
            upns.append(upn)
            persons.append(person)
    return pa.table(
        {"upn": pa.array(upns, pa.string()), "person_id": pa.array(persons, pa.string())}, schema=PUPILS_SCHEMA
    )
