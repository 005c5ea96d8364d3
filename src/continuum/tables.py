"""Checking tables of records before anything is written: cell readers, and FILE:LINE:FIELD errors.

Plain Python (no Django), so the county snapshot, the agency feeds and analysts' notebooks share one
way of reading a CSV or Parquet file and saying exactly what is wrong with it. A load checks every
row of every table first; any problem stops it with the file, line and field named, and the caller
writes nothing.

    PEOPLE = Table("people", {"person_id": uuid_(), "given_name": text(100), ...}, key="person_id")
    rows = check_tables(folder, [PLACES, PEOPLE, ...])      # raises LoadFailed listing the problems

A big file is checked a whole column at a time with Arrow (check_tables_by_column gives the columns, for a
writer that takes them whole), and row by row, with these readers, as soon as it shows any problem: the
readers stay the one definition of what is valid and of every message.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import math
import re
import uuid
import weakref
from collections.abc import Callable, Collection, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
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
# A reader's vectorised form (see "Checking column by column" below): given a whole column of cells in Arrow,
# what the reader returns for each cell, or None unless every cell is surely one the reader takes.
VectorReader = Callable[[pa.Array], "Column | None"]
_VECTOR: weakref.WeakKeyDictionary[Reader, VectorReader] = weakref.WeakKeyDictionary()


def _vectorised(read: Reader, vector: VectorReader) -> Reader:
    _VECTOR[read] = vector
    return read


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

    return _vectorised(read, lambda cells: _text_column(cells, max_length, required, multiline))


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

    return _vectorised(read, lambda cells: _uuid_column(cells, required))


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

    return _vectorised(read, lambda cells: _date_column(cells, required, past))


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

    # Only for codes the reader's trimming leaves as they are (every code list's codes are).
    if any(c != c.strip() or _CONTROL.search(c) for c in allowed):
        return read
    return _vectorised(read, lambda cells: _code_column(cells, allowed, required))


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

    if not whole:
        return read
    return _vectorised(read, lambda cells: _whole_column(cells, required, minimum, maximum))


def checked(reader: Reader, problem: Callable[[str], str | None]) -> Reader:
    """A text reader whose value must also pass `problem` (which returns why it is wrong, or None)."""

    def read(value: Any) -> str:
        out = reader(value)
        if out and (why := problem(out)):
            raise ValueError(why)
        return out

    return _vectorised(read, lambda cells: _checked_column(cells, reader, problem))


def postcode(required: bool = True) -> Reader:
    def read(value: Any) -> str:
        out = text(20, required)(value)
        if out and not postcode_is_valid(out):
            raise ValueError(f"{shown(out)} is not a UK postcode")
        return postcode_normalise(out)

    return _vectorised(read, lambda cells: _postcode_column(cells, required))


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
        return not_utf8(path) or Unreadable(line, "the file is not UTF-8; save it as UTF-8 and load it again")
    if "field limit" in str(exc):
        return Unreadable(
            line, f"a cell is longer than {csv.field_size_limit():,} characters, the most a CSV cell may hold"
        )
    return Unreadable(line, f"this is not a CSV row ({exc})")


def not_utf8(path: Path) -> Unreadable | None:
    """Where a file's first byte that is not UTF-8 is, and what to do, or None when it is all UTF-8.

    Read in large blocks, so that a county's attendance file is checked in seconds; lines are counted as the csv
    module counts them (a line ends at LF, CR LF or a CR alone)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = line_ends = 0  # where the block starts, and the line ends before it
    after_cr = False  # the block before ended with CR (counted as a line end: an LF starting this block is not)
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 22)
            held = len(decoder.getstate()[0])  # bytes of a character the block before left unfinished
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                at = offset - held + exc.start
                line = line_ends + _line_ends(chunk[: max(at - offset, 0)], after_cr) + 1
                byte = exc.object[exc.start]
                why = f"the file is not UTF-8 (byte 0x{byte:02X} at offset {at}); save it as UTF-8 and load it again"
                return Unreadable(line, why)
            if not chunk:
                return None
            offset += len(chunk)
            line_ends += _line_ends(chunk, after_cr)
            after_cr = chunk.endswith(b"\r")


