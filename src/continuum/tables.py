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
import math
import re
import uuid
from collections.abc import Callable, Collection, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
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
        more = f" (stopped after the first {MAX_ERRORS})" if len(errors) >= MAX_ERRORS else ""
        super().__init__(f"{len(errors)} problem(s) found{more}; nothing was loaded:\n" + "\n".join(map(str, errors)))


class Unreadable(Exception):
    """A file that cannot be read on from some line (or row): where, and why."""

    def __init__(self, line: int, why: str, field: str = "-") -> None:
        super().__init__(why)
        self.line, self.why, self.field = line, why, field

    def at(self, path: Path) -> LoadError:
        return LoadError(path.name, self.line, self.field, self.why)


# A column: how to read one cell. Returns the value or raises ValueError with the reason.
Reader = Callable[[Any], Any]
# A check across the cells of one row: None, or (field, why).
RowCheck = Callable[[dict[str, Any]], tuple[str, str] | None]
# Values already held outside the files (in a database): given a table, a group of its unique columns
# and the values of those columns in the file, the key of the stored row holding each value, for those held.
Taken = Callable[["Table", tuple[str, ...], set[tuple[Any, ...]]], dict[tuple[Any, ...], Any]]


def shown(value: Any) -> str:
    """A cell as quoted in a message: repr, so control characters show escaped, and cut short when long."""
    out = repr(value)
    return out if len(out) <= 60 else f"{out[:50]}...{out[-1]}"


# Control characters are Unicode's category Cc: U+0000-U+001F and U+007F-U+009F. Names, codes, ids and
# dates never hold one (a NUL cannot even be stored in PostgreSQL text; an escape can rewrite a terminal),
# so every cell refuses them, tab included. Only multi-line text (notes) may hold tab, LF and CR.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {"\x00": "NUL", "\t": "tab", "\n": "line feed", "\r": "carriage return", "\x1b": "escape"}


