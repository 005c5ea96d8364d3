"""Writing many rows at once, by the fastest path each database has: COPY on PostgreSQL, executemany on SQLite.

The ORM's `bulk_create` compiles SQL and builds a model instance per row; at hundreds of thousands of rows that is
most of a load's time. Here rows are tuples of Python values in the order of `fields` (attribute names, so a
foreign key is `person_id`), or a pyarrow Table whose columns are `fields`. Each column is prepared for the
database at once: the common cases (text, whole numbers, booleans, dates, UUIDs; Arrow strings, dates and numbers)
by a conversion that gives what the model field's `get_db_prep_save` gives, anything else by the field itself.
Rows go in one statement per batch. Call inside a transaction (see `writing`): a failure rolls back with it.

    upsert(SourcePerson, rows, fields=["id", "feed", "ref", ...], unique=["feed", "ref"], update=["given_name", ...])

An upsert leaves a row whose `update` fields already hold the new values untouched, so loading the same rows
again writes nothing. `writing()` is the transaction for many calls: on SQLite with a page cache big enough for
the indexes they fill, and foreign keys checked once per table at the end.
"""

from __future__ import annotations

import datetime
import itertools
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.apps import apps
from django.db import connection, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.deletion import Collector
from django.utils import timezone

BATCH = 20_000  # rows prepared at a time, and per statement on SQLite (executemany binds each row in turn)
DELETE_BATCH = 500  # values per query when the ORM deletes (see delete)
REINDEX_ROWS = 10_000  # rows into an empty SQLite table from which its indexes are made after (see _indexes_made_after)
# SQLite's page cache while writing, in KiB. Its default (2 MiB) holds a few thousand rows' worth of index pages:
# at county scale each insert then reads back index pages it wrote out a moment before.
CACHE_KIB = 256 * 1024

type Rows = Iterable[Sequence[Any]] | pa.Table
type Column = Sequence[Any]  # one column of a batch, as Python values
_CANONICAL_UUID = r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z"
# The range of days since 1970-01-01 that Python's dates cover (0001-01-01 to 9999-12-31).
_FIRST_DAY, _LAST_DAY = -719_162, 2_932_896


def insert(model: type[models.Model], rows: Rows, *, fields: Sequence[str]) -> int:
    """Insert new rows; return how many. A row that breaks a unique constraint fails the whole call."""
    return _write(model, rows, fields=fields, unique=(), update=())


def upsert(
    model: type[models.Model],
    rows: Rows,
    *,
    fields: Sequence[str],
    unique: Sequence[str],
    update: Sequence[str],
) -> int:
    """Insert rows, or where a row with the same `unique` values exists, set its `update` fields; return how many
    rows were given. `unique` must be the model's primary key or the fields of one of its unique constraints."""
    if not unique:
        raise ValueError("upsert needs the fields that identify a row")
    return _write(model, rows, fields=fields, unique=unique, update=update)


