"""Checking a feed's files (every feed but attendance marks, which `marks` checks in DuckDB): each cell against its
column, keys unique within a file, identifiers' check characters, and the table's row checks.

    checked = check_feed(FEEDS["police"], [Path("police.csv")])
    checked.errors      # FILE:LINE:FIELD problems; the caller loads nothing when there are any
    checked.rows        # typed rows (with the quarantine: the rows without errors)

Never raises for a problem in a file: every problem is in the result. Errors are listed up to MAX_PROBLEMS, then
counted in a final "and N more" line per file; every rejected row keeps all its reasons (the quarantine writes them),
and file-level problems and warnings are always listed in full.

Speed (about 100,000 rows a second on one core): a file is read CHUNK rows at a time, column by column. A column's
cells are trimmed, searched for control characters, measured and compared with its codes as whole lists; the cells
of other kinds are read once per distinct value (a date of birth or postcode repeats down a file), and a chunk with
no problem becomes rows without a Python loop of its own.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
import zoneinfo
from collections.abc import Callable, Sequence
from contextlib import closing
from itertools import repeat
from pathlib import Path
from typing import Any

from continuum import tables
from continuum.identifiers import nhs_number_check_digit, nhs_number_normalise, nhs_number_problem, upn_problem
from continuum.signals.feeds.spec import (
    DATE_FORMATS,
    Checked,
    Column,
    Feed,
    FeedTable,
    Problem,
    Progress,
    Rejected,
    Row,
    SourceFile,
)

MAX_PROBLEMS = 200  # problems reported per load; the rest are counted in a final line
# A date and time written without an offset is the source's local time: an English agency's clock.
LOCAL_TIME = zoneinfo.ZoneInfo("Europe/London")
CHUNK = 10_000  # rows read together (and between progress reports)
_REMEMBER_AT_MOST = 200_000  # distinct values a column remembers what they read as

# A cell reader: takes a trimmed, non-blank cell with no control characters; returns its value or raises ValueError
# (an error, with why) or _Unusable (a value kept for the record but not for linkage).
CellReader = Callable[[str], Any]


class _Unusable(Exception):
    """An identifier kept but not to be used for linkage: its value, and the warning (None: no warning, as for the
    DfE's UN codes that say a child has no UPN)."""

    def __init__(self, value: Any, why: str | None) -> None:
        super().__init__(why)
        self.value, self.why = value, why


def check_feed(
    feed: Feed, paths: Sequence[Path], *, names: Sequence[str] | None = None, progress: Progress | None = None
) -> Checked:
    """Check every file of one load. `names` are the files as the caller named them (shown in problems); by
    default the paths as given. A later file's row replaces an earlier file's row with the same key."""
    shown_names = list(names) if names is not None else [str(path) for path in paths]
    if len(shown_names) != len(paths):
        raise ValueError("check_feed needs one name per path")
    load = _Load(feed, progress)
    for path, name in zip(paths, shown_names, strict=True):
        load.file(path, name)
    return load.result()


class _Load:
    """One call of check_feed: the files checked so far, their good rows by (table, key), and the problems."""

    def __init__(self, feed: Feed, progress: Progress | None) -> None:
        self.feed, self.progress = feed, progress
        self.files: list[SourceFile] = []
        self.rows: dict[tuple[str, tuple[str, ...]], Row] = {}
        self.problems: list[Problem] = []
        self.rejected: list[Rejected] = []
        self.listed = 0  # row errors listed in problems
        self.unlisted: dict[str, int] = {}  # row errors past MAX_PROBLEMS, by file
        self.done = 0  # rows read, for progress
        self.expected = 0  # rows expected (lines in the files read so far), for progress

    def result(self) -> Checked:
        more = [
            Problem(name, 0, "-", f"and {count:,} more error{'s' if count > 1 else ''} in this file, not listed")
            for name, count in self.unlisted.items()
        ]
        if self.progress:
            self.progress("checked", self.done, self.done)
        return Checked(self.feed.kind, self.files, list(self.rows.values()), self.problems + more, self.rejected)

    def error(self, problem: Problem) -> None:
        """A row's error: listed up to MAX_PROBLEMS, then counted."""
        if self.listed < MAX_PROBLEMS:
            self.listed += 1
            self.problems.append(problem)
        else:
            self.unlisted[problem.file] = self.unlisted.get(problem.file, 0) + 1

    def file(self, path: Path, name: str) -> None:
        try:
            sha256, lines, blank = file_digest(path)
        except OSError as exc:
            why = "there is no such file" if isinstance(exc, FileNotFoundError) else f"cannot be read ({exc.strerror})"
            self.failed(path, name, "", None, 0, [Problem(name, 0, "-", why)])
            return
        if blank:
            self.failed(path, name, sha256, None, 0, [Problem(name, 0, "-", "the file is empty")])
            return
        self.expected += max(lines - 1, 0)
        try:
            header, rows = tables.read_csv_rows(path)
        except tables.Unreadable as exc:
            self.failed(path, name, sha256, None, 0, [Problem(name, exc.line, exc.field, exc.why)])
            return
        with closing(rows):
            columns = [c.strip() for c in header]
            table = self.feed.recognise([c for c in columns if c])
            if table is None:
                self.failed(path, name, sha256, None, 0, self.unrecognised(name, columns))
                return
            if problems := _header_problems(table, name, columns):
                self.failed(path, name, sha256, table.name, 0, problems)
                return
            reader = _FileReader(self, table, name, header, columns)
            try:
                reader.read(rows)
            except tables.Unreadable as exc:
                # Nothing from a file that cannot be read to its end loads; the errors found before it stand.
                self.failed(path, name, sha256, table.name, reader.count, [Problem(name, exc.line, exc.field, exc.why)])
                return
        if not reader.count:
            self.failed(path, name, sha256, table.name, 0, [Problem(name, 0, "-", "the file has a header but no rows")])
            return
        kept = self.rows
        for row in reader.good:
            where = (table.name, row.key)
            if where in kept:
                del kept[where]  # a later file's row replaces an earlier one, and comes after it
            kept[where] = row
        self.files.append(SourceFile(path, name, sha256, table.name, reader.count))

    def failed(self, path: Path, name: str, sha256: str, table: str | None, rows: int, problems: list[Problem]) -> None:
        """A file none of whose rows load, for the reasons given (never cut short: at most a few per file)."""
        self.problems.extend(problems)
        self.files.append(SourceFile(path, name, sha256, table, rows, tuple(problems)))

    def unrecognised(self, name: str, columns: list[str]) -> list[Problem]:
        """The header matches no table. If one table is plainly meant (it alone lacks fewest columns, and the header
        has more than half of its columns), each column it lacks; otherwise the tables it could be, on line 1."""
        present = set(columns)
        missing = sorted(
            [
                (t, [c.name for c in t.columns if c.name not in present])
                for t in self.feed.tables
                if any(c.name in present for c in t.columns)
            ],
            key=lambda item: len(item[1]),
        )
        if missing:
            (table, gone), fewest = missing[0], len(missing[0][1])
            alone = len(missing) == 1 or len(missing[1][1]) > fewest
            if alone and len(table.columns) - fewest > len(table.columns) / 2:
                why = f"this column is missing (the {table.name} table needs it, and the file has its other columns)"
                return [Problem(name, 1, column, why) for column in gone]
            could = "; ".join(f"{t.name} (missing {_listed(lacks, 6)})" for t, lacks in missing[:3])
            why = f"the columns match no {self.feed.kind} table; it could be {could}"
        else:
            could = ", ".join(t.name for t in self.feed.tables)
            why = f"the columns match no {self.feed.kind} table; its tables are {could}"
        return [Problem(name, 1, "-", why)]

    def advance(self, rows: int) -> None:
        self.done += rows
        if self.progress:
            self.progress("checking", self.done, max(self.expected, self.done))


def file_digest(path: Path) -> tuple[str, int, bool]:
    """The file's SHA-256, its number of line ends (for progress), and whether it is blank (no bytes, or only
    whitespace and a byte order mark)."""
    digest = hashlib.sha256()
    lines, blank, first, last = 0, True, True, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            if blank:
                blank = not (chunk.removeprefix(b"\xef\xbb\xbf") if first else chunk).strip()
            first, last = False, chunk[-1:]
    return digest.hexdigest(), lines + (last != b"\n"), blank


def _header_problems(table: FeedTable, name: str, columns: list[str]) -> list[Problem]:
    wanted = {c.name for c in table.columns}
    repeated = sorted({c for c in columns if c in wanted and columns.count(c) > 1})
    problems = [Problem(name, 1, c, "this column appears more than once in the header") for c in repeated]
    present = set(columns)
    problems += [
        Problem(name, 1, c, f"this column is missing (the {table.name} table needs it)")
        for c in table.required
        if c not in present
    ]
    return problems


class _FileReader:
    """One file's rows against its table, a chunk of rows at a time and column by column: a column's cells are
    trimmed, searched for control characters, measured and compared with its codes in whole lists, and each distinct
    value of the other kinds is read once. The good rows are kept; rejected ones are handed to the load."""

    def __init__(self, load: _Load, table: FeedTable, name: str, header: list[str], columns: list[str]) -> None:
        self.load, self.table, self.name = load, table, name
        self.width = len(header)
        raw_name = {column: raw for raw, column in zip(header, columns, strict=True)}
        self.columns = [_ColumnReader(c, table, raw_name.get(c.name)) for c in table.columns]
        self.names = [c.name for c in table.columns]
        self.keys = [self.names.index(c) for c in table.key]
        self.first_lines: dict[tuple[str, ...], int] = {}  # each key, and the line it is first on
        self.good: list[Row] = []
        self.count = 0

    def read(self, rows: tables.Rows) -> None:
        chunk: list[tuple[int, dict[str, Any], int]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                self.chunk(chunk)
                chunk = []
        if chunk:
            self.chunk(chunk)

    def chunk(self, chunk: list[tuple[int, dict[str, Any], int]]) -> None:
        name, table, width = self.name, self.table, self.width
        lines, raws, counts = (list(part) for part in zip(*chunk, strict=True))
        reasons: dict[int, list[Problem]] = {}  # by the row's place in the chunk
        warnings: dict[int, list[Problem]] = {}
        unusable: dict[int, set[str]] = {}
        if counts.count(width) != len(counts):
            for place, count in enumerate(counts):
                if count != width:
                    why = f"this row has {count} cells but the header has {width}"
                    reasons[place] = [Problem(name, lines[place], "-", why)]
        uneven = set(reasons)  # rows with the wrong number of cells: that is their one problem
        values = []
        for column in self.columns:
            read, errors, doubts = column.read(raws)
            values.append(read)
            for place, why in errors.items():
                if place not in uneven:
                    reasons.setdefault(place, []).append(Problem(name, lines[place], column.name, why))
            for place, warning in doubts.items():
                unusable.setdefault(place, set()).add(column.name)
                if warning and place not in uneven:
                    warnings.setdefault(place, []).append(Problem(name, lines[place], column.name, warning, True))
        keys: list[tuple[str, ...]] = [()] * len(chunk)
        if self.keys:
            keys = list(zip(*[_key_texts(values[i]) for i in self.keys], strict=True))
        key_columns, first_lines = table.key, self.first_lines
        if not reasons and len(set(keys)) == len(keys) and first_lines.keys().isdisjoint(keys):
            first_lines.update(zip(keys, lines, strict=True))  # the usual chunk: no key seen before
            keys_to_compare: list[tuple[str, ...]] = []
        else:
            keys_to_compare = keys
        for place, key in enumerate(keys_to_compare):
            found = reasons.get(place)
            if found and (place in uneven or any(p.field in key_columns for p in found)):
                continue  # a key that cannot be read is not compared
            first = first_lines.setdefault(key, lines[place])
            if first != lines[place]:
                why = _duplicate(key_columns, key, first)
                reasons.setdefault(place, []).append(Problem(name, lines[place], "-", why))
        rows = list(map(dict, map(zip, repeat(self.names), zip(*values, strict=True))))
        refused = set(reasons)  # rows refused already (a cell, the number of cells, the key): not checked across
        for check in table.checks:
            for place, row in enumerate(rows):
                if place not in refused and (wrong := check(row)):
                    reasons.setdefault(place, []).append(Problem(name, lines[place], *wrong))
        tname, load, nothing = table.name, self.load, frozenset[str]()
        if not reasons and not unusable:  # the usual chunk: every row good
            self.good.extend(map(Row, repeat(tname), repeat(name), lines, keys, rows, repeat(nothing)))
        else:
            for place, row in enumerate(rows):
                if place in warnings:
                    load.problems.extend(warnings[place])
                if place not in reasons:
                    used = frozenset(unusable[place]) if place in unusable else nothing
                    self.good.append(Row(tname, name, lines[place], keys[place], row, used))
                    continue
                for problem in reasons[place]:
                    load.error(problem)
                load.rejected.append(Rejected(name, lines[place], raws[place], tuple(reasons[place])))
        self.count += len(chunk)
        load.advance(len(chunk))


class _ColumnReader:
    """One column of a table as found in one file: reads a chunk's cells as a list."""

    def __init__(self, column: Column, table: FeedTable, source: str | None) -> None:
        self.name, self.required = column.name, column.required
        self.source = source  # the column's header cell as the file spells it; None when the file has no such column
        self.blank: Any = "" if column.kind in _TEXT_KINDS else None
        self.max_length = column.max_length if column.kind in ("text", "ref") else None
        self.accepted = _accepted(column) if column.kind == "code" else None
        self.unknown = functools.partial(_unknown_code, column, self.accepted) if self.accepted else None
        self.cell = _reader(column, table) if column.kind not in _TEXT_KINDS else _never
        self.known: dict[str, Any] = {"": self.blank}  # each distinct cell read so far, and its value

    def read(self, raws: list[dict[str, Any]]) -> tuple[list[Any], dict[int, str], dict[int, str | None]]:
        """The chunk's values, the errors (why) by row, and the values kept but unusable (warning or None) by row."""
        errors: dict[int, str] = {}
        if self.source is None:
            return [self.blank] * len(raws), errors, {}
        cells: list[str] = list(map(dict.get, raws, repeat(self.source, len(raws)), repeat("", len(raws))))
        if "".join(cells).isprintable():
            cells = list(map(str.strip, cells))
        else:
            cells = [self.visible(place, cell, errors) for place, cell in enumerate(cells)]
        distinct = set(cells)
        if self.required and "" in distinct:
            errors.update(
                (place, "is required") for place, cell in enumerate(cells) if not cell and place not in errors
            )
        distinct.discard("")
        if self.max_length is not None:
            if distinct and max(map(len, distinct)) > self.max_length:
                most = self.max_length
                why = f"is longer than {most} characters"
                errors.update((place, why) for place, cell in enumerate(cells) if len(cell) > most)
            return cells, errors, {}
        if self.unknown is not None:
            if unknown := {cell: self.unknown(cell) for cell in distinct.difference(self.accepted or ())}:
                errors.update((place, unknown[cell]) for place, cell in enumerate(cells) if cell in unknown)
            return cells, errors, {}
        return self.typed(cells, distinct, errors)

    def visible(self, place: int, cell: str, errors: dict[int, str]) -> str:
        if cell.isprintable():
            return cell.strip()
        try:
            return _VISIBLE(cell)
        except ValueError as exc:
            errors[place] = str(exc)
            return ""

    def typed(
        self, cells: list[str], distinct: set[str], errors: dict[int, str]
    ) -> tuple[list[Any], dict[int, str], dict[int, str | None]]:
        known = self.known
        if len(known) > _REMEMBER_AT_MOST:
            known.clear()
            known[""] = self.blank
        failed: dict[str, str] = {}
        doubtful: dict[str, _Unusable] = {}
        read = self.cell
        for cell in distinct.difference(known):
            try:
                known[cell] = read(cell)
            except ValueError as exc:
                failed[cell] = str(exc)
            except _Unusable as doubt:
                doubtful[cell] = doubt
        if not failed and not doubtful:
            return list(map(known.__getitem__, cells)), errors, {}
        values: list[Any] = []
        doubts: dict[int, str | None] = {}
        for place, cell in enumerate(cells):
            if cell in failed:
                errors[place] = failed[cell]
                values.append(self.blank)
            elif cell in doubtful:
                values.append(doubtful[cell].value)
                doubts[place] = doubtful[cell].why
            else:
                values.append(known[cell])
        return values, errors, doubts


def _duplicate(columns: tuple[str, ...], key: tuple[str, ...], first: int) -> str:
    values = ", ".join(f"{c} {tables.shown(v)}" for c, v in zip(columns, key, strict=True))
    return f"the key ({values}) is also on line {first}; a key appears once in a file"


def _key_texts(values: list[Any]) -> list[str]:
    """A key column's values as text, the same whatever form the file wrote them in (dates as YYYY-MM-DD)."""
    if all(type(value) is str for value in values):
        return values
    return [_key_text(value) for value in values]


def _key_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.date | datetime.time):  # datetime.datetime is a date
        return value.isoformat()
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def _listed(values: Sequence[str], most: int) -> str:
    shown = ", ".join(values[:most])
    return f"{shown} and {len(values) - most} more" if len(values) > most else shown


# ---- Cell readers, one per column kind ----------------------------------------------------------------------------

_TEXT_KINDS = frozenset({"text", "ref", "code"})  # blank is "" (every other kind: None)
_VISIBLE = tables.text(1 << 62, required=False)  # trims, and refuses control characters (tables' rule)

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DMY_DATE = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?"
)
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")
# A postcode's outward code (its district) and, optionally, the first digit of its inward code (the sector).
_PARTIAL_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])?")
_URN = re.compile(r"[0-9]{6}")
_DIGITS = re.compile(r"[0-9]{1,18}")  # a whole number that fits any database's integer column
_SPACES = re.compile(r"\s+")


