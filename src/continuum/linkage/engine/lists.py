"""Linking any two lists of people: a council's CSV files in, a CSV file of the pairs that link out.

A list is a CSV file (UTF-8, header on line 1) with a `record_id` column and any of `records.FIELDS`; other
columns are ignored, blank values are allowed, and values are compared as given (a non-UK postcode is not
an error here). Every problem in a list is reported as `FILE:LINE:FIELD: why`, all of them at once.

`link_lists` trains a model on the two lists themselves (Splink, `link_only`, without labels) and keeps the
pairs at or above the model's upper threshold: the pairs it would link automatically.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from continuum.linkage.engine.records import FIELDS, RECORD_SCHEMA, Progress
from continuum.tables import not_utf8

if TYPE_CHECKING:
    from continuum.linkage.engine.backends import Backend

PAIR_COLUMNS: Final = ("left_id", "right_id", "match_probability")
PAIRS_SCHEMA: Final = pa.schema(
    [("left_id", pa.string()), ("right_id", pa.string()), ("match_probability", pa.float64())]
)
COLUMNS: Final = ("record_id", *FIELDS)
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_SEXES: Final = {"m": "M", "male": "M", "f": "F", "female": "F"}
# The two lists inside one table: their ids may be the same, so each is prefixed with its side.
_SIDES: Final = (("left", "L:"), ("right", "R:"))


class ListError(ValueError):
    """A list cannot be used; `problems` holds each problem as `FILE:LINE:FIELD: why` (line 1 is the header)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_list(path: Path, *, source: str, name: str | None = None) -> pa.Table:
    """The list in CSV file `path` as records (`RECORD_SCHEMA`, `source` in every row).

    `name` is how problems name the file (its path by default). Raises ListError listing every problem."""
    shown = str(path) if name is None else name
    unreadable = _unreadable(path)
    if unreadable:
        raise ListError([f"{shown}:{unreadable[0]}:-: {unreadable[1]}"])
    problems: list[str] = []
    columns: dict[str, list[object]] = {column: [] for column in COLUMNS}
    first_line: dict[str, int] = {}
    header: list[str] | None = None
    where: dict[str, int] = {}  # the cell of each known column
    try:
        for line, cells in _rows(path):
            if header is None:
                header = [cell.strip() for cell in cells]
                problems += _header_problems(shown, header)
                if problems:
                    break
                where = {column: header.index(column) for column in COLUMNS if column in header}
                continue
            if not any(cell.strip() for cell in cells):
                continue  # a blank row, as spreadsheets leave at the end
            if len(cells) != len(header):
                why = f"the row has {len(cells)} cells; the header names {len(header)} columns"
                problems.append(f"{shown}:{line}:-: {why}")
                continue
            record_id = cells[where["record_id"]]
            if not record_id.strip():
                problems.append(f"{shown}:{line}:record_id: the record id is blank")
            elif record_id in first_line:
                why = f"the record id {record_id!r} is also on line {first_line[record_id]}: record ids must be unique"
                problems.append(f"{shown}:{line}:record_id: {why}")
            else:
                first_line[record_id] = line
            columns["record_id"].append(record_id)
            for column in FIELDS:
                raw = cells[where[column]].strip() if column in where else ""
                value, wrong = _value(column, raw)
                if wrong:
                    problems.append(f"{shown}:{line}:{column}: {wrong}")
                columns[column].append(value)
    except _NotCsv as exc:
        problems.append(f"{shown}:{exc.line}:-: this is not a CSV row ({exc.why})")
    if header is None:
        why = f"the file is empty: its first line must name the columns, {COLUMNS[0]} and any of {', '.join(FIELDS)}"
        problems.append(f"{shown}:1:-: {why}")
    elif not problems and not columns["record_id"]:
        problems.append(f"{shown}:2:-: the list has no records: nothing follows the header")
    if problems:
        raise ListError(problems)
    arrays = {**columns, "source": [source] * len(columns["record_id"])}
    return pa.table({name: arrays[name] for name in RECORD_SCHEMA.names}, schema=RECORD_SCHEMA)


def _unreadable(path: Path) -> tuple[int, str] | None:
    """(line, why) when the file cannot be read as UTF-8 text at all."""
    try:
        if path.is_dir():
            return 1, "this is a folder, not a CSV file"
        found = not_utf8(path)
    except FileNotFoundError:
        return 1, "the file does not exist"
    except OSError as exc:
        return 1, f"the file cannot be read ({exc.strerror or exc})"
    return (found.line, found.why) if found else None


