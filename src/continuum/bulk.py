"""Writing many rows at once, by the fastest path each database has: COPY on PostgreSQL, executemany on SQLite.

The ORM's `bulk_create` compiles SQL and builds a model instance per row; at hundreds of thousands of rows that is
most of a load's time. Here rows are tuples of Python values in the order of `fields` (attribute names, so a
foreign key is `person_id`), each prepared for the database once by its model field, and written in one statement
per batch. Call inside the caller's transaction: a failure rolls back with it.

    upsert(SourcePerson, rows, fields=["id", "feed", "ref", ...], unique=["feed", "ref"], update=["given_name", ...])
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

BATCH = 5000  # rows per statement on SQLite (executemany binds each row's parameters in turn)


def insert(model: type[models.Model], rows: Iterable[Sequence[Any]], *, fields: Sequence[str]) -> int:
    """Insert new rows; return how many. A row that breaks a unique constraint fails the whole call."""
    return _write(model, rows, fields=fields, unique=(), update=())


def upsert(
    model: type[models.Model],
    rows: Iterable[Sequence[Any]],
    *,
    fields: Sequence[str],
    unique: Sequence[str],
    update: Sequence[str],
) -> int:
    """Insert rows, or where a row with the same `unique` values exists, set its `update` fields; return how many
    rows were written. `unique` must be the model's primary key or the fields of one of its unique constraints."""
    if not unique:
        raise ValueError("upsert needs the fields that identify a row")
    return _write(model, rows, fields=fields, unique=unique, update=update)


def _write(
    model: type[models.Model],
    rows: Iterable[Sequence[Any]],
    *,
    fields: Sequence[str],
    unique: Sequence[str],
    update: Sequence[str],
) -> int:
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    unknown = [name for name in (*fields, *unique, *update) if name not in by_attname]
    if unknown:
        raise ValueError(f"{model.__name__} has no column {', '.join(unknown)}")
    # Django's defaults live in Python, not in the database: a field left out takes its default in every row
    # ("" for text, None for what may be null), except a database-generated primary key.
    defaulted = [f for f in meta.concrete_fields if f.attname not in fields and (f.has_default() or not f.primary_key)]
    concrete = [by_attname[name] for name in fields] + defaulted
    table = _quote(meta.db_table)
    columns = ", ".join(_quote(f.column) for f in concrete)
    conflict = ""
    if unique:
        target = ", ".join(_quote(by_attname[name].column) for name in unique)
        if update:
            sets = ", ".join(
                f"{_quote(by_attname[n].column)} = excluded.{_quote(by_attname[n].column)}" for n in update
            )
            conflict = f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
        else:
            conflict = f" ON CONFLICT ({target}) DO NOTHING"
    prepare = [_preparer(f) for f in concrete]
    width = len(fields)
    prepared = (
        tuple(p(v) for p, v in zip(prepare, (*row, *(f.get_default() for f in defaulted)), strict=True))
        for row in rows
        if len(row) == width or _wrong_width(row, width)
    )
    if connection.vendor == "postgresql":
        return _copy(table, columns, conflict, prepared)
    placeholders = ", ".join(["%s"] * len(concrete))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){conflict}"  # noqa: S608  (names quoted from the model)
    written = 0
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(prepared, BATCH)):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _quote(name: str | None) -> str:
    if name is None:  # a concrete field always has its column
        raise ValueError("a field without a column")
    return connection.ops.quote_name(name)


def _wrong_width(row: Sequence[Any], width: int) -> bool:
    raise ValueError(f"a row has {len(row)} values for {width} fields")


def _preparer(f: models.Field) -> Callable[[Any], Any]:
    """The field's conversion of a Python value to what the database driver takes (a UUID as 32 hex digits on
    SQLite, JSON as text or Jsonb ...), computed per value but looked up once per column."""

    def prepare(value: Any) -> Any:
        return f.get_db_prep_save(value, connection)

    return prepare


def _copy(table: str, columns: str, conflict: str, rows: Iterable[Sequence[Any]]) -> int:
    """PostgreSQL: COPY into a temporary table shaped like the target, then one INSERT ... SELECT with the
    conflict clause (COPY itself cannot upsert)."""
    staging = connection.ops.quote_name("bulk_staging")
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging}{conflict}")  # noqa: S608
        cursor.execute(f"DROP TABLE {staging}")
    return written