def _never(cell: str) -> Any:
    raise AssertionError("text, ref and code columns are read as whole lists")


def _reader(column: Column, table: FeedTable) -> CellReader:
    """How one cell of a typed column (neither text, ref nor code) is read."""
    kind = column.kind
    if kind == "codes":
        return _codes(column)
    if kind == "date":
        return _date(table.dates)
    if kind == "datetime":
        return _datetime
    if kind == "time":
        return _time
    if kind == "integer":
        return _integer(column.minimum, column.maximum)
    if kind == "boolean":
        return _boolean
    if kind == "postcode":
        return tables.postcode(required=False)
    if kind == "partial_postcode":
        return _partial_postcode
    if kind == "urn":
        return _urn
    if kind == "upn":
        return _upn(column)
    if kind == "nhs_number":
        return _nhs_number
    raise ValueError(f"{column.name}: no reader for the kind {kind!r}")


def _accepted(column: Column) -> dict[str, str]:
    if not column.codes:
        raise ValueError(f"{column.name}: a code column needs its codes")
    return dict(column.codes)


def _unknown_code(column: Column, accepted: dict[str, str], cell: str) -> str:
    upper = {code.upper(): code for code in accepted}
    hint = f" (did you mean {tables.shown(upper[cell.upper()])}?)" if cell.upper() in upper else ""
    codes = _listed(list(accepted), 8)
    return f"{tables.shown(cell)} is not a {column.name} code{hint}; the codes include {codes}"