def _line_ends(chunk: bytes, after_cr: bool) -> int:
    ends = chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
    return ends - 1 if after_cr and chunk.startswith(b"\n") else ends


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
    directory: Path,
    tables: Sequence[Table],
    *,
    progress: Progress | None = None,
    taken: Taken | None = None,
    by_row: bool = False,
) -> dict[str, list]:
    """Read and check every table in the folder, in order (a table may refer only to those before it).

    `taken` says which values of a table's unique columns rows already hold outside the files (in a
    database); a row whose values are held by a row with another key is refused.

    Returns the checked rows by table name, or raises LoadFailed with every problem found (up to MAX_ERRORS).
    `by_row` checks every file row by row, the way a file with a problem is checked (see check_tables_by_column).
    """
    checked = check_tables_by_column(directory, tables, progress=progress, taken=taken, by_row=by_row)
    return {name: table.rows() for name, table in checked.items()}


def check_tables_by_column(
    directory: Path,
    tables: Sequence[Table],
    *,
    progress: Progress | None = None,
    taken: Taken | None = None,
    by_row: bool = False,
) -> dict[str, CheckedTable]:
    """check_tables, giving each table's checked rows column by column (in Arrow where the readers' vectorised
    forms read them), for a caller that writes whole columns.

    Each file is first checked a column at a time; at the first sign of any problem it is checked again row by
    row, the one definition of what is valid and of every message, so the problems and their order are the
    same either way. `by_row` checks every file row by row.
    """
    errors: list[LoadError] = []
    parsed: dict[str, CheckedTable] = {}
    keys: Keys = {}
    uuids: dict[str, uuid.UUID] = {}  # each UUID read, by its text: references share one object per id
    for done, table in enumerate(tables, start=1):
        path = find(directory, table.name)
        if path is None:
            errors.append(LoadError(f"{table.name}.parquet or .csv", 0, "-", "the file is missing"))
            keys[table.name] = None
            continue
        fast = None if by_row else _check_by_column(table, path, keys, taken, uuids)
        if fast is None:
            rows, table_errors = _check(table, path, keys, taken)
            parsed[table.name] = CheckedTable.of_rows(table, rows)
        else:
            parsed[table.name], table_errors = fast
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
Keys = dict[str, "set[Any] | _Keys | None"]
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


# -- Checking column by column ------------------------------------------------------------------------
#
# Reading a big file cell by cell in Python is most of a load's checking time, and nearly every file is
# valid. So each file is first checked a column at a time: a reader's vectorised form (registered with
# _vectorised; for text, UUIDs, dates, codes, booleans, whole numbers, postcodes and checked text) proves a
# whole column in Arrow is made of cells the reader takes, and gives what it would return; a reader without
# one reads each distinct cell once. Keys, unique columns and references are compared whole columns at a
# time, and a row check with a vectorised form (_VECTOR_CHECKS) checks whole columns too. At the first sign
# of a problem, before any row check has run, the file is checked again row by row (_check) and its
# problems come from there. Then the other row checks run on the rows, in order, as _check runs them.

TEXT, UUID, DATE, WHOLE, BOOL, PYTHON = "text", "uuid", "date", "whole", "bool", "python"


class Column:
    """One checked column: what its reader returned for each cell. In Arrow when the reader's vectorised form
    read it, as `kind` says: TEXT strings, UUID text in lower case 8-4-4-4-12, DATE date32, WHOLE int64, BOOL
    booleans, null for None; otherwise (PYTHON) only as Python values."""

    __slots__ = ("_values", "arrow", "kind", "uuids")

    def __init__(self, kind: str, arrow: pa.Array | None = None, values: list[Any] | None = None) -> None:
        self.kind, self.arrow, self._values = kind, arrow, values
        self.uuids: dict[str, uuid.UUID] = {}

    def values(self) -> list[Any]:
        """The values as the reader returns them (uuid.UUID, datetime.date, str, int, bool or None)."""
        if self._values is None:
            self._values = self._python()
        return self._values

    def _python(self) -> list[Any]:
        if self.arrow is None:  # a PYTHON column always has its values
            raise ValueError("a column without values")
        if self.kind == DATE:
            dates: list[Any] = self.arrow.to_numpy(zero_copy_only=False).astype(object).tolist()
            return dates  # numpy makes date objects several times faster than Arrow's to_pylist
        if self.kind != UUID:
            return self.arrow.to_pylist()
        known = self.uuids

        def made(text: str) -> uuid.UUID:
            value = known[text] = uuid.UUID(text)
            return value

        return [None if text is None else known.get(text) or made(text) for text in self.arrow.to_pylist()]