def delete(model: type[models.Model], values: Iterable[Any] | pa.Array, *, field: str) -> int:
    """Delete every row whose `field` is one of `values`, as QuerySet.delete() would; return how many rows of the
    model went. In one statement when nothing else goes with them and nobody listens (Django's own test for its
    fast delete), else through the ORM, which collects what cascades and sends the signals."""
    target = {f.attname: f for f in model._meta.concrete_fields}.get(field)
    if target is None:
        raise ValueError(f"{model.__name__} has no column {field}")
    wanted = values.drop_null() if isinstance(values, pa.Array) else [v for v in values if v is not None]
    if not len(wanted) or not model._base_manager.exists():
        return 0
    if not Collector(using=connection.alias, origin=None).can_fast_delete(model._base_manager.all()):
        listed = wanted.to_pylist() if isinstance(wanted, pa.Array) else wanted
        deleted = 0
        for start in range(0, len(listed), DELETE_BATCH):
            batch = listed[start : start + DELETE_BATCH]
            _, counts = model._default_manager.filter(**{f"{field}__in": batch}).delete()
            deleted += counts.get(model._meta.label, 0)
        return deleted
    prepared = list(_Preparer(target)(wanted))
    table, column = _quote(model._meta.db_table), _quote(target.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            kind = target.db_type(connection)
            cursor.execute(f"DELETE FROM {table} WHERE {column} = ANY(%s::{kind}[])", [prepared])  # noqa: S608
        else:
            cursor.executemany(f"DELETE FROM {table} WHERE {column} = %s", [(v,) for v in prepared])  # noqa: S608
        return int(cursor.rowcount)


@contextmanager
def writing() -> Iterator[None]:
    """One transaction (or the caller's, when one is open) for many bulk writes.

    On SQLite the page cache is CACHE_KIB while it runs, and foreign keys are checked once, just before the commit,
    rather than at every row (which at county scale took a third of the writing): `PRAGMA foreign_key_check`, as
    Django's loaddata does, on every table a statement in the block wrote to, through this module or not, and on
    the tables that refer to one it updated or deleted from. A broken reference raises IntegrityError and nothing
    is saved. (Inside a transaction already open, SQLite cannot stop checking at every row, and still does.)
    PostgreSQL checks its deferred constraints there too, as it would at the commit.
    """
    touched = _Touched()
    checks_off = connection.constraint_checks_disabled()
    with _page_cache(), checks_off, connection.execute_wrapper(touched), transaction.atomic():
        yield
        connection.check_constraints(table_names=touched.tables())


class _Touched:
    """An execute wrapper noting the tables the statements it sees write to."""

    _WRITE = re.compile(r'\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE)

    def __init__(self) -> None:
        self.inserted: set[str] = set()
        self.changed: set[str] = set()  # updated or deleted from: rows elsewhere may refer to what went

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if match := self._WRITE.match(sql):
            verb, table = match.groups()
            (self.inserted if verb.upper().startswith("INSERT") else self.changed).add(table)
        return execute(sql, params, many, context)

    def tables(self) -> list[str]:
        referring = {
            model._meta.db_table
            for model in apps.get_models()
            for f in model._meta.concrete_fields
            if f.related_model is not None and f.related_model._meta.db_table in self.changed
        }
        return sorted(self.inserted | self.changed | referring)


@contextmanager
def _page_cache() -> Iterator[None]:
    """SQLite: a page cache of at least CACHE_KIB while the block runs, put back after."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    # The driver's own connection: the setting is not part of any transaction, and is put back even when the
    # caller's transaction has failed.
    raw = connection.connection
    (setting,) = raw.execute("PRAGMA cache_size").fetchone()
    (page,) = raw.execute("PRAGMA page_size").fetchone()
    if (-setting if setting < 0 else setting * page // 1024) >= CACHE_KIB:
        yield
        return
    raw.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(setting)}")


def _write(
    model: type[models.Model],
    rows: Rows,
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
    if isinstance(rows, pa.Table) and rows.column_names != list(fields):
        raise ValueError(f"the table's columns {rows.column_names} are not the fields {list(fields)}")
    given = [by_attname[name] for name in fields]
    # Django's defaults live in Python, not in the database: a field left out takes its default in every row
    # ("" for text, None for what may be null), except a database-generated primary key.
    defaulted = [f for f in meta.concrete_fields if f.attname not in fields and (f.has_default() or not f.primary_key)]
    concrete = given + defaulted
    table = _quote(meta.db_table)
    columns = ", ".join(_quote(f.column) for f in concrete)
    conflict = _conflict(table, [by_attname[n] for n in unique], [by_attname[n] for n in update])
    prepare = [_Preparer(f) for f in given]
    defaults = [_Default(f) for f in defaulted]

    def prepared(batch: list[Column] | list[pa.ChunkedArray], size: int) -> list[tuple[Any, ...]]:
        values = [p(column) for p, column in zip(prepare, batch, strict=True)]
        values += [d(size) for d in defaults]
        return list(zip(*values, strict=True)) if values else [() for _ in range(size)]

    batches = (prepared(batch, size) for batch, size in _batches(rows, len(fields)))
    with _page_cache():
        if connection.vendor == "postgresql":
            return _copy(table, columns, conflict, batches)
        placeholders = ", ".join(["%s"] * len(concrete))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}){conflict}"  # noqa: S608  (names quoted from the model)
        written = 0
        with connection.cursor() as cursor, _indexes_made_after(meta.db_table, rows):
            for batch in batches:
                cursor.executemany(sql, batch)
                written += len(batch)
        return written


@contextmanager
def _indexes_made_after(table: str, rows: Rows) -> Iterator[None]:
    """SQLite, filling an empty table inside a transaction: its indexes, but the unique ones (which constraints
    and an upsert need), dropped before the rows go in and made again after, as SQLite keeps them in its schema.
    Made from all the rows at once an index is sorted once, instead of having every row put into its place in it
    (which at county scale was a third of SQLite's work). The transaction keeps this out of sight of others, and
    a failure rolls the indexes back with the rows."""
    size = rows.num_rows if isinstance(rows, pa.Table) else len(rows) if isinstance(rows, Sized) else 0
    if size < REINDEX_ROWS or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608
        if cursor.fetchone() is not None:
            yield
            return
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [table])
        # An index SQLite makes for a UNIQUE or PRIMARY KEY column has no SQL of its own, and stays.
        indexes = [(name, made) for name, made in cursor.fetchall() if made and not made.startswith("CREATE UNIQUE")]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {_quote(name)}")
        yield
        for _, sql in indexes:
            cursor.execute(sql)


def _conflict(table: str, unique: list[models.Field], update: list[models.Field]) -> str:
    """The ON CONFLICT clause: update only a row some of whose `update` columns would change."""
    if not unique:
        return ""
    target = ", ".join(_quote(f.column) for f in unique)
    if not update:
        return f" ON CONFLICT ({target}) DO NOTHING"
    names = [_quote(f.column) for f in update]
    sets = ", ".join(f"{name} = excluded.{name}" for name in names)
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    changed = " OR ".join(f"{table}.{name} {differs} excluded.{name}" for name in names)
    return f" ON CONFLICT ({target}) DO UPDATE SET {sets} WHERE {changed}"


def _batches(rows: Rows, width: int) -> Iterator[tuple[list[Any], int]]:
    """The rows BATCH at a time, as columns (Python values, or Arrow arrays for a Table), with the batch's size."""
    if isinstance(rows, pa.Table):
        for start in range(0, rows.num_rows, BATCH):
            part = rows.slice(start, BATCH)
            yield [part.column(i) for i in range(width)], part.num_rows
        return
    source: Iterator[Sequence[Any]] = iter(rows)
    while batch := list(itertools.islice(source, BATCH)):
        for row in batch:
            if len(row) != width:
                raise ValueError(f"a row has {len(row)} values for {width} fields")
        yield (list(zip(*batch, strict=True)) if width else []), len(batch)


def _quote(name: str | None) -> str:
    if name is None:  # a concrete field always has its column
        raise ValueError("a field without a column")
    return connection.ops.quote_name(name)


def _same_methods(field: models.Field, base: type[models.Field]) -> bool:
    """Whether the field converts values as `base` does (a subclass may convert them its own way)."""
    names = ("get_db_prep_save", "get_db_prep_value", "get_prep_value", "to_python")
    return all(getattr(type(field), name) is getattr(base, name) for name in names)


class JsonText(str):
    """Text that is already JSON, for a JSONField: written as it is, where a plain str would be encoded again (as a
    JSON string). For columns computed as JSON by DuckDB or Arrow, without a Python pass over their values."""

    __slots__ = ()


class _Preparer:
    """One field's conversion of a column of values to what the database driver takes: equal, value for value,
    to the field's `get_db_prep_save`, which does the cases not done here in bulk."""

    def __init__(self, field: models.Field) -> None:
        self.field = field
        # A foreign key converts a value by the field it points at (after None, and "" for a UUID, give NULL).
        target = field.target_field if isinstance(field, models.ForeignKey) else field
        self.kind, self.fast = _fast_conversion(target)

    def __call__(self, column: Column | pa.ChunkedArray) -> Sequence[Any]:
        if isinstance(column, pa.ChunkedArray | pa.Array):
            done = _from_arrow(self.kind, column)
            if done is not None:
                return done
            column = column.to_pylist()
        fast, kind = self.fast, self.kind
        if kind is None or fast is None:
            return [self.field.get_db_prep_save(value, connection) for value in column]
        prepare = self.field.get_db_prep_save
        if fast is _SAME:
            return [value if value.__class__ is kind else prepare(value, connection) for value in column]
        return [fast(value) if value.__class__ is kind else prepare(value, connection) for value in column]


def _SAME(value: Any) -> Any:  # noqa: N802  (a marker: the value needs no conversion)
    return value


def _fast_conversion(field: models.Field) -> tuple[type | None, Callable[[Any], Any] | None]:
    """The Python type this field's values usually have, and how one of exactly that type is converted."""
    ops = connection.ops
    if isinstance(field, models.UUIDField) and _same_methods(field, models.UUIDField):
        return uuid.UUID, (_SAME if connection.features.has_native_uuid_field else _hex)
    if type(field) in (models.CharField, models.EmailField, models.SlugField) and _same_methods(
        field, models.CharField
    ):
        return str, _SAME
    if type(field) is models.TextField and _same_methods(field, models.TextField):
        return str, _SAME
    if type(field) is models.DateField and _same_methods(field, models.DateField):
        return datetime.date, ops.adapt_datefield_value
    if isinstance(field, models.JSONField):  # JSON text given as JsonText; any other value by the field
        return JsonText, str
    if type(field) is models.BooleanField and _same_methods(field, models.BooleanField):
        return bool, _SAME
    if type(field) is models.FloatField and _same_methods(field, models.FloatField):
        return float, _SAME
    integers = (
        models.IntegerField,
        models.SmallIntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField,
    )
    if type(field) in integers:  # Django's own: only their range validators differ, run by full_clean, not save
        if type(ops).adapt_integerfield_value is BaseDatabaseOperations.adapt_integerfield_value:
            return int, _SAME
        internal = field.get_internal_type()
        return int, lambda value: ops.adapt_integerfield_value(value, internal)
    return None, None


def _hex(value: uuid.UUID) -> str:
    return value.hex


def _from_arrow(kind: type | None, column: pa.ChunkedArray | pa.Array) -> list[Any] | None:
    """An Arrow column converted with Arrow's kernels where its type and the field's fit, or None."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    kind_of = array.type
    if kind is uuid.UUID and pa.types.is_string(kind_of):
        present = array.drop_null()
        if len(present) and not pc.all(pc.match_substring_regex(present, _CANONICAL_UUID)).as_py():
            return None  # not all written 8-4-4-4-12: the field reads them one by one
        lowered = pc.ascii_lower(array)
        text = lowered if connection.features.has_native_uuid_field else pc.replace_substring(lowered, "-", "")
        # PostgreSQL's COPY reads the text form; SQLite's column holds the 32 hexadecimal digits.
        return text.to_pylist()
    if kind is datetime.date and pa.types.is_date32(kind_of):
        days = array.cast(pa.int32())
        earliest, latest = pc.min_max(days).values()
        if earliest.as_py() is not None and (earliest.as_py() < _FIRST_DAY or latest.as_py() > _LAST_DAY):
            return None
        if connection.vendor != "sqlite":
            return array.to_numpy(zero_copy_only=False).astype(object).tolist()
        return array.cast(pa.string()).to_pylist()  # YYYY-MM-DD, as str(date) writes it
    fits = (
        (kind is str and pa.types.is_string(kind_of))
        or (kind is bool and pa.types.is_boolean(kind_of))
        or (kind is int and pa.types.is_integer(kind_of) and connection.vendor == "sqlite")
        or (kind is float and pa.types.is_floating(kind_of))
    )
    return array.to_pylist() if fits else None


# Defaults that are the time of writing: one value for all the rows of a batch, not a call per row.
_NOW = (timezone.now, timezone.localdate)


class _Default:
    """A left-out field's value in each row of a batch: its default, called per row when it is a callable (a new
    UUID; the time once per batch); for a field Django fills in when saving (auto_now), what it fills in."""

    def __init__(self, field: models.Field) -> None:
        self.field = field
        self.on_save = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        self.per_row = field.has_default() and callable(field.default) and field.default not in _NOW
        self.prepare = _Preparer(field)

    def __call__(self, size: int) -> list[Any]:
        field = self.field
        if self.on_save:
            return list(self.prepare([field.pre_save(field.model(), True)])) * size
        if self.per_row:
            return list(self.prepare([field.get_default() for _ in range(size)]))
        return list(self.prepare([field.get_default()])) * size


def _copy(table: str, columns: str, conflict: str, batches: Iterable[list[tuple[Any, ...]]]) -> int:
    """PostgreSQL: COPY straight into the table for new rows; for an upsert, into a temporary table shaped like the
    target, then one INSERT ... SELECT with the conflict clause (COPY itself cannot upsert)."""
    staging = connection.ops.quote_name("bulk_staging")
    written = 0
    with connection.cursor() as cursor:
        into = staging if conflict else table
        if conflict:
            cursor.execute(f"CREATE TEMPORARY TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {into} ({columns}) FROM STDIN") as copy:
            for batch in batches:
                for row in batch:
                    copy.write_row(row)
                written += len(batch)
        if conflict:
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging}{conflict}")  # noqa: S608
            cursor.execute(f"DROP TABLE {staging}")
    return written
