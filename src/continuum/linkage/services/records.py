"""The records linkage resolves, read from the database into the engine's table shape (`RECORD_SCHEMA`).

Every `signals.SourcePerson` and every `people.Person` is one record. Those without a `linkage.Record` row yet get
an id here and are written by the run that reads them. The reading streams each query's rows into Arrow batch by
batch (a server-side cursor on PostgreSQL), so a county's million records cost a handful of queries and no Python
object per value held for long; ids are read as text.

The other modules' rows are reached through this app's own foreign keys (`Record.source_person`, `Record.person`,
and the person's `addresses`), so nothing here imports another module's models.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from continuum.identifiers import nhs_number_is_valid, upn_is_valid
from continuum.linkage.engine.records import FIELDS, RECORD_SCHEMA
from continuum.linkage.models import Record

BATCH = 50_000  # rows fetched and turned into Arrow at a time
PERSON_SOURCE = "person"  # the `source` of a platform person's own record

# The Record row as stored, beside the record's values: what a run needs to write it back changed.
STORED = pa.schema(
    [
        ("record_id", pa.string()),
        ("source_person_id", pa.string()),
        ("person_id", pa.string()),
        ("identity_id", pa.string()),
        ("how", pa.string()),
        ("match_probability", pa.float64()),
        ("model_id", pa.string()),
        ("run_id", pa.string()),
        ("linked_at", pa.timestamp("us", tz="UTC")),
        ("decided_by_id", pa.int64()),
        ("stored_hash", pa.string()),
    ]
)
VALUES = pa.schema([f for f in RECORD_SCHEMA if f.name != "record_id"])
TABLE_SCHEMA = pa.schema([*STORED, *VALUES, ("row_hash", pa.string()), ("is_new", pa.bool_())])
STORED_FIELDS = (
    "id",
    "source_person_id",
    "person_id",
    "identity_id",
    "how",
    "match_probability",
    "model_id",
    "run_id",
    "linked_at",
    "decided_by_id",
    "row_hash",
)
_UUID_COLUMNS = ("record_id", "source_person_id", "person_id", "identity_id", "model_id", "run_id")


@dataclass(frozen=True)
class RecordSet:
    """Records as `TABLE_SCHEMA`: the stored Record columns, the values linkage compares, their hash now
    (`row_hash`; `stored_hash` is the one of the last run, null for a record without a Record row yet), and
    `is_new` for such a record."""

    table: pa.Table

    def __len__(self) -> int:
        return self.table.num_rows

    def engine(self, mask: pa.Array | pa.ChunkedArray | None = None) -> pa.Table:
        """The records (those where `mask` is true, if given) as the engine takes them."""
        table = self.table if mask is None else self.table.filter(mask)
        return table.select(RECORD_SCHEMA.names).cast(RECORD_SCHEMA)

    def ids(self) -> list[str]:
        return self.table.column("record_id").to_pylist()


def read_records(ids: Collection[Any] | None = None) -> RecordSet:
    """Every record (or only the Records with these ids), with its values as the source holds them now."""
    batches: list[pa.RecordBatch] = []
    wanted = Q() if ids is None else Q(pk__in=[str(i) for i in ids])
    sourced = Record.objects.filter(wanted, source_person__isnull=False)
    batches += _batches(sourced.values_list(*STORED_FIELDS, *_prefixed("source_person__", _SOURCE_VALUES)), _source)
    people = Record.objects.filter(wanted, person__isnull=False)
    person_batches = list(_batches(people.values_list(*STORED_FIELDS, *_prefixed("person__", _PERSON_VALUES)), _plain))
    if ids is None:
        batches += _batches(_without_record("source_person").values_list("pk", *_SOURCE_VALUES), _new_source)
        person_batches += _batches(_without_record("person").values_list("pk", *_PERSON_VALUES), _new_person)
    if person_batches:
        people_table = pa.Table.from_batches(person_batches)
        addresses = _addresses(None if ids is None else people_table.column("person_id").to_pylist())
        batches += _with_addresses(people_table, addresses).to_batches()
    table = pa.Table.from_batches(batches, schema=_UNHASHED) if batches else _UNHASHED.empty_table()
    table = table.append_column("row_hash", row_hashes(table))
    table = table.append_column("is_new", pc.is_null(table.column("stored_hash")))
    return RecordSet(table.cast(TABLE_SCHEMA))


def any_records() -> bool:
    """Whether there is anything to link: a Record, a source person or a person."""
    subjects = ("source_person", "person")
    return Record.objects.exists() or any(_model(name)._default_manager.exists() for name in subjects)


def new_ids(count: int) -> pa.Array:
    """`count` new random ids (UUID version 4, as text), made by DuckDB at once rather than one by one in Python."""
    database = duckdb.connect()
    try:
        made = database.sql(f"SELECT uuid()::VARCHAR AS id FROM range({int(count)})").to_arrow_table()  # noqa: S608
    finally:
        database.close()
    return made.column("id").combine_chunks()


def row_hashes(table: pa.Table) -> pa.ChunkedArray:
    """The hash of each record's compared values (32 hex digits), by DuckDB over the whole table at once: what
    `Record.row_hash` holds, so that a record a feed has re-sent with other details is linked again."""
    values = table.select(list(FIELDS))
    parts = ", ".join(
        f"coalesce(strftime({name}, '%Y-%m-%d'), '')" if name == "date_of_birth" else f"coalesce({name}, '')"
        for name in FIELDS
    )
    database = duckdb.connect()
    try:
        database.register("records", values)
        # DuckDB keeps the rows' order for a query without ORDER BY (preserve_insertion_order, on by default).
        hashed = database.sql(f"SELECT md5(concat_ws(chr(31), {parts})) AS h FROM records").to_arrow_table()  # noqa: S608
    finally:
        database.close()
    return hashed.column("h")


# --- reading -----------------------------------------------------------------------------------------------------

_SOURCE_VALUES = (
    "feed",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "nhs_number",
    "nhs_number_usable",
    "upn",
    "upn_usable",
)
_PERSON_VALUES = ("given_name", "family_name", "date_of_birth", "sex", "nhs_number", "upn")
_UNHASHED = pa.schema([*STORED, *VALUES])


def _prefixed(prefix: str, names: Sequence[str]) -> list[str]:
    return [prefix + name for name in names]


def _model(field: str) -> type[Model]:
    """The model a Record refers to by this field (SourcePerson, Person), without importing another module's models."""
    model: type[Model] = Record._meta.get_field(field).related_model  # type: ignore[assignment]
    return model