def _cell(value: Any, multiline: bool = False) -> str:
    """A cell as trimmed text: "" when missing (None, or NaN in a Parquet float column); ValueError if it
    holds a control character. Tabs and line breaks at either end are trimmed like spaces."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    raw = str(value)
    found = (_CONTROL_BUT_LINES if multiline else _CONTROL).search(raw.strip(" \t\r\n"))
    if found:
        char = found.group()
        name = f" {_CONTROL_NAMES[char]}" if char in _CONTROL_NAMES else ""
        raise ValueError(f"contains a control character (U+{ord(char):04X}{name})")
    return raw.strip()


def text(max_length: int, required: bool = True, *, multiline: bool = False) -> Reader:
    """Text of at most max_length characters, trimmed, with no control characters (see _CONTROL)."""

    def read(value: Any) -> str:
        out = _cell(value, multiline)
        if required and not out:
            raise ValueError("is required")
        if len(out) > max_length:
            raise ValueError(f"is longer than {max_length} characters")
        return out

    return read


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def uuid_(required: bool = True) -> Reader:
    """A UUID written as 8-4-4-4-12 hexadecimal digits (the uuid module alone would also take braces,
    a urn: prefix, and hyphens or underscores anywhere)."""

    def read(value: Any) -> uuid.UUID | None:
        if isinstance(value, uuid.UUID):
            return value
        out = _cell(value)
        if not out:
            if required:
                raise ValueError("is required")
            return None
        if not _UUID.fullmatch(out):
            raise ValueError(f"{shown(value)} is not a UUID")
        return uuid.UUID(out)

    return read


# Only YYYY-MM-DD: since Python 3.11 date.fromisoformat also takes 20120310, 2012-W10-3, 2012W103 and 2012-W10.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def date(required: bool = True, past: bool = False) -> Reader:
    """A date: YYYY-MM-DD in a CSV or Parquet text column, or a Parquet date or timestamp column."""

    def read(value: Any) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            out = _cell(value)
            if not out:
                if required:
                    raise ValueError("is required")
                return None
            try:
                if not _ISO_DATE.fullmatch(out):
                    raise ValueError
                value = datetime.date.fromisoformat(out)
            except ValueError:
                raise ValueError(f"{shown(value)} is not a date in the form YYYY-MM-DD") from None
        if past and value > datetime.date.today():
            raise ValueError(f"{value.isoformat()} is in the future")
        return value

    return read


# A moment, with its offset from UTC: 2025-03-31T09:15:00Z, 2025-06-02T14:30+01:00 (seconds and fractions optional).
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)


def moment(required: bool = True) -> Reader:
    """A date and time with its offset from UTC (YYYY-MM-DDTHH:MM[:SS]Z or +HH:MM), or a Parquet timestamp
    with a time zone. A time without an offset is refused: nobody could tell which hour it meant."""

    def read(value: Any) -> datetime.datetime | None:
        if not isinstance(value, datetime.datetime):
            out = _cell(value)
            if not out:
                if required:
                    raise ValueError("is required")
                return None
            if _ISO_MOMENT.fullmatch(out + "Z"):
                raise ValueError(f"{shown(value)} has no offset from UTC (end it with Z or +HH:MM)")
            try:
                if not _ISO_MOMENT.fullmatch(out):
                    raise ValueError
                value = datetime.datetime.fromisoformat(out)
            except ValueError:
                raise ValueError(
                    f"{shown(value)} is not a date and time in the form YYYY-MM-DDTHH:MM:SSZ (or +HH:MM)"
                ) from None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{shown(value.isoformat())} has no offset from UTC (end it with Z or +HH:MM)")
        return value

    return read


def code(code_list: v.Codes, required: bool = True) -> Reader:
    allowed = v.codes(code_list)

    def read(value: Any) -> str:
        out = _cell(value)
        if not out and not required:
            return ""
        if out not in allowed:
            raise ValueError(f"{shown(out)} is not one of {', '.join(sorted(allowed))}")
        return out

    return read


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    out = _cell(value).lower()
    if out in {"true", "1", "yes", "y"}:
        return True
    if out in {"false", "0", "no", "n", ""}:
        return False
    raise ValueError(f"{shown(value)} is not true or false")


# Plain decimal notation only: float() and int() would also take "nan", "inf", "1_000" and other scripts' digits.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_LARGEST_WHOLE = 2**63 - 1  # a whole number beyond a 64-bit integer fits no database column


def number(
    kind: type[int] | type[float],
    required: bool = False,
    *,
    minimum: int | float | None = None,
    maximum: int | float | None = None,
) -> Reader:
    """A number (int: whole, such as 12 or 12.0; float: finite), between minimum and maximum when given."""
    whole = kind is int

    def read(value: Any) -> int | float | None:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            out = None if isinstance(value, float) and math.isnan(value) else Decimal(value)
        elif _DECIMAL.fullmatch(cell := _cell(value)):
            out = Decimal(cell)
        elif cell:
            raise ValueError(f"{shown(value)} is not a number")
        else:
            out = None
        if out is None:
            if required:
                raise ValueError("is required")
            return None
        if not out.is_finite():
            raise ValueError(f"{shown(value)} is not a finite number")
        if whole and out != out.to_integral_value():
            raise ValueError(f"{shown(value)} is not a whole number")
        if (minimum is not None and out < minimum) or (maximum is not None and out > maximum):
            if maximum is None:
                raise ValueError(f"{shown(value)} is less than {minimum}")
            if minimum is None:
                raise ValueError(f"{shown(value)} is more than {maximum}")
            raise ValueError(f"{shown(value)} is not between {minimum} and {maximum}")
        if whole and out.copy_abs() > _LARGEST_WHOLE:
            raise ValueError(f"{shown(value)} is too large")
        result = int(out) if whole else float(out)
        if not math.isfinite(result):  # 1e999 is finite as a Decimal, not as a float
            raise ValueError(f"{shown(value)} is too large")
        return result

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
            raise ValueError(f"{shown(out)} is not a UK postcode")
        return postcode_normalise(out)

    return read


# A "valid email address" as the WHATWG HTML Standard defines it for <input type=email>
# (https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address): ASCII only, no quoted local
# part, no comments, no IP-address domain, each domain label 1-63 letters, digits or inner hyphens. It is
# the rule browsers apply, and deliberately narrower than RFC 5322.
_EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)


def _email_problem(value: str) -> str | None:
    return None if _EMAIL.fullmatch(value) else f"{shown(value)} is not an email address"


def email(required: bool = False) -> Reader:
    """An email address (the WHATWG HTML definition), at most 254 characters like Django's EmailField."""
    return checked(text(254, required), _email_problem)


def ends_on_or_after_start(row: dict[str, Any]) -> tuple[str, str] | None:
    """A row check for tables with start_date and end_date columns."""
    start, end = row.get("start_date"), row.get("end_date")
    if start and end and end < start:
        return "end_date", f"{end.isoformat()} is before the start date {start.isoformat()}"
    return None