class CheckedTable:
    """One table's checked rows, column by column; `rows()` gives them row by row, as check_tables does."""

    def __init__(self, table: Table, columns: dict[str, Column], length: int, lines: list[int] | None = None) -> None:
        self.table, self.columns, self.length, self.lines = table, columns, length, lines
        self._rows: list[dict[str, Any]] | None = None

    @classmethod
    def of_rows(cls, table: Table, rows: list[dict[str, Any]]) -> CheckedTable:
        """Rows checked row by row."""
        columns = {name: Column(PYTHON, values=[row.get(name) for row in rows]) for name in table.columns}
        checked = cls(table, columns, len(rows))
        checked._rows = rows
        return checked

    def __len__(self) -> int:
        return self.length

    def column(self, name: str) -> Column:
        return self.columns[name]

    def line(self, index: int) -> int:
        """The line (CSV) or row (Parquet) of the row at this index, as problems name it."""
        return self.lines[index] if self.lines is not None else index + 1

    def rows(self) -> list[dict[str, Any]]:
        if self._rows is None:
            names = list(self.table.columns)
            values = [self.columns[name].values() for name in names]
            # A row has a value in every column (zip's strict check, made for each row, would only add its cost).
            self._rows = [dict(zip(names, cells, strict=False)) for cells in zip(*values, strict=True)]
        return self._rows


class _Keys:
    """A table's keys, checked column by column: its key column, for comparing whole columns of references in
    Arrow, and as a set (made when first asked) for a file checked row by row."""

    def __init__(self, column: Column) -> None:
        self.column = column
        self._set: set[Any] | None = None

    def python(self) -> set[Any]:
        if self._set is None:
            self._set = {value for value in self.column.values() if value is not None}
        return self._set

    def __contains__(self, value: object) -> bool:
        return value in self.python()


def _check_by_column(
    table: Table, path: Path, keys: Keys, taken: Taken | None, uuids: dict[str, uuid.UUID]
) -> tuple[CheckedTable, list[LoadError]] | None:
    """The table checked a column at a time, and the problems its row checks found; None at the first sign of
    any other problem (nothing is changed then: no row check has run)."""
    keys[table.name] = None  # until the whole file has been read
    read = _read_columns(table, path)
    if read is None:
        return None
    cells, length, lines = read
    columns = {}
    for name, reader in table.columns.items():
        column = _column(reader, cells[name])
        if column is None:
            return None
        column.uuids = uuids
        columns[name] = column
    checked = CheckedTable(table, columns, length, lines)
    firsts = _firsts(checked)
    if firsts is None or not _keys_unique(checked) or not _references_known(checked, keys):
        return None
    later = []
    for check in table.checks:
        whole = _VECTOR_CHECKS.get(check)
        holds = whole(checked) if whole else None
        if holds is False:
            return None
        if holds is None:
            later.append(check)
    errors: list[LoadError] = []
    if later:
        for index, row in enumerate(checked.rows()):
            for check in later:
                if problem := check(row):
                    errors.append(LoadError(path.name, checked.line(index), *problem))
            if len(errors) >= MAX_ERRORS:
                return checked, errors
    keys[table.name] = _Keys(columns[table.key]) if table.key else set()
    if taken and table.key:
        errors.extend(_held_elsewhere(table, path, firsts, taken))
    return checked, errors


class _Cells:
    """A file's column of cells: in Arrow (Parquet), or the csv module's strings (put in Arrow when asked)."""

    __slots__ = ("_arrow", "_values")

    def __init__(self, arrow: pa.Array | None = None, values: list[Any] | None = None) -> None:
        self._arrow, self._values = arrow, values

    def arrow(self) -> pa.Array:
        if self._arrow is None:
            self._arrow = pa.array(self._values, pa.string())
        return self._arrow

    def values(self) -> list[Any]:
        if self._values is None:
            self._values = self._arrow.to_pylist() if self._arrow is not None else []
        return self._values


