"""Loading a county snapshot (the synthetic county, or a council's first migration) into the operational store.

A snapshot is a folder of tables, each as Parquet or CSV: agencies, teams, practitioners, places,
households, people, addresses, household_members, relationships, involvements, allocations, and the
front door's referrals, referral_reasons, referral_family_members, decisions, transfers,
waiting_list_entries and school_offers, casework's episodes and everything in them, and the questionnaires
(columns in docs/county-format.md). Every row is checked before
anything is written; any problem stops the load with the file, line and field named, and nothing is
saved. Loading the same snapshot again changes nothing: rows are matched on their ids.

The checked tables are written a whole column at a time through `continuum.bulk` (executemany on SQLite, COPY on
PostgreSQL), never through model instances: at county scale building and saving instances was most of a load.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db import models

from continuum import bulk
from continuum.agencies import snapshot as agencies
from continuum.agencies.access import Actor, SystemActor
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.casework import snapshot as casework
from continuum.frontdoor import snapshot as frontdoor
from continuum.identifiers import nhs_number_normalise
from continuum.measures import snapshot as measures
from continuum.people import snapshot as people
from continuum.people.models import Person, name_key
from continuum.tables import CheckedTable, LoadError, LoadFailed, Progress, Table, check_tables_by_column, find

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

    counts: dict[str, int] = {}
    with _collector_paused():
        parsed = check_tables_by_column(directory, load, progress=checking, taken=_taken)
        with bulk.writing():  # one transaction
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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a load makes millions of rows and values, none of them in
    a cycle: otherwise it walks them all again and again as they pile up (a fifth of the checking time)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _taken(table: Table, columns: tuple[str, ...], values: set[tuple[Any, ...]]) -> dict[tuple[Any, ...], Any]:
    """Which of these values of a table's unique columns rows in the database already hold, and their ids.

    A name may stay with the row that has it (a reload) but not move to another id in one load: the
    rows are upserted one by one, so the database would refuse it part-way. (Each table's key is its
    model's primary key.)
    """
    fields = [table.renames.get(c, c) for c in columns]
    manager = table.model._default_manager
    if not manager.exists():  # a first load
        return {}
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


def _is_text(model: type[models.Model], name: str) -> bool:
    return isinstance(model._meta.get_field(name), models.CharField | models.TextField)


_NAME_KEYS = ("given_name_key", "family_name_key", "known_as_key", "search_key")
type Values = pa.Array | list[Any]  # a column to write: Arrow, or Python values


def _write(table: Table, checked: CheckedTable) -> int:
    """Write one table's checked rows, column by column: a keyed table's rows inserted or updated by id (a row
    that would not change is left alone), a child table's replaced parent by parent, others inserted."""
    model, size = table.model, len(checked)
    if not size:
        return 0
    if table.name in _PREPARE:
        rows = _PREPARE[table.name](checked.rows())
        columns: dict[str, Values] = {name: [row[name] for row in rows] for name in rows[0]}
    elif all(checked.column(name).arrow is not None for name in table.columns):
        columns = {name: checked.column(name).arrow for name in table.columns}
    else:
        columns = {name: checked.column(name).values() for name in table.columns}
    fields: dict[str, Values] = {}
    for header, values in columns.items():
        name = table.renames.get(header, header)
        if name != "id" and not name.endswith("_id") and _is_text(model, name):
            values = _empty_for_none(values)  # text columns hold "" rather than NULL
        fields[model._meta.get_field(name).attname] = values
    written = set(fields)
    if model is Person:
        fields.update(_person_keys(fields, size))
    data: bulk.Rows
    if all(isinstance(values, pa.Array) for values in fields.values()):
        data = pa.table(fields)
    else:
        data = zip(*(v.to_pylist() if isinstance(v, pa.Array) else v for v in fields.values()), strict=True)
    if table.replace_by:
        parent = model._meta.get_field(table.replace_by).attname
        parents = fields[parent]
        bulk.delete(model, pc.unique(parents) if isinstance(parents, pa.Array) else set(parents), field=parent)
        return bulk.insert(model, data, fields=list(fields))
    if table.key is None:  # rows of parents replaced above them (a course's attendance): always new
        return bulk.insert(model, data, fields=list(fields))
    update = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and (f.attname in written or f.attname in _NAME_KEYS)
    ]
    return bulk.upsert(model, data, fields=list(fields), unique=["id"], update=update)


def _empty_for_none(values: Values) -> Values:
    if isinstance(values, pa.Array):
        if not values.null_count:
            return values
        if pa.types.is_string(values.type):
            return pc.fill_null(values, "")
        values = values.to_pylist()
    return ["" if value is None else value for value in values]


def _person_keys(fields: dict[str, Values], size: int) -> dict[str, Values]:
    """What Person.refresh_keys sets, for every row: the normalised NHS number and UPN, and the name keys. Each is
    worked out once per distinct value (names repeat across a county) by the functions refresh_keys uses."""
    keys: dict[str, str] = {}

    def key(name: str) -> str:
        found = keys.get(name)
        if found is None:
            found = keys[name] = name_key(name)
        return found

    def text(name: str) -> pa.Array:
        values = fields.get(name, [""] * size)
        return pc.fill_null(values if isinstance(values, pa.Array) else pa.array(values, pa.string()), "")

    given, middle, family, known = (text(n) for n in ("given_name", "middle_names", "family_name", "known_as"))
    out = {
        "given_name_key": _each_distinct(given, key),
        "family_name_key": _each_distinct(family, key),
        "known_as_key": _each_distinct(known, key),
    }
    # search_key(given, middle, family, known as): each name's key without its spaces, the empty ones left out,
    # one space between and one at either end.
    compact = [_each_distinct(names, lambda n: key(n).replace(" ", "")) for names in (given, middle, family, known)]
    spaced = pc.replace_substring_regex(pc.binary_join_element_wise(*compact, " "), " +", " ")
    out["search_key"] = pc.binary_join_element_wise("", pc.utf8_trim(spaced, characters=" "), "", " ")
    if "nhs_number" in fields:
        out["nhs_number"] = _each_distinct(text("nhs_number"), nhs_number_normalise)
    if "upn" in fields:
        out["upn"] = _each_distinct(text("upn"), lambda upn: upn.strip().upper())
    if all(isinstance(values, pa.Array) for values in fields.values()):
        return dict(out)
    return {name: values.to_pylist() for name, values in out.items()}


def _each_distinct(values: pa.Array, convert: Any) -> pa.Array:
    """convert(value) for each value (none missing), worked out once per distinct value."""
    encoded = pc.dictionary_encode(values)
    converted = pa.array([convert(value) for value in encoded.dictionary.to_pylist()], pa.string())
    return pc.take(converted, encoded.indices)