@dataclass(frozen=True)
class Table:
    """One table of a load: its columns and how each is read, its key, and what its rows refer to.

    `unique` lists groups of columns whose values together no two rows may share, like a database's
    unique constraints: `(("name",),)` for a unique name, `(("agency_id", "name"),)` for a name unique
    within an agency. A row with no value in a group (an empty id, date or number) is not compared, as
    SQL does not compare NULLs; empty text is compared, as it is stored as ''.

    `optional` names columns a file may leave out (added in a later release, so older extracts still load);
    a missing optional column reads as empty in every row.

    `model`, `renames` and `replace_by` say where checked rows go, for the code that writes them
    (a Django model, file columns renamed to its fields, and child tables replaced per parent id
    rather than matched on their own id).
    """

    name: str
    columns: dict[str, Reader]
    key: str | None = None  # the column holding each row's id, unique in the file
    references: dict[str, str] = field(default_factory=dict)  # column -> table whose keys it must match
    checks: tuple[RowCheck, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    optional: frozenset[str] = frozenset()
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


Rows = Generator[tuple[int, dict[str, Any], int], None, None]


def read_rows(path: Path, wanted: Collection[str] | None = None) -> tuple[list[str], Rows]:
    """Column names, and (line, row, cells) for each row: `cells` is how many cells the row has.

    CSV lines count the header as line 1, and a row is numbered by the line it starts on; Parquet rows
    count from 1 (and only the `wanted` columns are read). Raises Unreadable, at once or while the rows
    are read, for a file that is not UTF-8, not CSV or not Parquet.
    """
    if path.suffix == ".csv":
        return read_csv_rows(path)
    return _parquet_rows(path, wanted)


def read_csv_rows(path: Path) -> tuple[list[str], Rows]:
    """read_rows for a file that is CSV whatever its name ends with (an agency's `Episodes 2024.CSV`)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            columns = next(csv.reader(handle), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _unreadable(path, 1, exc) from None

    def rows() -> Rows:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            start = 1
            try:
                next(reader, None)  # the header, read above
                start = reader.line_num + 1
                for cells in reader:
                    if cells:  # a blank line is not a row
                        yield start, dict(zip(columns, cells, strict=False)), len(cells)
                    start = reader.line_num + 1
            except (UnicodeDecodeError, csv.Error) as exc:
                raise _unreadable(path, start, exc) from None

    return columns, rows()


def _unreadable(path: Path, line: int, exc: Exception) -> Unreadable:
    if isinstance(exc, UnicodeDecodeError):
        # The decoder reads ahead in blocks, so the line being parsed is not where the bad byte is.
        line, offset, byte = _first_non_utf8(path)
        return Unreadable(
            line,
            f"the file is not UTF-8 (byte 0x{byte:02X} at offset {offset}); save it as UTF-8 and load it again",
        )
    if "field limit" in str(exc):
        return Unreadable(
            line, f"a cell is longer than {csv.field_size_limit():,} characters, the most a CSV cell may hold"
        )
    return Unreadable(line, f"this is not a CSV row ({exc})")


def _first_non_utf8(path: Path) -> tuple[int, int, int]:
    """The line, byte offset and value of the first byte that is not UTF-8 (counting lines as csv does)."""
    offset = 0
    # Latin-1 maps each byte to one character, so the lines come back as their bytes.
    with path.open(encoding="latin-1", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            raw = line.encode("latin-1")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, offset + exc.start, raw[exc.start]
            offset += len(raw)
    return 1, 0, 0  # not reached: only called after a decoding error


def _parquet_rows(path: Path, wanted: Collection[str] | None) -> tuple[list[str], Rows]:
    try:
        columns = pq.read_schema(path).names
    except (pa.ArrowException, OSError) as exc:
        raise Unreadable(0, f"this is not a Parquet file that can be read ({exc})") from None

    def rows() -> Rows:
        names = [c for c in columns if wanted is None or c in wanted]
        try:
            table = pq.read_table(path, columns=names)
        except (pa.ArrowException, OSError) as exc:
            raise Unreadable(0, f"this is not a Parquet file that can be read ({exc})") from None
        values = {}
        for name in names:
            try:
                values[name] = table.column(name).to_pylist()
            except UnicodeDecodeError:
                row = next(i for i, cell in enumerate(table.column(name)) if not _decodes(cell))
                raise Unreadable(row + 1, "is not UTF-8 text; write the column as UTF-8 strings", name) from None
        for i in range(table.num_rows):
            yield i + 1, {name: values[name][i] for name in names}, len(columns)

    return columns, rows()


def _decodes(cell: pa.Scalar) -> bool:
    try:
        cell.as_py()
    except UnicodeDecodeError:
        return False
    return True


Progress = Callable[[str, int, int], None]


def check_tables(
    directory: Path, tables: Sequence[Table], *, progress: Progress | None = None, taken: Taken | None = None
) -> dict[str, list]:
    """Read and check every table in the folder, in order (a table may refer only to those before it).

    `taken` says which values of a table's unique columns rows already hold outside the files (in a
    database); a row whose values are held by a row with another key is refused.

    Returns the checked rows by table name, or raises LoadFailed with every problem found (up to MAX_ERRORS).
    """
    errors: list[LoadError] = []
    parsed: dict[str, list[dict[str, Any]]] = {}
    keys: Keys = {}
    for done, table in enumerate(tables, start=1):
        path = find(directory, table.name)
        if path is None:
            errors.append(LoadError(f"{table.name}.parquet or .csv", 0, "-", "the file is missing"))
            keys[table.name] = None
            continue
        parsed[table.name], table_errors = _check(table, path, keys, taken)
        errors.extend(table_errors)
        if progress:
            progress(f"checked {table.name}", done, len(tables))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise LoadFailed(errors[:MAX_ERRORS])
    return parsed


# The keys of each table checked so far; None for a file that could not be read whole, whose rows nobody
# can tell are there, so references to it are not reported as well.
Keys = dict[str, set[Any] | None]
# Per group of unique columns: the values seen, with the line they were first on and that row's key.
Firsts = dict[tuple[str, ...], dict[tuple[Any, ...], tuple[int, Any]]]


def _check(table: Table, path: Path, keys: Keys, taken: Taken | None) -> tuple[list[dict[str, Any]], list[LoadError]]:
    seen: set[Any] = set()
    keys[table.name] = None  # until the whole file has been read
    try:
        columns, rows = read_rows(path, table.columns)
    except Unreadable as exc:
        return [], [exc.at(path)]
    with closing(rows):
        if problems := _header_problems(table, path, columns):
            return [], problems
        errors: list[LoadError] = []
        firsts: Firsts = {group: {} for group in table.unique}
        out = []
        try:
            for line, raw, cells in rows:
                if cells == len(columns):
                    out.append(_check_row(table, path, line, raw, seen, keys, firsts, errors))
                else:
                    why = f"this row has {cells} cells but the header has {len(columns)}"
                    errors.append(LoadError(path.name, line, "-", why))
                    _remember_key(table, raw, seen)
                if len(errors) >= MAX_ERRORS:
                    return out, errors
        except Unreadable as exc:
            return out, [*errors, exc.at(path)]
    keys[table.name] = seen
    if taken and table.key:
        errors.extend(_held_elsewhere(table, path, firsts, taken))
    return out, errors


def _header_problems(table: Table, path: Path, columns: list[str]) -> list[LoadError]:
    named = [c for c in columns if c]  # unnamed columns are ignored, like any column not read
    repeated = sorted({c for c in named if named.count(c) > 1})
    if repeated:
        return [LoadError(path.name, 1, c, "this column appears more than once in the header") for c in repeated]
    return [
        LoadError(path.name, 1, c, "this column is missing")
        for c in table.columns
        if c not in columns and c not in table.optional
    ]


def _check_row(
    table: Table,
    path: Path,
    line: int,
    raw: dict[str, Any],
    seen: set[Any],
    keys: Keys,
    firsts: Firsts,
    errors: list[LoadError],
) -> dict[str, Any]:
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
    for group, first in firsts.items():
        if any(row.get(c) is None for c in group):  # unreadable or empty: not compared
            continue
        values = tuple(row[c] for c in group)
        if values in first:
            where = "row" if path.suffix == ".parquet" else "line"
            why = f"appears more than once (first on {where} {first[values][0]})"
            errors.append(LoadError(path.name, line, group[-1], _unique_why(group, values, why)))
        else:
            first[values] = (line, row.get(table.key) if table.key else None)
    if len(row) == len(table.columns):
        for column, target in table.references.items():
            known = keys.get(target, set())
            if row[column] is not None and known is not None and row[column] not in known:
                errors.append(LoadError(path.name, line, column, f"{row[column]} is not in {target}"))
        for check in table.checks:
            if problem := check(row):
                errors.append(LoadError(path.name, line, *problem))
    return row


def _remember_key(table: Table, raw: dict[str, Any], seen: set[Any]) -> None:
    """The key of a row that cannot be read, if it can be, so that references to it do not fail too."""
    if table.key:
        try:
            key = table.columns[table.key](raw.get(table.key))
        except ValueError:
            return
        if key is not None:
            seen.add(key)


def _unique_why(group: tuple[str, ...], values: tuple[Any, ...], why: str) -> str:
    alongside = f" with this {', '.join(group[:-1])}" if len(group) > 1 else ""
    return f"{shown(values[-1])}{alongside} {why}"


def _held_elsewhere(table: Table, path: Path, firsts: Firsts, taken: Taken) -> list[LoadError]:
    errors = []
    for group, first in firsts.items():
        if not first:
            continue
        for values, owner in taken(table, group, set(first)).items():
            line, key = first[values]
            if key is not None and owner != key:
                why = f"already belongs to {table.key} {owner} in the database"
                errors.append(LoadError(path.name, line, group[-1], _unique_why(group, values, why)))
    return sorted(errors, key=lambda e: e.line)


def spreadsheet_safe(text: str) -> str:
    """A cell of a CSV written for people to open: one starting with = + - @ (or a tab or carriage return)
    would be run as a formula by spreadsheets, so it is prefixed with an apostrophe and stays text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