def _read_columns(table: Table, path: Path) -> tuple[dict[str, _Cells], int, list[int] | None] | None:
    """Each of the table's columns in the file (a missing optional one as empty cells), how many rows, and for
    a CSV file the line each row starts on; None for a file with a problem in its header or in how it is
    written (not UTF-8, not CSV or Parquet, a row with too many or too few cells)."""
    if path.suffix == ".csv":
        return _csv_columns(table, path)
    try:
        names = pq.read_schema(path).names
        if _header_problems(table, path, names):
            return None
        data = pq.read_table(path, columns=[c for c in names if c in table.columns])
    except (pa.ArrowException, OSError):
        return None
    cells = {}
    for name in table.columns:
        if name not in names:
            cells[name] = _Cells(values=[None] * data.num_rows)
            continue
        array = data.column(name).combine_chunks()
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        if pa.types.is_large_string(array.type) or pa.types.is_string_view(array.type):
            array = array.cast(pa.string())
        try:
            array.validate(full=True)  # among others, that text is UTF-8
        except pa.ArrowInvalid:
            return None
        cells[name] = _Cells(arrow=array)
    return cells, data.num_rows, None


def _csv_columns(table: Table, path: Path) -> tuple[dict[str, _Cells], int, list[int]] | None:
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            if _header_problems(table, path, header):
                return None
            start = reader.line_num + 1
            for row in reader:
                if row:  # a blank line is not a row
                    if len(row) != len(header):
                        return None
                    rows.append(row)
                    lines.append(start)
                start = reader.line_num + 1
    except (UnicodeDecodeError, csv.Error):
        return None
    by_position = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    cells = {
        name: _Cells(values=list(by_position[header.index(name)]) if name in header else [None] * len(rows))
        for name in table.columns
    }
    return cells, len(rows), lines


# Cells equal as these types are read alike, so each distinct one is read once; results of these types may be
# shared by the rows that read them (a list could be changed through one of them).
_SAME_READING = frozenset({str, int, datetime.date, type(None)})
_SHAREABLE = frozenset({str, int, float, bool, datetime.date, uuid.UUID, Decimal, type(None)})


def _column(read: Reader, cells: _Cells) -> Column | None:
    """A column read by the reader's vectorised form, else by the reader itself; None if a cell has a problem."""
    vector = _VECTOR.get(read)
    if vector is not None:
        try:
            column = vector(cells.arrow())
        except pa.ArrowException:  # a column Arrow's kernels cannot take: cell by cell
            column = None
        if column is not None:
            return column
    seen: dict[Any, Any] = {}
    out = []
    try:
        for value in cells.values():
            if type(value) not in _SAME_READING:
                out.append(read(value))
            elif value in seen:
                out.append(seen[value])
            else:
                result = read(value)
                if type(result) in _SHAREABLE:
                    seen[value] = result
                out.append(result)
    except ValueError:
        return None
    return Column(PYTHON, values=out)


def _firsts(checked: CheckedTable) -> Firsts | None:
    """Each unique group's values with the line they are on and that row's key; None if two rows share them."""
    table = checked.table
    firsts: Firsts = {group: {} for group in table.unique}
    owners = checked.column(table.key).values() if table.key and table.unique else None
    for group, first in firsts.items():
        if any(c not in table.columns for c in group):  # such a column reads as empty: never compared
            continue
        for index, values in enumerate(zip(*(checked.column(c).values() for c in group), strict=True)):
            if any(value is None for value in values):
                continue
            if values in first:
                return None
            first[values] = (checked.line(index), owners[index] if owners is not None else None)
    return firsts


def _keys_unique(checked: CheckedTable) -> bool:
    key = checked.table.key
    if not key:
        return True
    column = checked.column(key)
    if column.arrow is not None:
        present = len(column.arrow) - column.arrow.null_count
        return bool(pc.count_distinct(column.arrow, mode="only_valid").as_py() == present)
    values = [value for value in column.values() if value is not None]
    return len(set(values)) == len(values)


def _references_known(checked: CheckedTable, keys: Keys) -> bool:
    for name, target in checked.table.references.items():
        known = keys.get(target, set())
        if known is None:
            continue
        column = checked.columns.get(name)
        if column is None:
            return False
        if isinstance(known, _Keys) and column.arrow is not None and column.kind == known.column.kind:
            present = column.arrow.drop_null()
            if len(present) and not pc.all(pc.is_in(present, value_set=known.column.arrow)).as_py():
                return False
        elif any(value is not None and value not in known for value in column.values()):
            return False
    return True