def _codes(column: Column) -> CellReader:
    accepted = _accepted(column)

    def read(cell: str) -> tuple[str, ...]:
        codes = tuple(code for part in cell.split(",") if (code := part.strip()))
        for code in codes:
            if code not in accepted:
                raise ValueError(_unknown_code(column, accepted, code))
        return codes

    return read


def _date(dates: str) -> CellReader:
    form = DATE_FORMATS[dates]
    pattern = _ISO_DATE if dates == "iso" else _DMY_DATE
    year, month, day = (1, 2, 3) if dates == "iso" else (3, 2, 1)

    def read(cell: str) -> datetime.date:
        found = pattern.fullmatch(cell)
        if not found:
            raise ValueError(f"{tables.shown(cell)} is not a date in the form {form}")
        try:
            return datetime.date(int(found[year]), int(found[month]), int(found[day]))
        except ValueError:
            raise ValueError(f"{tables.shown(cell)} is not a real date ({form})") from None

    return read


def _datetime(cell: str) -> datetime.datetime:
    if not _DATETIME.fullmatch(cell):
        raise ValueError(
            f"{tables.shown(cell)} is not a date and time in the form YYYY-MM-DDTHH:MM[:SS] (then Z or +HH:MM, or not)"
        )
    try:
        moment = datetime.datetime.fromisoformat(cell)
    except ValueError:
        raise ValueError(f"{tables.shown(cell)} is not a real date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TIME)


def _time(cell: str) -> datetime.time:
    if not _TIME.fullmatch(cell):
        raise ValueError(f"{tables.shown(cell)} is not a time in the form HH:MM or HH:MM:SS")
    try:
        return datetime.time.fromisoformat(cell)
    except ValueError:
        raise ValueError(f"{tables.shown(cell)} is not a real time") from None


def _integer(minimum: int | None, maximum: int | None) -> CellReader:
    def read(cell: str) -> int:
        if not _DIGITS.fullmatch(cell):
            raise ValueError(f"{tables.shown(cell)} is not a whole number (digits only)")
        number = int(cell)
        if minimum is not None and number < minimum:
            raise ValueError(f"{number} is less than {minimum}")
        if maximum is not None and number > maximum:
            raise ValueError(f"{number} is more than {maximum}")
        return number

    return read


_BOOLEANS = {"Y": True, "N": False}


def _boolean(cell: str) -> bool:
    try:
        return _BOOLEANS[cell]
    except KeyError:
        raise ValueError(f"{tables.shown(cell)} is not Y or N") from None


def _partial_postcode(cell: str) -> str:
    found = _PARTIAL_POSTCODE.fullmatch(_SPACES.sub(" ", cell.upper()))
    if not found:
        raise ValueError(f"{tables.shown(cell)} is not a postcode district and sector, such as SF1 2 (or SF1)")
    return f"{found[1]} {found[2]}" if found[2] else found[1]


def _urn(cell: str) -> str:
    if not _URN.fullmatch(cell):
        raise ValueError(f"{tables.shown(cell)} is not a school URN (six digits)")
    return cell


def _upn(column: Column) -> CellReader:
    no_upn = frozenset(column.codes or ())  # the DfE's UN1-UN10: why a child has no UPN

    def read(cell: str) -> str:
        upn = cell.upper()
        if upn in no_upn:
            raise _Unusable(None, None)
        if why := upn_problem(upn):
            raise _Unusable(upn, f"{tables.shown(cell)}: {why} (the row loads; the UPN is not used for linking)")
        return upn

    return read


def _nhs_number(cell: str) -> str:
    if len(cell) == 10 and cell.isdecimal() and cell.isascii() and nhs_number_check_digit(cell[:9]) == int(cell[9]):
        return cell  # the usual case, without taking out spaces first
    if why := nhs_number_problem(cell):
        digits = nhs_number_normalise(cell)
        kept = digits if digits.isdigit() else cell
        raise _Unusable(kept, f"{tables.shown(cell)}: {why} (the row loads; the NHS number is not used for linking)")
    return nhs_number_normalise(cell)
