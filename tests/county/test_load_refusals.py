"""A snapshot built to break the load: every trick is refused with FILE, line and field, and nothing is written.

Each case goes in through the real entry points: `county_load(folder)`, the `county load` command through
call_command, and (for a few) `continuum county load DIR` in a process of its own, as a council would run it.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from continuum.agencies.models import Agency, Practitioner, Team
from continuum.audit.models import AuditEvent
from continuum.county.load import LoadFailed, county_load
from continuum.people.models import Person
from tests.county.test_county_load import IDS, SNAPSHOT, changed, write_snapshot

NEW_ID = "00000000-0000-4000-8000-000000000999"
Tables = dict[str, list[dict[str, str]]]


def copied() -> Tables:
    return {name: [dict(r) for r in rows] for name, rows in SNAPSHOT.items()}


def with_rows(table: str, *rows: dict[str, str]) -> Tables:
    tables = copied()
    tables[table] += [dict(row) for row in rows]
    return tables


def loaded_by_function(folder: Path) -> str:
    with pytest.raises(LoadFailed) as caught:
        county_load(folder)
    return str(caught.value)


def loaded_by_command(folder: Path) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("county", "load", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    return str(caught.value)


@pytest.fixture(params=[loaded_by_function, loaded_by_command], ids=["county_load", "command"])
def refused(request, db) -> Callable[[Path], str]:
    """Load a folder through an entry point, expect a refusal, check nothing was written; the message."""

    def load(folder: Path) -> str:
        message = request.param(folder)
        assert "nothing was loaded" in message and "Traceback" not in message
        assert not Person.objects.exists() and not Agency.objects.exists()
        assert not AuditEvent.objects.filter(action="import").exists()
        return message

    return load


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        pytest.param(
            changed("agencies", 1, name="Oak Primary"),
            "agencies.csv, line 3, field name: 'Oak Primary' appears more than once (first on line 2)",
            id="agency-name-twice",
        ),
        pytest.param(
            with_rows("teams", {"team_id": NEW_ID, "agency_id": IDS["eh"], "name": "North", "locality": ""}),
            "teams.csv, line 3, field name: 'North' with this agency_id appears more than once (first on line 2)",
            id="team-name-twice-in-an-agency",
        ),
        pytest.param(
            changed("practitioners", 0, caseload_capacity="-1"),
            "practitioners.csv, line 2, field caseload_capacity: '-1' is not between 0 and 32767",
            id="negative-caseload",
        ),
        pytest.param(
            changed("practitioners", 0, caseload_capacity="32768"),
            "practitioners.csv, line 2, field caseload_capacity: '32768' is not between 0 and 32767",
            id="caseload-too-large-for-the-column",
        ),
        pytest.param(
            changed("practitioners", 0, caseload_capacity="12.5"),
            "practitioners.csv, line 2, field caseload_capacity: '12.5' is not a whole number",
            id="fractional-caseload",
        ),
        pytest.param(
            changed("people", 1, given_name="Jo\x00"),
            "people.csv, line 3, field given_name: contains a control character (U+0000 NUL)",
            id="nul-in-a-name",
        ),
        pytest.param(
            changed("agencies", 0, name="Oak \x1b[31mPrimary"),
            "agencies.csv, line 2, field name: contains a control character (U+001B escape)",
            id="terminal-escape-in-an-agency-name",
        ),
        pytest.param(
            changed("people", 0, family_name="Sto\tne"),
            "people.csv, line 2, field family_name: contains a control character (U+0009 tab)",
            id="tab-inside-a-name",
        ),
        pytest.param(
            changed("people", 0, given_name="Ava\nMay"),
            "people.csv, line 2, field given_name: contains a control character (U+000A line feed)",
            id="line-break-in-a-quoted-name",
        ),
        pytest.param(
            changed("people", 0, date_of_birth="2012-W10-3"),
            "people.csv, line 2, field date_of_birth: '2012-W10-3' is not a date in the form YYYY-MM-DD",
            id="iso-week-date",
        ),
        pytest.param(
            changed("people", 1, date_of_birth="19880102"),
            "people.csv, line 3, field date_of_birth: '19880102' is not a date in the form YYYY-MM-DD",
            id="basic-format-date",
        ),
        pytest.param(
            changed("involvements", 0, start_date="2026W021"),
            "involvements.csv, line 2, field start_date: '2026W021' is not a date in the form YYYY-MM-DD",
            id="compact-week-date",
        ),
        pytest.param(
            changed("practitioners", 0, email="pat@example..org"),
            "practitioners.csv, line 2, field email: 'pat@example..org' is not an email address",
            id="email-empty-domain-label",
        ),
        pytest.param(
            changed("practitioners", 0, email="Pat Lee <pat@example.org>"),
            "practitioners.csv, line 2, field email: 'Pat Lee <pat@example.org>' is not an email address",
            id="email-with-display-name",
        ),
        pytest.param(
            changed("practitioners", 0, email="pat@"),
            "practitioners.csv, line 2, field email: 'pat@' is not an email address",
            id="email-without-domain",
        ),
        pytest.param(
            changed("people", 0, person_id="{" + IDS["child"] + "}"),
            "people.csv, line 2, field person_id: '{" + IDS["child"] + "}' is not a UUID",
            id="uuid-in-braces",
        ),
        pytest.param(
            changed("people", 0, given_name="A" * 200_000),
            "people.csv, line 2, field -: a cell is longer than 131,072 characters, the most a CSV cell may hold",
            id="cell-over-the-csv-limit",
        ),
    ],
)
def test_a_crafted_cell_is_refused_naming_file_line_and_field(refused, tmp_path, tables, expected):
    assert expected in refused(write_snapshot(tmp_path / "county", tables))


def test_a_name_that_belongs_to_another_agency_in_the_database_is_refused(db, tmp_path):
    other = Agency.objects.create(name="Early Help", kind="early_help")
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    for load in (loaded_by_function, loaded_by_command):
        assert (
            f"agencies.csv, line 3, field name: 'Early Help' already belongs to agency_id {other.pk} in the database"
        ) in load(folder)
    assert list(Agency.objects.all()) == [other]
    assert not Person.objects.exists() and not AuditEvent.objects.filter(action="import").exists()


def test_a_team_name_that_another_team_of_the_agency_has_in_the_database_is_refused(db, tmp_path):
    county_load(write_snapshot(tmp_path / "first", SNAPSHOT))
    renumbered = changed("teams", 0, team_id=NEW_ID)
    renumbered["practitioners"][0]["team_id"] = renumbered["involvements"][0]["team_id"] = NEW_ID
    for load in (loaded_by_function, loaded_by_command):
        message = load(write_snapshot(tmp_path / "again", renumbered))
        assert (
            f"teams.csv, line 2, field name: 'North' with this agency_id already belongs to team_id {IDS['team']}"
            " in the database"
        ) in message
    assert [str(t.pk) for t in Team.objects.all()] == [IDS["team"]]
    assert str(Practitioner.objects.get().team_id) == IDS["team"]
    assert AuditEvent.objects.filter(action="import").count() == 1


def test_reloading_keeps_names_and_may_rename_an_agency_or_reuse_a_team_name_in_another_agency(db, tmp_path):
    county_load(write_snapshot(tmp_path / "first", SNAPSHOT))
    tables = changed("agencies", 1, name="Family Help")
    tables["teams"].append({"team_id": NEW_ID, "agency_id": IDS["school"], "name": "North", "locality": ""})
    county_load(write_snapshot(tmp_path / "again", tables))
    assert Agency.objects.get(pk=IDS["eh"]).name == "Family Help"
    assert sorted(Team.objects.values_list("agency__name", "name")) == [
        ("Family Help", "North"),
        ("Oak Primary", "North"),
    ]


def write_csv_text(folder: Path, name: str, text: str, encoding: str = "utf-8") -> None:
    (folder / f"{name}.csv").write_bytes(text.encode(encoding))


def csv_text(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or list(rows[0]))
    writer.writerows([list(r.values()) for r in rows])
    return out.getvalue()


def test_a_file_that_is_not_utf8_names_the_line_and_byte(refused, tmp_path):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    people = [dict(r) for r in SNAPSHOT["people"]]
    people[1]["family_name"] = "Stöne"
    data = csv_text(people).encode("cp1252")  # what Excel's plain "CSV" writes on Windows
    (folder / "people.csv").write_bytes(data)
    offset = data.index(b"\xf6")
    assert (
        f"people.csv, line 3, field -: the file is not UTF-8 (byte 0xF6 at offset {offset}); "
        "save it as UTF-8 and load it again"
    ) in refused(folder)


def test_a_bad_byte_far_into_a_file_is_found_on_its_own_line(refused, tmp_path):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    row = SNAPSHOT["people"][1]
    people = [{**row, "person_id": f"00000000-0000-4000-8000-1{i:011d}"} for i in range(2000)]
    people[1500]["family_name"] = "Stöne"
    data = csv_text(people).encode("latin-1")
    (folder / "people.csv").write_bytes(data)
    message = refused(folder)
    assert message.startswith(
        "1 problem(s) found; nothing was loaded:\n"
        f"people.csv, line 1502, field -: the file is not UTF-8 (byte 0xF6 at offset {data.index(b'\xf6')})"
    )  # and the files that refer to people report nothing: nobody can tell which people are there


def test_a_utf16_file_is_refused_at_its_first_byte(refused, tmp_path):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    write_csv_text(folder, "agencies", csv_text(SNAPSHOT["agencies"]), "utf-16")
    assert "agencies.csv, line 1, field -: the file is not UTF-8 (byte 0xFF at offset 0)" in refused(folder)


def test_a_row_with_more_or_fewer_cells_than_the_header_is_refused(refused, tmp_path):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    header = list(SNAPSHOT["people"][0])
    lines = csv_text(SNAPSHOT["people"]).splitlines()
    lines[1] += ",extra"
    lines[2] = lines[2].rsplit(",", 1)[0]
    write_csv_text(folder, "people", "\n".join(lines) + "\n")
    message = refused(folder)
    assert f"people.csv, line 2, field -: this row has {len(header) + 1} cells but the header has {len(header)}" in (
        message
    )
    assert f"people.csv, line 3, field -: this row has {len(header) - 1} cells but the header has {len(header)}" in (
        message
    )
    # The rows' ids are still known, so the files that refer to them report nothing more.
    assert "is not in people" not in message


def test_a_header_naming_a_column_twice_is_refused(refused, tmp_path):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    header = [*SNAPSHOT["people"][0], "sex"]
    rows = [{**r, "sex2": "M"} for r in SNAPSHOT["people"]]
    write_csv_text(folder, "people", csv_text(rows, header))
    assert "people.csv, line 1, field sex: this column appears more than once in the header" in refused(folder)


def test_rows_are_numbered_by_the_line_they_start_on_after_a_cell_spanning_lines(refused, tmp_path):
    tables = changed("households", 0, address_line="Flat 1\n1 Oak Road")
    tables["households"].append({**tables["households"][0], "household_id": NEW_ID, "postcode": "NOT A CODE"})
    message = refused(write_snapshot(tmp_path / "county", tables))
    assert "households.csv, line 2, field address_line: contains a control character (U+000A line feed)" in message
    assert "households.csv, line 4, field postcode: 'NOT A CODE' is not a UK postcode" in message


def test_past_fifty_problems_the_message_says_where_it_stopped(refused, tmp_path):
    rows = [{**SNAPSHOT["people"][1], "person_id": f"00000000-0000-4000-8000-2{i:011d}", "sex": "X"} for i in range(60)]
    tables = copied()
    tables["people"] = rows
    message = refused(write_snapshot(tmp_path / "county", tables))
    assert message.startswith("50 problem(s) found (stopped after the first 50); nothing was loaded:")
    assert "{MAX_ERRORS}" not in message


def write_parquet(folder: Path, name: str, table: pa.Table) -> None:
    (folder / f"{name}.csv").unlink(missing_ok=True)
    pq.write_table(table, folder / f"{name}.parquet")


def test_parquet_date_and_timestamp_columns_still_load(db, tmp_path):
    import datetime

    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    people = pa.Table.from_pylist(SNAPSHOT["people"])
    births = pa.array([datetime.date(2015, 3, 27), datetime.date(1988, 1, 2)], pa.date32())
    write_parquet(
        folder, "people", people.set_column(people.schema.get_field_index("date_of_birth"), "date_of_birth", births)
    )
    involvements = pa.Table.from_pylist(SNAPSHOT["involvements"])
    started = pa.array([datetime.datetime(2026, 1, 5, 9, 30)], pa.timestamp("us"))
    write_parquet(folder, "involvements", involvements.set_column(4, "start_date", started))
    county_load(folder)
    assert Person.objects.get(pk=IDS["child"]).date_of_birth == datetime.date(2015, 3, 27)


@pytest.mark.parametrize(
    ("column", "values", "expected"),
    [
        (
            "caseload_capacity",
            pa.array([12.5], pa.float64()),
            "practitioners.parquet, row 1, field caseload_capacity: 12.5 is not a whole number",
        ),
        (
            "caseload_capacity",
            pa.array([-3], pa.int64()),
            "practitioners.parquet, row 1, field caseload_capacity: -3 is not between 0 and 32767",
        ),
        (
            "email",
            pa.array(["pat@exa mple.org"]),
            "practitioners.parquet, row 1, field email: 'pat@exa mple.org' is not an email address",
        ),
        (
            "given_name",
            pa.array([b"P\xe4t"], pa.binary()).view(pa.string()),
            "practitioners.parquet, row 1, field given_name: is not UTF-8 text",
        ),
    ],
)
def test_parquet_cells_are_held_to_the_same_rules(refused, tmp_path, column, values, expected):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    table = pa.Table.from_pylist(SNAPSHOT["practitioners"])
    write_parquet(folder, "practitioners", table.set_column(table.schema.get_field_index(column), column, values))
    assert expected in refused(folder)


def test_a_file_that_is_not_parquet_is_refused(refused, tmp_path):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    (folder / "people.csv").unlink()
    (folder / "people.parquet").write_bytes(b"person_id,given_name\n")
    assert "people.parquet, row 0, field -: this is not a Parquet file that can be read" in refused(folder)


# The command as a council's developer runs it, in a process of its own. It uses SQLite in a folder of its
# own whatever DATABASE_URL says: the checks before the write are the same on both databases, and the
# tests above run on each.
CONTINUUM = Path(sys.executable).parent / "continuum"


@pytest.fixture(scope="module")
def installation(tmp_path_factory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("var")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "continuum.web.settings",
        "CONTINUUM_SECRET_KEY": "x" * 50,
        "CONTINUUM_VAR_DIR": str(var),
    }
    migrated = subprocess.run([CONTINUUM, "migrate", "-v0"], env=env, capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    return env


def run_load(env: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CONTINUUM, "county", "load", folder], env=env, capture_output=True, text=True, timeout=300)


def counts(env: dict[str, str]) -> tuple[int, int, int]:
    with sqlite3.connect(Path(env["CONTINUUM_VAR_DIR"]) / "continuum.sqlite3") as db:
        return tuple(
            db.execute(query).fetchone()[0]
            for query in [
                "SELECT count(*) FROM agencies_agency",
                "SELECT count(*) FROM people_person",
                "SELECT count(*) FROM audit_auditevent WHERE action = 'import'",
            ]
        )


def test_the_command_line_refuses_a_nul_and_a_non_utf8_file_without_a_traceback(installation, tmp_path):
    folder = write_snapshot(tmp_path / "county", changed("agencies", 1, name="Early\x00Help"))
    people = csv_text([{**SNAPSHOT["people"][0], "known_as": "Zoë"}, SNAPSHOT["people"][1]])
    write_csv_text(folder, "people", people, "latin-1")
    result = run_load(installation, folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "agencies.csv, line 3, field name: contains a control character (U+0000 NUL)" in result.stderr
    assert "people.csv, line 2, field -: the file is not UTF-8 (byte 0xEB at offset" in result.stderr
    assert counts(installation) == (0, 0, 0)


def test_the_command_line_refuses_a_name_another_agency_holds_and_keeps_the_first_load(installation, tmp_path):
    first = run_load(installation, write_snapshot(tmp_path / "first", SNAPSHOT))
    assert first.returncode == 0, first.stderr
    swapped = changed("agencies", 0, name="Early Help")
    swapped["agencies"][1]["name"] = "Oak Primary"
    result = run_load(installation, write_snapshot(tmp_path / "swapped", swapped))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert (
        f"agencies.csv, line 2, field name: 'Early Help' already belongs to agency_id {IDS['eh']} in the database"
        in result.stderr
    )
    assert counts(installation) == (2, 2, 1)
    with sqlite3.connect(Path(installation["CONTINUUM_VAR_DIR"]) / "continuum.sqlite3") as db:
        assert sorted(db.execute("SELECT name FROM agencies_agency")) == [("Early Help",), ("Oak Primary",)]