# What _cell trims before it looks for control characters; _CONTROL and _CONTROL_BUT_LINES for Arrow (RE2); and
# every character Python's str.strip() takes, which _cell then trims too.
_TRIM = " \t\r\n"
_CONTROL_RE2 = r"[\x00-\x1f\x7f-\x9f]"
_CONTROL_BUT_LINES_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_PYTHON_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_PYTHON_SPACE += "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE_RE2 = "[" + "".join(f"\\x{{{ord(c):04x}}}" for c in _PYTHON_SPACE) + "]"
# A cell whose text, trimmed of _TRIM, holds a control character or still starts or ends with a space.
_NOT_PLAIN_RE2 = rf"{_CONTROL_RE2}|\A{_SPACE_RE2}|{_SPACE_RE2}\z"
_NOT_PLAIN_LINES_RE2 = rf"{_CONTROL_BUT_LINES_RE2}|\A{_SPACE_RE2}|{_SPACE_RE2}\z"
_UUID_RE2 = r"\A[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z"
_ISO_DATE_RE2 = r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\z"
_WHOLE_RE2 = r"\A[+-]?[0-9]+\z"
_EPOCH = datetime.date(1970, 1, 1)
_FIRST_DAY, _LAST_DAY = (datetime.date.min - _EPOCH).days, (datetime.date.max - _EPOCH).days
_NO_TEXT = pa.scalar(None, pa.string())
_TRUE = pa.array(["true", "1", "yes", "y"])
_TRUE_OR_FALSE = pa.array(["true", "1", "yes", "y", "false", "0", "no", "n", ""])


def _strings(cells: pa.Array) -> pa.Array | None:
    if pa.types.is_string(cells.type):
        return cells
    if pa.types.is_null(cells.type):  # a column with no value at all
        return pa.nulls(len(cells), pa.string())
    return None


def _trimmed(strings: pa.Array) -> pa.Array:
    """Each cell's text trimmed of _TRIM, "" for a missing one."""
    return pc.fill_null(pc.utf8_trim(strings, characters=_TRIM), "")


def _any(mask: pa.Array) -> bool:
    return pc.any(mask).as_py() is True


def _all(mask: pa.Array) -> bool:
    return pc.all(mask).as_py() is not False


def _text_column(cells: pa.Array, max_length: int, required: bool, multiline: bool) -> Column | None:
    strings = _strings(cells)
    if strings is None:
        return None
    inner = _trimmed(strings)
    if _any(pc.match_substring_regex(inner, _NOT_PLAIN_LINES_RE2 if multiline else _NOT_PLAIN_RE2)):
        return None
    if required and _any(pc.equal(inner, "")):
        return None
    longest = pc.max(pc.utf8_length(inner)).as_py()
    if longest is not None and longest > max_length:
        return None
    return Column(TEXT, inner)


def _uuid_column(cells: pa.Array, required: bool) -> Column | None:
    strings = _strings(cells)
    if strings is None:
        return None
    inner = _trimmed(strings)
    empty = pc.equal(inner, "")
    if (required and _any(empty)) or not _all(pc.or_(empty, pc.match_substring_regex(inner, _UUID_RE2))):
        return None
    return Column(UUID, pc.if_else(empty, _NO_TEXT, pc.ascii_lower(inner)))


def _date_column(cells: pa.Array, required: bool, past: bool) -> Column | None:
    if pa.types.is_date32(cells.type):
        dates = cells
    elif (strings := _strings(cells)) is not None:
        inner = _trimmed(strings)
        empty = pc.equal(inner, "")
        if not _all(pc.or_(empty, pc.match_substring_regex(inner, _ISO_DATE_RE2))):
            return None
        try:
            dates = pc.cast(pc.if_else(empty, _NO_TEXT, inner), pa.date32())
        except pa.ArrowInvalid:  # an impossible date, such as 2031-02-30
            return None
    else:
        return None  # timestamps and the rest: cell by cell
    if required and dates.null_count:
        return None
    days = pc.min_max(dates.cast(pa.int32()))
    earliest, latest = days["min"].as_py(), days["max"].as_py()
    if earliest is not None:
        if earliest < _FIRST_DAY or latest > _LAST_DAY:
            return None
        if past and latest > (datetime.date.today() - _EPOCH).days:
            return None
    return Column(DATE, dates)