class _NotCsv(Exception):
    def __init__(self, line: int, why: str) -> None:
        super().__init__(why)
        self.line, self.why = line, why


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(the line each row starts on, its cells), blank lines skipped; the header first. _NotCsv where the
    csv module gives up."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _NotCsv(start, str(exc)) from None
            if cells:
                yield start, cells
            start = reader.line_num + 1


def _header_problems(shown: str, header: list[str]) -> list[str]:
    problems = []
    if "record_id" not in header:
        problems.append(f"{shown}:1:record_id: the column is missing: every list needs a record_id column")
    for column in COLUMNS:
        if header.count(column) > 1:
            problems.append(f"{shown}:1:{column}: the column appears more than once")
    return problems


def _value(column: str, raw: str) -> tuple[object, str | None]:
    """The value of a cell (None when blank), or the reason it cannot be used."""
    if not raw:
        return None, None
    if column == "date_of_birth":
        if not _DATE.fullmatch(raw):
            return None, f"{raw!r} is not a date written YYYY-MM-DD"
        try:
            return datetime.date.fromisoformat(raw), None
        except ValueError:
            return None, f"{raw} is not a day of the calendar"
    if column == "sex":
        sex = _SEXES.get(raw.lower())
        if sex is None:
            return None, f"{raw!r} is not M, F, male or female (leave it blank when not known)"
        return sex, None
    return raw, None


def link_lists(
    left: pa.Table, right: pa.Table, *, backend: Backend | None = None, progress: Progress | None = None
) -> pa.Table:
    """The pairs (left_id, right_id, match_probability) of `left` and `right` (records tables) that link at the
    default threshold: a model trained on these two lists (`link_only`), pairs at or above its upper threshold.
    Ids are the lists' own; sorted by left_id, then right_id."""
    from continuum.linkage.engine import model, predict

    shared = [field for field in FIELDS if _has_values(left, field) and _has_values(right, field)]
    if not shared:
        raise ValueError(f"the two lists have no field with values in both: fill in any of {', '.join(FIELDS)}")
    records = pa.concat_tables(
        [
            _side(table.select(RECORD_SCHEMA.names).cast(RECORD_SCHEMA), side, prefix)
            for table, (side, prefix) in zip((left, right), _SIDES, strict=True)
        ]
    )
    trained = model.train(records, backend=backend, link_type="link_only", progress=progress)
    scored = predict.predict(records, trained, backend=backend, threshold=trained.upper, progress=progress)
    left_ids, right_ids = scored.column("left_id"), scored.column("right_id")
    # Pairs come with left_id < right_id, so "L:..." before "R:...": keep pairs across the two lists only.
    across = pc.and_(pc.starts_with(left_ids, "L:"), pc.starts_with(right_ids, "R:"))
    kept = pc.and_(across, pc.greater_equal(scored.column("match_probability"), trained.upper))
    scored = scored.filter(kept)
    pairs = pa.table(
        {
            "left_id": pc.utf8_slice_codeunits(scored.column("left_id"), 2),
            "right_id": pc.utf8_slice_codeunits(scored.column("right_id"), 2),
            "match_probability": scored.column("match_probability").cast(pa.float64()),
        },
        schema=PAIRS_SCHEMA,
    )
    return pairs.sort_by([("left_id", "ascending"), ("right_id", "ascending")])


def _has_values(table: pa.Table, field: str) -> bool:
    return field in table.column_names and table.column(field).null_count < table.num_rows


def _side(table: pa.Table, side: str, prefix: str) -> pa.Table:
    ids = pc.binary_join_element_wise(prefix, table.column("record_id"), "")
    table = table.set_column(table.schema.get_field_index("record_id"), "record_id", ids)
    return table.set_column(
        table.schema.get_field_index("source"), "source", pa.array([side] * table.num_rows, pa.string())
    )


def write_pairs(table: pa.Table, path: Path) -> None:
    """Write the pairs (left_id, right_id, match_probability) to CSV file `path` atomically: to a temporary
    file beside it, renamed into place once complete. Raises OSError if it cannot be written."""
    pairs = table.select(list(PAIR_COLUMNS)).cast(PAIRS_SCHEMA)
    # Arrow quotes every string or none: quote only when an id needs it, so that the file reads as typed.
    awkward = any(
        pc.any(pc.match_substring_regex(pairs.column(side), r'[",\r\n]')).as_py() for side in PAIR_COLUMNS[:2]
    )
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed" if awkward else "none")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed or removed)
        dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            handle.write((",".join(PAIR_COLUMNS) + "\n").encode())
            pa_csv.write_csv(pairs, handle, options)
        os.chmod(handle.name, 0o666 & ~_umask())  # as a file written by open() would be
        os.replace(handle.name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