def _without_record(field: str) -> QuerySet[Any]:
    """The source people (or people) that have no Record yet."""
    placed = Record.objects.filter(**{f"{field}__isnull": False}).values(f"{field}_id")
    return _model(field)._default_manager.exclude(pk__in=placed)


def _batches(queryset: QuerySet[Any], shape: Callable[[list[list[Any]]], pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The queryset's rows, BATCH at a time, shaped into Arrow; ids as text with their hyphens."""
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg.types.string import TextLoader

            cursor.cursor.adapters.register_loader("uuid", TextLoader)
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(BATCH):
            yield shape([list(column) for column in zip(*rows, strict=True)])


def _uuid_text(values: list[Any]) -> pa.Array:
    """Ids as 8-4-4-4-12 text (SQLite stores 32 hexadecimal digits; PostgreSQL's text form has the hyphens)."""
    array = pa.array([None if v is None else str(v) for v in values], pa.string())
    if connection.vendor != "sqlite" or not len(array.drop_null()):
        return array
    cuts = ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))
    parts = [pc.utf8_slice_codeunits(array, start, stop) for start, stop in cuts]
    return pc.binary_join_element_wise(*parts, "-")


def _dates(values: list[Any]) -> pa.Array:
    return pa.array(
        [datetime.date.fromisoformat(v) if isinstance(v, str) else v for v in values],
        pa.date32(),
    )


def _texts(values: list[Any]) -> pa.Array:
    return pa.array([v or "" for v in values], pa.string())


def _stored(columns: list[list[Any]]) -> list[pa.Array]:
    (pk, source_person, person, identity, how, probability, model, run, linked_at, decided_by, stored) = columns
    when = [timezone.make_aware(v, datetime.UTC) if v is not None and v.tzinfo is None else v for v in linked_at]
    return [
        _uuid_text(pk),
        _uuid_text(source_person),
        _uuid_text(person),
        _uuid_text(identity),
        _texts(how),
        pa.array(probability, pa.float64()),
        _uuid_text(model),
        _uuid_text(run),
        pa.array(when, pa.timestamp("us", tz="UTC")),
        pa.array(decided_by, pa.int64()),
        pa.array(stored, pa.string()),  # "" for a row no run has hashed: it differs from any hash, so is scored
    ]


def _new(size: int, *, source_person: list[Any] | None = None, person: list[Any] | None = None) -> list[pa.Array]:
    nothing = [None] * size
    return [
        new_ids(size),
        _uuid_text(source_person or nothing),
        _uuid_text(person or nothing),
        pa.nulls(size, pa.string()),
        _texts(nothing),
        pa.nulls(size, pa.float64()),
        pa.nulls(size, pa.string()),
        pa.nulls(size, pa.string()),
        pa.nulls(size, pa.timestamp("us", tz="UTC")),
        pa.nulls(size, pa.int64()),
        pa.nulls(size, pa.string()),
    ]


