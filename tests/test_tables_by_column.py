"""The table checker's column-by-column path agrees with its readers, cell for cell.

A reader's vectorised form may refuse a column it could have read (the file is then read cell by cell), but it
must never take a cell the reader refuses, and what it gives must be what the reader returns.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import random
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from continuum import tables as t
from continuum import vocabulary as v
from continuum.identifiers import nhs_number_problem, upn_problem

ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
SPACES = [" ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2003", "\u2028", "\u3000"]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x9f"]

TEXT_CELLS: list[Any] = [
    None,
    "",
    "a",
    "Ava",
    "Zoë",
    "O'Neil-Smith",
    "x" * 20,
    "x" * 21,
    *(f"{s}a" for s in SPACES),
    *(f"a{s}" for s in SPACES),
    *(f"a{s}b" for s in SPACES),
    *SPACES,
    *(f"a{c}b" for c in CONTROLS),
    *(f" {c}" for c in CONTROLS),
]
UUID_CELLS = [
    ID,
    ID.upper(),
    f" {ID}\t",
    f"\n{ID}",
    f"\xa0{ID}",
    f"{{{ID}}}",
    ID.replace("-", ""),
    f"urn:uuid:{ID}",
    ID[:-1],
    ID[:-1] + "g",
    ID + "\x00",
    "",
    " ",
    None,
]
DATE_CELLS = [
    "2020-02-29",
    "2021-02-29",
    "2031-02-30",
    " 2015-03-27 ",
    "\xa02015-03-27",
    "2015-3-27",
    "20150327",
    "2015-W10-3",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2999-01-01",
    "",
    None,
    "27/03/2015",
]
NUMBER_CELLS = ["0", "7", "+7", "-7", "007", " 12 ", "12.0", "12.5", "1e3", "nan", "inf", "", None, "1_000", "٣"]
NUMBER_CELLS += ["99999999999999999999", "-9223372036854775808", "32767", "32768", "4", "5"]
WORD_CELLS = ["true", "True", "TRUE", " yes ", "y", "1", "0", "no", "N", "false", "", None, "maybe", "ｙｅｓ"]
WORD_CELLS += ["\u212a", "tru\x00e"]
CODE_CELLS = ["F", "M", "U", " F ", "f", "", None, "X", "\xa0F", "F\x00"]
POSTCODE_CELLS = ["SF1 2AB", "sf12ab", " SF1  2AB ", "NOT A CODE", "", None, "\xa0SF1 2AB", "SW1A 1AA", "sw1a1aa"]
NHS_CELLS = ["9434765919", "943 476 5919", "9434765918", "", None, "943476591", "94347659190", " 9434765919"]
UPN_CELLS = ["H801200001001", "h801200001001", "A801200001001", "", None, "H80120000100"]


def _reads(reader: t.Reader, cell: Any) -> tuple[bool, Any]:
    try:
        return True, reader(cell)
    except ValueError:
        return False, None


READERS: list[tuple[str, t.Reader, list[Any]]] = [
    ("text", t.text(20), TEXT_CELLS),
    ("optional text", t.text(20, False), TEXT_CELLS),
    ("multiline text", t.text(20, False, multiline=True), TEXT_CELLS),
    ("required multiline text", t.text(20, multiline=True), TEXT_CELLS),
    ("uuid", t.uuid_(), UUID_CELLS),
    ("optional uuid", t.uuid_(False), UUID_CELLS),
    ("date", t.date(), DATE_CELLS),
    ("optional date", t.date(False), DATE_CELLS),
    ("past date", t.date(False, past=True), DATE_CELLS),
    ("code", t.code(v.SEX), CODE_CELLS),
    ("optional code", t.code(v.SEX, False), CODE_CELLS),
    ("boolean", t.boolean, WORD_CELLS),
    ("whole number", t.number(int), NUMBER_CELLS),
    ("required whole number", t.number(int, True, minimum=1, maximum=4), NUMBER_CELLS),
    ("small whole number", t.number(int, minimum=0, maximum=32767), NUMBER_CELLS),
    ("postcode", t.postcode(), POSTCODE_CELLS),
    ("optional postcode", t.postcode(False), POSTCODE_CELLS),
    ("nhs number", t.checked(t.text(10, False), nhs_number_problem), NHS_CELLS),
    ("upn", t.checked(t.text(13, False), upn_problem), UPN_CELLS),
    ("email", t.email(), ["pat@example.org", " pat@example.org", "pat@", "", None, "pät@example.org"]),
]


@pytest.mark.parametrize(("reader", "cells"), [(r, c) for _, r, c in READERS], ids=[n for n, _, _ in READERS])
def test_a_vectorised_reader_takes_only_what_the_reader_takes_and_gives_the_same(reader, cells):
    vector = t._VECTOR[reader]
    readings = [_reads(reader, cell) for cell in cells]
    for cell, (ok, value) in zip(cells, readings, strict=True):
        column = vector(pa.array([cell], pa.string()))
        if column is not None:
            assert ok, f"the vectorised reader took {cell!r}, which the reader refuses"
            assert column.values() == [value], cell
    good = [cell for cell, (ok, _) in zip(cells, readings, strict=True) if ok]
    column = vector(pa.array(good, pa.string()))
    if column is not None:
        assert column.values() == [reader(cell) for cell in good]
    whole = vector(pa.array(cells, pa.string()))
    assert whole is None or all(ok for ok, _ in readings)


@pytest.mark.parametrize(
    ("reader", "cells"),
    [
        (t.text(20), ["Ava", "Jo Stone", "Zoë"]),
        (t.text(20, False, multiline=True), ["line one\nline two", "", None, "tab\there"]),
        (t.uuid_(), [ID, ID.upper(), f" {ID} "]),
        (t.uuid_(False), [ID, "", None]),
        (t.date(False, past=True), ["2015-03-27", "", None, "0001-01-01"]),
        (t.code(v.SEX, False), ["F", " M ", ""]),
        (t.boolean, ["true", " Yes", "0", "", None]),
        (t.number(int, minimum=0, maximum=32767), ["0", "+7", "007", "", None, "32767"]),
        (t.postcode(False), ["sf12ab", "SW1A 1AA", ""]),
        (t.checked(t.text(10, False), nhs_number_problem), ["9434765919", ""]),
    ],
)
def test_columns_of_ordinary_cells_are_read_whole(reader, cells):
    column = t._VECTOR[reader](pa.array(cells, pa.string()))
    assert column is not None
    assert column.values() == [reader(cell) for cell in cells]


@pytest.mark.parametrize(
    ("reader", "array"),
    [
        (t.date(False), pa.array([datetime.date(2015, 3, 27), None], pa.date32())),
        (t.date(), pa.array([datetime.date(2015, 3, 27), None], pa.date32())),
        (t.date(past=True), pa.array([datetime.date(2999, 1, 1)], pa.date32())),
        (t.boolean, pa.array([True, False, None])),
        (t.number(int), pa.array([1, None, -5], pa.int64())),
        (t.number(int, True), pa.array([1, None], pa.int32())),
        (t.number(int, minimum=0, maximum=10), pa.array([0, 11], pa.int8())),
        (t.number(int), pa.array([2**64 - 1], pa.uint64())),
        (t.text(5, False), pa.nulls(3)),
        (t.uuid_(False), pa.nulls(2)),
        (t.boolean, pa.nulls(2)),
    ],
)
def test_typed_parquet_columns_read_as_the_reader_reads_their_values(reader, array):
    try:
        column = t._VECTOR[reader](array)
    except (pa.ArrowException, ValueError):
        column = None  # the cell-by-cell path reads it
    readings = [_reads(reader, value) for value in array.to_pylist()]
    if column is not None:
        assert all(ok for ok, _ in readings)
        assert column.values() == [value for _, value in readings]


def test_the_arrow_patterns_are_the_python_ones():
    chars = [chr(c) for c in itertools.chain(range(0x3100), range(0xFE00, 0x10000)) if not 0xD800 <= c < 0xE000]
    cells = pa.array(chars, pa.string())
    for python, arrow in ((t._CONTROL, t._CONTROL_RE2), (t._CONTROL_BUT_LINES, t._CONTROL_BUT_LINES_RE2)):
        assert pc.match_substring_regex(cells, arrow).to_pylist() == [bool(python.search(c)) for c in chars]
    assert set(t._PYTHON_SPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}
    spaces = pc.match_substring_regex(cells, rf"\A{t._SPACE_RE2}\z").to_pylist()
    assert spaces == [c.isspace() for c in chars]


def test_a_date_is_read_whole_only_when_every_cell_is_a_real_date():
    cells = [
        f"{year}-{month:02d}-{day:02d}"
        for year in ("0000", "0001", "0999", "1900", "2000", "2023", "2024", "9999")
        for month in range(14)
        for day in range(33)
    ]
    reader = t.date()
    for cell in cells:
        ok, value = _reads(reader, cell)
        column = t._VECTOR[reader](pa.array([cell]))
        assert (column is not None) == ok, cell
        if column is not None:
            assert column.values() == [value]


def test_random_text_never_reads_differently():
    rng = random.Random(13)
    alphabet = ["a", "B", "1", "-", "'", "é", *SPACES, *CONTROLS, "\u200b", "\ufeff"]
    readers = [t.text(8), t.text(8, False), t.text(8, False, multiline=True), t.code(v.SEX, False), t.boolean]
    for _ in range(3000):
        cell = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        for reader in readers:
            ok, value = _reads(reader, cell)
            column = t._VECTOR[reader](pa.array([cell]))
            if column is not None:
                assert ok and column.values() == [value], (cell, reader)


def test_uuid_values_are_shared_by_the_columns_of_a_load(tmp_path: Path):
    people = t.Table("people", {"person_id": t.uuid_()}, key="person_id")
    pairs = t.Table(
        "pairs",
        {"a": t.uuid_(), "b": t.uuid_(False)},
        references={"a": "people", "b": "people"},
    )
    ids = [str(uuid.UUID(int=n)) for n in range(1, 5)]
    pq.write_table(pa.table({"person_id": ids}), tmp_path / "people.parquet")
    pq.write_table(pa.table({"a": ids, "b": [ids[1].upper(), None, "", ids[0]]}), tmp_path / "pairs.parquet")
    checked = t.check_tables_by_column(tmp_path, [people, pairs])
    rows = checked["pairs"].rows()
    assert rows[0]["b"] == uuid.UUID(ids[1]) and rows[1]["b"] is None and rows[2]["b"] is None
    assert rows[0]["b"] is checked["people"].rows()[1]["person_id"]


def test_a_file_that_reads_row_by_row_gives_the_same_rows(tmp_path: Path):
    table = t.Table(
        "things",
        {
            "thing_id": t.uuid_(),
            "name": t.text(20),
            "kind": t.code(v.SEX),
            "on": t.date(False),
            "count": t.number(int),
            "x": t.number(float),
            "note": t.text(50, False, multiline=True),
        },
        key="thing_id",
        unique=(("name",),),
        checks=(t.ends_on_or_after_start,),
    )
    rows = [
        {"thing_id": str(uuid.UUID(int=n)), "name": f"thing {n}", "kind": "FMU"[n % 3],
         "on": f"2020-01-{n % 28 + 1:02d}", "count": str(n), "x": f"{n}.5", "note": "a\nb" if n % 2 else ""}
        for n in range(1, 200)
    ]  # fmt: skip
    with (tmp_path / "things.csv").open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for n, row in enumerate(rows):
            writer.writerow(row)
            if n % 50 == 0:
                out.write("\n")  # a blank line is not a row
    fast = t.check_tables_by_column(tmp_path, [table])["things"]
    assert fast.column("thing_id").kind == t.UUID and fast.column("x").kind == t.PYTHON
    assert fast.rows() == t.check_tables(tmp_path, [table], by_row=True)["things"]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "things.parquet")
    assert t.check_tables(tmp_path, [table]) == t.check_tables(tmp_path, [table], by_row=True)


BROKEN = {
    "a bad cell": ("name", 3, "x" * 30),
    "a duplicated key": ("thing_id", 5, str(uuid.UUID(int=2))),
    "a unique value twice": ("name", 7, "thing 1"),
    "a reference to nothing": ("parent_id", 9, str(uuid.UUID(int=999))),
    "an end before its start": ("end_date", 11, "2019-01-01"),
    "a row check": ("kind", 13, "U"),
    "a missing cell": ("kind", 4, None),
}


@pytest.mark.parametrize("broken", list(BROKEN), ids=list(BROKEN))
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_file_with_problems_is_reported_exactly_as_row_by_row(tmp_path: Path, broken: str, suffix: str):
    seen: list[str] = []

    def no_u_after_ten(row: dict[str, Any]) -> tuple[str, str] | None:
        seen.append(row["name"])  # a check with a side effect must run once per row whichever way
        if row["kind"] == "U" and int(row["name"].split()[1]) > 10:
            return "kind", "U only in the first ten"
        return None

    parents = t.Table("parents", {"parent_id": t.uuid_()}, key="parent_id")
    things = t.Table(
        "things",
        {
            "thing_id": t.uuid_(),
            "parent_id": t.uuid_(False),
            "name": t.text(20),
            "kind": t.code(v.SEX),
            "start_date": t.date(),
            "end_date": t.date(False),
        },
        key="thing_id",
        references={"parent_id": "parents"},
        unique=(("name",),),
        checks=(t.ends_on_or_after_start, no_u_after_ten),
    )
    column, row, value = BROKEN[broken]
    data = [
        {"thing_id": str(uuid.UUID(int=n)), "parent_id": str(uuid.UUID(int=100 + n % 3)) if n % 2 else "",
         "name": f"thing {n}", "kind": "FM"[n % 2], "start_date": "2020-01-01", "end_date": "2021-01-01"}
        for n in range(1, 20)
    ]  # fmt: skip
    data[row - 1][column] = value
    _write(tmp_path / f"parents{suffix}", [{"parent_id": str(uuid.UUID(int=100 + n))} for n in range(3)])
    _write(tmp_path / f"things{suffix}", data, missing_cell=value is None)

    def problems(by_row: bool) -> tuple[list[str], list[str]]:
        seen.clear()
        with pytest.raises(t.LoadFailed) as caught:
            t.check_tables(tmp_path, [parents, things], by_row=by_row)
        return [str(e) for e in caught.value.errors], list(seen)

    assert problems(by_row=False) == problems(by_row=True)


def _write(path: Path, rows: list[dict[str, Any]], *, missing_cell: bool = False) -> None:
    if path.suffix == ".parquet":
        pq.write_table(pa.Table.from_pylist(rows), path)
        return
    lines = [",".join(rows[0])]
    for row in rows:
        cells = [str(value) for value in row.values() if value is not None or not missing_cell]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")


def test_a_csv_file_with_problems_names_lines_as_row_by_row(tmp_path: Path):
    table = t.Table("people", {"person_id": t.uuid_(), "born": t.date(past=True)}, key="person_id")
    (tmp_path / "people.csv").write_text(f"person_id,born\n{ID},2999-01-01\n\n{ID.upper()},27/03/2015\n")
    with pytest.raises(t.LoadFailed) as caught:
        t.check_tables(tmp_path, [table])
    assert [str(e) for e in caught.value.errors] == [
        "people.csv, line 2, field born: 2999-01-01 is in the future",
        "people.csv, line 4, field born: '27/03/2015' is not a date in the form YYYY-MM-DD",
        f"people.csv, line 4, field person_id: {ID} appears more than once",
    ]