def _code_column(cells: pa.Array, allowed: frozenset[str], required: bool) -> Column | None:
    strings = _strings(cells)
    if strings is None:
        return None
    inner = _trimmed(strings)
    known = pc.is_in(inner, value_set=pa.array(sorted(allowed), pa.string()))
    if not _all(known if required else pc.or_(known, pc.equal(inner, ""))):
        return None
    return Column(TEXT, inner)


def _boolean_column(cells: pa.Array) -> Column | None:
    if pa.types.is_boolean(cells.type):
        return Column(BOOL, pc.fill_null(cells, False))
    strings = _strings(cells)
    if strings is None:
        return None
    strings = pc.fill_null(strings, "")
    if not _all(pc.string_is_ascii(strings)):  # so that lower case is ASCII's
        return None
    words = pc.ascii_lower(_trimmed(strings))
    if not _all(pc.is_in(words, value_set=_TRUE_OR_FALSE)):
        return None
    return Column(BOOL, pc.is_in(words, value_set=_TRUE))


def _whole_column(
    cells: pa.Array, required: bool, minimum: int | float | None, maximum: int | float | None
) -> Column | None:
    if pa.types.is_integer(cells.type):
        numbers = cells
    elif (strings := _strings(cells)) is not None:
        inner = _trimmed(strings)
        empty = pc.equal(inner, "")
        if not _all(pc.or_(empty, pc.match_substring_regex(inner, _WHOLE_RE2))):
            return None  # 12.0, 1e3 and the rest: cell by cell
        numbers = pc.if_else(empty, _NO_TEXT, pc.replace_substring_regex(inner, r"\A\+", ""))
    else:
        return None
    try:
        numbers = numbers.cast(pa.int64())
    except pa.ArrowInvalid:  # beyond 64 bits: cell by cell
        return None
    if required and numbers.null_count:
        return None
    bounds = pc.min_max(numbers)
    lowest, highest = bounds["min"].as_py(), bounds["max"].as_py()
    if lowest is not None and (
        lowest < -_LARGEST_WHOLE
        or (minimum is not None and lowest < minimum)
        or (maximum is not None and highest > maximum)
    ):
        return None
    return Column(WHOLE, numbers)


def _checked_column(cells: pa.Array, reader: Reader, problem: Callable[[str], str | None]) -> Column | None:
    vector = _VECTOR.get(reader)
    column = vector(cells) if vector else None
    if column is None or column.kind != TEXT:
        return None
    for value in pc.unique(column.arrow).to_pylist():
        if value and problem(value):
            return None
    return column


def _postcode_column(cells: pa.Array, required: bool) -> Column | None:
    column = _text_column(cells, 20, required, False)
    if column is None:
        return None
    encoded = pc.dictionary_encode(column.arrow)
    normal = []
    for value in encoded.dictionary.to_pylist():
        if value and not postcode_is_valid(value):
            return None
        normal.append(postcode_normalise(value))
    return Column(TEXT, pc.take(pa.array(normal, pa.string()), encoded.indices))


def _ends_after_starts(checked: CheckedTable) -> bool | None:
    """ends_on_or_after_start over whole columns: whether every row keeps it, or None for columns not in Arrow."""
    if "start_date" not in checked.columns or "end_date" not in checked.columns:
        return True  # read as empty: nothing to compare
    start, end = checked.column("start_date"), checked.column("end_date")
    if start.kind != DATE or end.kind != DATE:
        return None
    return not _any(pc.less(end.arrow, start.arrow))


_vectorised(boolean, _boolean_column)
# Row checks with a vectorised form: given the checked columns, True when no row breaks the check, False when
# one does, None when it cannot tell (the check then runs row by row). Only for checks that change nothing.
_VECTOR_CHECKS: dict[RowCheck, Callable[[CheckedTable], bool | None]] = {ends_on_or_after_start: _ends_after_starts}


def spreadsheet_safe(text: str) -> str:
    """A cell of a CSV written for people to open: one starting with = + - @ (or a tab or carriage return)
    would be run as a formula by spreadsheets, so it is prefixed with an apostrophe and stays text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
