"""Loading a county snapshot (the synthetic county, or a council's first migration) into the operational store.

A snapshot is a folder of tables, each as Parquet or CSV: agencies, teams, practitioners, places,
households, people, addresses, household_members, relationships, involvements, allocations, and the
front door's referrals, referral_reasons, referral_family_members, decisions, transfers,
waiting_list_entries and school_offers, casework's episodes and everything in them, and the questionnaires
(columns in docs/county-format.md). Every row is checked before
anything is written; any problem stops the load with the file, line and field named, and nothing is
saved. Loading the same snapshot again changes nothing: rows are matched on their ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction

from continuum.agencies import snapshot as agencies
from continuum.agencies.access import Actor, SystemActor
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.casework import snapshot as casework
from continuum.frontdoor import snapshot as frontdoor
from continuum.measures import snapshot as measures
from continuum.people import snapshot as people
from continuum.people.models import Person
from continuum.tables import LoadError, LoadFailed, Progress, Table, check_tables, find

__all__ = ["FOUNDATION", "LoadError", "LoadFailed", "LoadReport", "county_load", "tables"]

# The people's and agencies' tables, in the order they load: a table refers only to tables above it.
FOUNDATION: tuple[Table, ...] = (
    people.PLACES,
    agencies.AGENCIES,
    agencies.TEAMS,
    agencies.PRACTITIONERS,
    people.HOUSEHOLDS,
    people.PEOPLE,
    people.ADDRESSES,
    people.HOUSEHOLD_MEMBERS,
    people.RELATIONSHIPS,
    agencies.INVOLVEMENTS,
    agencies.ALLOCATIONS,
)
BATCH = 500
UNIQUE_BATCH = 400  # values per query (with two columns, 800 parameters: under SQLite's old 999)


def tables(directory: Path) -> tuple[Table, ...]:
    """The tables of the snapshot in this folder, in load order: the foundation's, the front door's, then
    casework's and the outcome measures'.

    Each module's are built afresh for each load (some of their checks compare rows with rows above them
    and with the programme catalogue). A snapshot with none of a module's files (one from before the module,
    or of people and agencies alone) loads without them; one with any of them must have them all.
    """
    front_door = frontdoor.tables()
    episodes: casework.Episodes = {}
    later = (*casework.tables(episodes), *measures.tables(episodes))
    if any(find(directory, table.name) for table in later):
        return (*FOUNDATION, *front_door, *later)
    if not any(find(directory, table.name) for table in front_door):
        return FOUNDATION
    return (*FOUNDATION, *front_door)


# Tables whose checked rows are turned into the model's fields just before they are written.
_PREPARE = {**casework.PREPARE, **measures.PREPARE}


@dataclass
class LoadReport:
    counts: dict[str, int]  # rows loaded, by table


def county_load(directory: Path, *, actor: Actor | None = None, progress: Progress | None = None) -> LoadReport:
    """Check every table in the snapshot, then write them all in one transaction (or raise LoadFailed)."""
    directory = Path(directory)
    load = tables(directory)
    steps = len(load) * 2

    def checking(stage: str, done: int, total: int) -> None:
        if progress:
            progress(stage, done, steps)

    parsed = check_tables(directory, load, progress=checking, taken=_taken)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for i, table in enumerate(load):
            counts[table.name] = _write(table, parsed[table.name])
            if progress:
                progress(f"loaded {table.name}", len(load) + i + 1, steps)
        audit_record(
            actor=actor or SystemActor(),
            action=AuditAction.IMPORT,
            obj=Subject("county_snapshot", directory.name),
            event="county.snapshot_load",
            purpose="County snapshot load",
            detail={"directory": str(directory), "counts": counts},
        )
    return LoadReport(counts=counts)


def _taken(table: Table, columns: tuple[str, ...], values: set[tuple[Any, ...]]) -> dict[tuple[Any, ...], Any]:
    """Which of these values of a table's unique columns rows in the database already hold, and their ids.

    A name may stay with the row that has it (a reload) but not move to another id in one load: the
    rows are upserted one by one, so the database would refuse it part-way. (Each table's key is its
    model's primary key.)
    """
    fields = [table.renames.get(c, c) for c in columns]
    manager = table.model._default_manager
    wanted = list(values)
    held: dict[tuple[Any, ...], Any] = {}
    for start in range(0, len(wanted), UNIQUE_BATCH):
        batch = wanted[start : start + UNIQUE_BATCH]
        # Each column IN its values finds a superset of the combinations; the exact ones are kept.
        lookup = {f"{name}__in": {v[i] for v in batch} for i, name in enumerate(fields)}
        for owner, *found in manager.filter(**lookup).values_list("pk", *fields):
            if tuple(found) in values:
                held[tuple(found)] = owner
    return held


def _instance(table: Table, row: dict[str, Any]) -> models.Model:
    fields = {}
    for column, value in row.items():
        name = table.renames.get(column, column)
        blank_text = value is None and name != "id" and not name.endswith("_id") and _is_text(table.model, name)
        fields[name] = "" if blank_text else value
    obj = table.model(**fields)
    if isinstance(obj, Person):
        obj.refresh_keys()
    return obj


def _is_text(model: type[models.Model], name: str) -> bool:
    return isinstance(model._meta.get_field(name), models.CharField | models.TextField)


_NAME_KEYS = {"given_name_key", "family_name_key", "known_as_key", "search_key"}


def _write(table: Table, rows: list[dict[str, Any]]) -> int:
    if table.name in _PREPARE:
        rows = _PREPARE[table.name](rows)
    objects = [_instance(table, row) for row in rows]
    manager = table.model._default_manager
    if table.replace_by:
        parents = sorted({row[table.replace_by] for row in rows})
        for start in range(0, len(parents), BATCH):
            manager.filter(**{f"{table.replace_by}__in": parents[start : start + BATCH]}).delete()
        manager.bulk_create(objects, batch_size=BATCH)
        return len(objects)
    if table.key is None:  # rows of parents replaced above them (a course's attendance): always new
        manager.bulk_create(objects, batch_size=BATCH)
        return len(objects)
    written = {table.renames.get(c, c) for c in (rows[0] if rows else table.columns)}
    update = [
        f.attname for f in table.model._meta.concrete_fields if not f.primary_key and f.attname in written | _NAME_KEYS
    ]
    manager.bulk_create(objects, batch_size=BATCH, update_conflicts=True, unique_fields=["id"], update_fields=update)
    return len(objects)
