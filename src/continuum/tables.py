"""Checking tables of records before anything is written: cell readers, and FILE:LINE:FIELD errors.

Plain Python (no Django), so the county snapshot, the agency feeds and analysts' notebooks share one
way of reading a CSV or Parquet file and saying exactly what is wrong with it. A load checks every
row of every table first; any problem stops it with the file, line and field named, and the caller
writes nothing.

    PEOPLE = Table("people", {"person_id": uuid_(), "given_name": text(100), ...}, key="person_id")
    rows = check_tables(folder, [PLACES, PEOPLE, ...])      # raises LoadFailed listing the problems
"""

from __future__ import annotations

import csv
import datetime
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from continuum import vocabulary as v
from continuum.identifiers import postcode_is_valid, postcode_normalise

MAX_ERRORS = 50


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int
    field: str
    why: str

    def __str__(self) -> str:
        # CSV files count lines (the header is line 1); Parquet files count rows.
        where = f"row {self.line}" if self.file.endswith(".parquet") else f"line {self.line}"
        return f"{self.file}, {where}, field {self.field}: {self.why}"


class LoadFailed(Exception):
    """The tables have problems; nothing was written."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        more = " (stopped after the first {MAX_ERRORS})" if len(errors) >= MAX_ERRORS else ""
        super().__init__(f"{len(errors)} problem(s) found{more}; nothing was loaded:\n" + "\n".join(map(str, errors)))


# A column: how to read one cell. Returns the value or raises ValueError with the reason.
Reader = Callable[[Any], Any]
# A check across the cells of one row: None, or (field, why).
RowCheck = Callable[[dict[str, Any]], tuple[str, str] | None]


def text(max_length: int, required: bool = True) -> Reader:
    def read(value: Any) -> str:
        out = "" if value is None else str(value).strip()
        if required and not out:
            raise ValueError("is required")
        if len(out) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return out

    return read


def uuid_(required: bool = True) -> Reader:
    def read(value: Any) -> uuid.UUID | None:
        if value is None or str(value).strip() == "":
            if required:
                raise ValueError("is required")
            return None
        try:
            return uuid.UUID(str(value).strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a UUID") from None

    return read


def date(required: bool = True, past: bool = False) -> Reader:
    def read(value: Any) -> datetime.date | None:
        if value is None or str(value).strip() == "":
            if required:
                raise ValueError("is required")
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            try:
                value = datetime.date.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD") from None
        if past and value > datetime.date.today():
            raise ValueError(f"{value.isoformat()} is in the future")
        return value

    return read


def code(code_list: v.Codes, required: bool = True) -> Reader:
    allowed = v.codes(code_list)

    def read(value: Any) -> str:
        out = "" if value is None else str(value).strip()
        if not out and not required:
            return ""
        if out not in allowed:
            raise ValueError(f"{out!r} is not one of {', '.join(sorted(allowed))}")
        return out

    return read


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    out = "" if value is None else str(value).strip().lower()
    if out in {"true", "1", "yes", "y"}:
        return True
    if out in {"false", "0", "no", "n", ""}:
        return False
    raise ValueError(f"{value!r} is not true or false")


def number(kind: type, required: bool = False) -> Reader:
    def read(value: Any) -> Any:
        if value is None or str(value).strip() == "" or (isinstance(value, float) and value != value):
            if required:
                raise ValueError("is required")
            return None
        try:
            return kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number") from None

    return read


def checked(reader: Reader, problem: Callable[[str], str | None]) -> Reader:
    """A text reader whose value must also pass `problem` (which returns why it is wrong, or None)."""

    def read(value: Any) -> str:
        out = reader(value)
        if out and (why := problem(out)):
            raise ValueError(why)
        return out

    return read


def postcode(required: bool = True) -> Reader:
    def read(value: Any) -> str:
        out = text(20, required)(value)
        if out and not postcode_is_valid(out):
            raise ValueError(f"{out!r} is not a UK postcode")
        return postcode_normalise(out)

    return read


def ends_on_or_after_start(row: dict[str, Any]) -> tuple[str, str] | None:
    """A row check for tables with start_date and end_date columns."""
    start, end = row.get("start_date"), row.get("end_date")
    if start and end and end < start:
        return "end_date", f"{end.isoformat()} is before the start date {start.isoformat()}"
    return None


@dataclass(frozen=True)
class Table:
    """One table of a load: its columns and how each is read, its key, and what its rows refer to.

    `model`, `renames` and `replace_by` say where checked rows go, for the code that writes them
    (a Django model, file columns renamed to its fields, and child tables replaced per parent id
    rather than matched on their own id).
    """

    name: str
    columns: dict[str, Reader]
    key: str | None = None  # the column holding each row's id, unique in the file
    references: dict[str, str] = field(default_factory=dict)  # column -> table whose keys it must match
    checks: tuple[RowCheck, ...] = ()
    model: Any = None
    renames: dict[str, str] = field(default_factory=dict)
    replace_by: str | None = None


def find(directory: Path, name: str) -> Path | None:
    """The table's file in a folder: NAME.parquet, else NAME.csv."""
    for suffix in (".parquet", ".csv"):
        path = directory / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, Any]]]]:
    """Column names and (line, row) pairs. CSV lines count the header as line 1; Parquet rows count from 1."""
    if path.suffix == ".csv":
        handle = path.open(newline="", encoding="utf-8-sig")
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])

        def csv_rows() -> Iterator[tuple[int, dict[str, Any]]]:
            with handle:
                for row in reader:
                    yield reader.line_num, row

        return columns, csv_rows()
    table = pq.read_table(path)
    return table.column_names, ((i + 1, row) for i, row in enumerate(table.to_pylist()))