def _source_values(columns: list[list[Any]]) -> list[pa.Array]:
    feed, given, family, born, sex, postcode, nhs, nhs_usable, upn, upn_usable = columns
    return [
        _texts(feed),
        _texts(given),
        _texts(family),
        _dates(born),
        pa.array([s if s in ("M", "F") else "" for s in sex], pa.string()),
        _texts(postcode),
        pa.array([""] * len(feed), pa.string()),  # the feeds carry a postcode, not an address
        pa.array([n if ok and n else "" for n, ok in zip(nhs, nhs_usable, strict=True)], pa.string()),
        pa.array([u if ok and u else "" for u, ok in zip(upn, upn_usable, strict=True)], pa.string()),
    ]


def _person_values(columns: list[list[Any]]) -> list[pa.Array]:
    given, family, born, sex, nhs, upn = columns
    size = len(given)
    return [
        pa.array([PERSON_SOURCE] * size, pa.string()),
        _texts(given),
        _texts(family),
        _dates(born),
        pa.array([s if s in ("M", "F") else "" for s in sex], pa.string()),
        pa.array([""] * size, pa.string()),  # from the current address, below
        pa.array([""] * size, pa.string()),
        pa.array([n if n and nhs_number_is_valid(n) else "" for n in nhs], pa.string()),
        pa.array([u if u and upn_is_valid(u) else "" for u in upn], pa.string()),
    ]


def _source(columns: list[list[Any]]) -> pa.RecordBatch:
    width = len(STORED_FIELDS)
    return pa.RecordBatch.from_arrays(_stored(columns[:width]) + _source_values(columns[width:]), schema=_UNHASHED)


def _new_source(columns: list[list[Any]]) -> pa.RecordBatch:
    arrays = _new(len(columns[0]), source_person=columns[0]) + _source_values(columns[1:])
    return pa.RecordBatch.from_arrays(arrays, schema=_UNHASHED)


def _plain(columns: list[list[Any]]) -> pa.RecordBatch:
    width = len(STORED_FIELDS)
    return pa.RecordBatch.from_arrays(_stored(columns[:width]) + _person_values(columns[width:]), schema=_UNHASHED)


def _new_person(columns: list[list[Any]]) -> pa.RecordBatch:
    arrays = _new(len(columns[0]), person=columns[0]) + _person_values(columns[1:])
    return pa.RecordBatch.from_arrays(arrays, schema=_UNHASHED)


def _addresses(person_ids: list[Any] | None) -> pa.Table:
    """Each person's current address (the latest to start, where the record has two): person_id, postcode,
    address. One query over every person's addresses (or these people's)."""
    people = _model("person")
    today = timezone.localdate()
    current = (Q(addresses__start_date__isnull=True) | Q(addresses__start_date__lte=today)) & (
        Q(addresses__end_date__isnull=True) | Q(addresses__end_date__gt=today)
    )
    found = people._default_manager.filter(current)
    if person_ids is not None:
        found = found.filter(pk__in=[p for p in person_ids if p])
    rows = found.values_list("pk", "addresses__postcode", "addresses__address_line", "addresses__start_date")

    def shape(columns: list[list[Any]]) -> pa.RecordBatch:
        person, postcode, line, start = columns
        return pa.RecordBatch.from_arrays(
            [_uuid_text(person), _texts(postcode), _texts(line), _dates(start)],
            names=["person_id", "postcode", "address", "start_date"],
        )

    batches = list(_batches(rows, shape))
    if not batches:
        return pa.table({"person_id": pa.array([], pa.string()), "postcode": [], "address": []}).cast(
            pa.schema([("person_id", pa.string()), ("postcode", pa.string()), ("address", pa.string())])
        )
    database = duckdb.connect()
    try:
        database.register("addresses", pa.Table.from_batches(batches))
        return database.sql(
            "SELECT person_id, arg_max(postcode, (coalesce(start_date, DATE '0001-01-01'), postcode)) AS postcode,"
            " arg_max(address, (coalesce(start_date, DATE '0001-01-01'), postcode)) AS address"
            " FROM addresses GROUP BY person_id"
        ).to_arrow_table()
    finally:
        database.close()


def _with_addresses(people: pa.Table, addresses: pa.Table) -> pa.Table:
    """The people's records with the postcode and address of where they live now."""
    database = duckdb.connect()
    try:
        database.register("people", people)
        database.register("addresses", addresses)
        names = ", ".join(
            f"coalesce(a.{n}, '') AS {n}" if n in ("postcode", "address") else f"p.{n}" for n in _UNHASHED.names
        )
        joined = database.sql(
            f"SELECT {names} FROM people p LEFT JOIN addresses a USING (person_id)"  # noqa: S608
        ).to_arrow_table()
    finally:
        database.close()
    return joined.cast(_UNHASHED)
