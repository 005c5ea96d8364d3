"""The county load checks a snapshot column by column and writes it through continuum.bulk: the rows it checks and
the problems it finds are those of the row-by-row check, and the people it writes carry the keys save() gives."""

from __future__ import annotations

import csv
import datetime
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from continuum import tables
from continuum.county import load as county
from continuum.people.models import Person
from continuum.synth import generate
from tests.test_bulk import _updated_rows, _watch

AS_OF = datetime.date(2025, 3, 31)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("county")
    generate(path, children=400, seed=5, as_of=AS_OF)
    return path


@pytest.fixture
def snapshot(generated: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "county"
    shutil.copytree(generated, folder)
    return folder


def _as_csv(folder: Path) -> Path:
    """The snapshot's tables as CSV files, written as a council's export would write them."""
    out = folder.parent / "csv"
    out.mkdir()
    for path in folder.glob("*.parquet"):
        rows = pq.read_table(path).to_pylist()
        with (out / f"{path.stem}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(pq.read_schema(path).names)
            writer.writerows([_cell(value) for value in row.values()] for row in rows)
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@pytest.mark.parametrize("as_csv", [False, True], ids=["parquet", "csv"])
def test_every_file_of_a_generated_county_is_checked_whole_with_the_rows_of_the_row_by_row_check(
    db, snapshot, monkeypatch, as_csv
):
    folder = _as_csv(snapshot) if as_csv else snapshot
    by_row = tables.check_tables(folder, county.tables(folder), taken=county._taken, by_row=True)

    def not_row_by_row(*args: Any) -> None:
        raise AssertionError("a valid file was checked row by row")

    monkeypatch.setattr(tables, "_check", not_row_by_row)
    checked = tables.check_tables_by_column(folder, county.tables(folder), taken=county._taken)
    assert {name: table.rows() for name, table in checked.items()} == by_row
    arrow = {name for name, table in checked.items() if all(c.arrow is not None for c in table.columns.values())}
    assert {"people", "addresses", "relationships", "involvements", "household_members", "sessions"} <= arrow


def _change(folder: Path, name: str, row: int, **cells: Any) -> None:
    table = pq.read_table(folder / f"{name}.parquet")
    for column, value in cells.items():
        values = table.column(column).to_pylist()
        values[row] = value
        kind = table.schema.field(column).type
        table = table.set_column(table.schema.get_field_index(column), column, pa.array(values, kind))
    pq.write_table(table, folder / f"{name}.parquet")


def test_a_snapshot_with_problems_in_many_files_is_reported_as_row_by_row(db, snapshot):
    programme = pc.index(pq.read_table(snapshot / "decisions.parquet").column("route"), "programme").as_py()
    assert programme >= 0
    himself = pq.read_table(snapshot / "relationships.parquet").column("from_person_id")[5].as_py()
    _change(snapshot, "people", 3, sex="X")  # a bad cell
    _change(snapshot, "relationships", 5, to_person_id=himself)  # a row check
    _change(snapshot, "decisions", programme, programme=None)  # a check that remembers the rows above
    _change(snapshot, "sessions", 0, held_on="1990-01-01")  # one that compares with another file

    def problems(by_row: bool) -> list[str]:
        with pytest.raises(tables.LoadFailed) as caught:
            tables.check_tables(snapshot, county.tables(snapshot), taken=county._taken, by_row=by_row)
        return [str(error) for error in caught.value.errors]

    found = problems(by_row=False)
    assert found == problems(by_row=True)
    files = ["people.parquet", "relationships.parquet", "decisions.parquet", "sessions.parquet"]
    assert [error.split(",")[0] for error in found] == files


def test_people_are_written_with_the_keys_save_gives_them(db, snapshot):
    _change(snapshot, "people", 0, given_name=" Zoë-Ann ", middle_names="Jean\u00a0Paul", known_as="Zo", nhs_number="")
    _change(snapshot, "people", 1, family_name="O'Neil\u2003Smith", upn="")
    county.county_load(snapshot)
    fields = ["nhs_number", "upn", "given_name_key", "family_name_key", "known_as_key", "search_key"]
    for person in Person.objects.all():
        names = ["given_name", "middle_names", "family_name", "known_as", *fields]
        expected = SimpleNamespace(**{name: getattr(person, name) for name in names})
        Person.refresh_keys(expected)  # type: ignore[arg-type]
        assert [getattr(person, name) for name in fields] == [getattr(expected, name) for name in fields]
    zoe = Person.objects.get(given_name="Zoë-Ann")
    assert zoe.search_key.startswith(" zoeann jeanpaul ")


def test_a_reload_rewrites_no_person(db, snapshot):
    county.county_load(snapshot)
    _watch(Person)
    _change(snapshot, "people", 2, known_as="Bee")
    county.county_load(snapshot)
    changed = Person.objects.get(known_as="Bee")
    assert {str(pk).replace("-", "") for pk in _updated_rows(Person)} == {changed.pk.hex}
    assert changed.known_as_key == "bee"


def test_tables_with_no_rows_load_as_nothing(db, snapshot):
    for name in ("cohort_attendance", "questionnaires", "addresses", "goal_ratings"):
        table = pq.read_table(snapshot / f"{name}.parquet")
        pq.write_table(table.slice(0, 0), snapshot / f"{name}.parquet")
    report = county.county_load(snapshot)
    assert report.counts["cohort_attendance"] == report.counts["questionnaires"] == report.counts["addresses"] == 0
    assert report.counts["people"] == Person.objects.count() > 0