Progress = Callable[[str, int, int], None]


def check_tables(directory: Path, tables: Sequence[Table], *, progress: Progress | None = None) -> dict[str, list]:
    """Read and check every table in the folder, in order (a table may refer only to those before it).

    Returns the checked rows by table name, or raises LoadFailed with every problem found (up to MAX_ERRORS).
    """
    errors: list[LoadError] = []
    parsed: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, set[Any]] = {}
    for done, table in enumerate(tables, start=1):
        path = find(directory, table.name)
        if path is None:
            errors.append(LoadError(f"{table.name}.parquet or .csv", 0, "-", "the file is missing"))
            continue
        parsed[table.name], table_errors = _check(table, path, keys)
        errors.extend(table_errors)
        if progress:
            progress(f"checked {table.name}", done, len(tables))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise LoadFailed(errors[:MAX_ERRORS])
    return parsed


def _check(table: Table, path: Path, keys: dict[str, set[Any]]) -> tuple[list[dict[str, Any]], list[LoadError]]:
    errors: list[LoadError] = []
    columns, rows = read_rows(path)
    missing = [c for c in table.columns if c not in columns]
    if missing:
        return [], [LoadError(path.name, 1, c, "this column is missing") for c in missing]
    seen: set[Any] = set()
    out = []
    for line, raw in rows:
        row: dict[str, Any] = {}
        for column, read in table.columns.items():
            try:
                row[column] = read(raw.get(column))
            except ValueError as exc:
                errors.append(LoadError(path.name, line, column, str(exc)))
        if table.key and row.get(table.key) is not None:
            # Known even when another cell of the row is wrong, so references to it do not fail too.
            if row[table.key] in seen:
                errors.append(LoadError(path.name, line, table.key, f"{row[table.key]} appears more than once"))
            seen.add(row[table.key])
        if len(row) == len(table.columns):
            for column, target in table.references.items():
                if row[column] is not None and row[column] not in keys.get(target, set()):
                    errors.append(LoadError(path.name, line, column, f"{row[column]} is not in {target}"))
            for check in table.checks:
                if problem := check(row):
                    errors.append(LoadError(path.name, line, *problem))
        out.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    keys[table.name] = seen
    return out, errors
