"""Loading a county snapshot: all or nothing, errors that name file, line and field, and safe to repeat."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from continuum.agencies.models import Agency, Involvement, Practitioner
from continuum.audit.models import AuditEvent
from continuum.county import load as county
from continuum.county.load import LoadFailed, county_load
from continuum.people.models import Address, Person, Relationship

IDS = {
    name: f"00000000-0000-4000-8000-{i:012d}"
    for i, name in enumerate(
        ["school_place", "school", "eh", "team", "worker", "home", "child", "parent", "rel", "inv", "alloc"],
        start=1,
    )
}

SNAPSHOT = {
    "places": [
        {
            "place_id": IDS["school_place"],
            "kind": "school",
            "name": "Oak Primary",
            "locality": "North",
            "postcode": "SF1 1AA",
            "x": "100.5",
            "y": "200",
        }
    ],
    "agencies": [
        {
            "agency_id": IDS["school"],
            "name": "Oak Primary",
            "kind": "school",
            "locality": "North",
            "school_phase": "primary",
            "urn": "999001",
            "place_id": IDS["school_place"],
        },
        {
            "agency_id": IDS["eh"],
            "name": "Early Help",
            "kind": "early_help",
            "locality": "",
            "school_phase": "",
            "urn": "",
            "place_id": "",
        },
    ],
    "teams": [{"team_id": IDS["team"], "agency_id": IDS["eh"], "name": "North", "locality": "North"}],
    "practitioners": [
        {
            "practitioner_id": IDS["worker"],
            "given_name": "Pat",
            "family_name": "Lee",
            "email": "pat@example.org",
            "role": "practitioner",
            "agency_id": IDS["eh"],
            "team_id": IDS["team"],
            "caseload_capacity": "18",
        }
    ],
    "households": [
        {
            "household_id": IDS["home"],
            "structure": "lone_parent",
            "address_line": "1 Oak Road",
            "town": "Shireford",
            "locality": "North",
            "postcode": "SF1 2AB",
        }
    ],
    "people": [
        {
            "person_id": IDS["child"],
            "given_name": "Ava",
            "middle_names": "",
            "family_name": "Stone",
            "known_as": "",
            "date_of_birth": "2015-03-27",
            "dob_approximate": "false",
            "sex": "F",
            "ethnicity": "WBRI",
            "first_language": "eng",
            "nhs_number": "9434765919",
            "upn": "H801200001001",
            "send_status": "N",
            "household_id": IDS["home"],
        },
        {
            "person_id": IDS["parent"],
            "given_name": "Jo",
            "middle_names": "",
            "family_name": "Stone",
            "known_as": "",
            "date_of_birth": "1988-01-02",
            "dob_approximate": "false",
            "sex": "F",
            "ethnicity": "WBRI",
            "first_language": "eng",
            "nhs_number": "",
            "upn": "",
            "send_status": "",
            "household_id": IDS["home"],
        },
    ],
    "addresses": [
        {
            "person_id": IDS["child"],
            "address_line": "1 Oak Road",
            "town": "Shireford",
            "postcode": "sf12ab",
            "start_date": "2015-03-27",
            "end_date": "",
        }
    ],
    "household_members": [
        {
            "household_id": IDS["home"],
            "person_id": IDS["child"],
            "household_role": "child",
            "start_date": "",
            "end_date": "",
        },
        {
            "household_id": IDS["home"],
            "person_id": IDS["parent"],
            "household_role": "parent",
            "start_date": "",
            "end_date": "",
        },
    ],
    "relationships": [
        {
            "relationship_id": IDS["rel"],
            "from_person_id": IDS["parent"],
            "to_person_id": IDS["child"],
            "kind": "parent",
            "start_date": "",
            "end_date": "",
            "source": "birth record",
            "confidence": "confirmed",
        }
    ],
    "involvements": [
        {
            "involvement_id": IDS["inv"],
            "person_id": IDS["child"],
            "agency_id": IDS["eh"],
            "kind": "early_help",
            "start_date": "2026-01-05",
            "end_date": "",
            "team_id": IDS["team"],
            "lead_practitioner_id": IDS["worker"],
        }
    ],
    "allocations": [
        {
            "allocation_id": IDS["alloc"],
            "person_id": IDS["child"],
            "practitioner_id": IDS["worker"],
            "kind": "lead",
            "start_date": "2026-01-05",
            "end_date": "",
        }
    ],
}


def write_snapshot(folder: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


def changed(table: str, row: int, **fields: str) -> dict[str, list[dict[str, str]]]:
    tables = {name: [dict(r) for r in rows] for name, rows in SNAPSHOT.items()}
    tables[table][row].update(fields)
    return tables


def test_a_good_snapshot_loads_whole_and_again_without_duplicates(db, tmp_path):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    report = county_load(folder)
    assert report.counts["people"] == 2 and report.counts["involvements"] == 1
    child = Person.objects.get(pk=IDS["child"])
    assert (child.given_name_key, child.nhs_number, child.household_id.hex) == (
        "ava",
        "9434765919",
        IDS["home"].replace("-", ""),
    )
    assert Address.objects.get().postcode == "SF1 2AB"
    assert Practitioner.objects.get().caseload_capacity == 18
    assert AuditEvent.objects.filter(action="import", object_type="county_snapshot").count() == 1

    county_load(folder)
    assert (
        Person.objects.count(),
        Address.objects.count(),
        Relationship.objects.count(),
        Involvement.objects.count(),
        Agency.objects.count(),
    ) == (2, 1, 1, 1, 2)


def test_reloading_keeps_a_practitioners_user_account(db, tmp_path, world):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    county_load(folder)
    Practitioner.objects.filter(pk=IDS["worker"]).update(user=world.nobody)
    county_load(write_snapshot(tmp_path / "again", changed("practitioners", 0, caseload_capacity="12")))
    worker = Practitioner.objects.get(pk=IDS["worker"])
    assert worker.user == world.nobody and worker.caseload_capacity == 12


@pytest.mark.parametrize(
    ("table", "row", "fields", "expected"),
    [
        (
            "people",
            0,
            {"date_of_birth": "2099-01-01"},
            "people.csv, line 2, field date_of_birth: 2099-01-01 is in the future",
        ),
        (
            "people",
            1,
            {"date_of_birth": "02/01/1988"},
            "people.csv, line 3, field date_of_birth: '02/01/1988' is not a date",
        ),
        ("people", 0, {"nhs_number": "9434765918"}, "people.csv, line 2, field nhs_number: the check digit"),
        ("people", 0, {"upn": "A801200001001"}, "people.csv, line 2, field upn: the check letter"),
        ("people", 0, {"ethnicity": "WHITE"}, "people.csv, line 2, field ethnicity: 'WHITE' is not one of"),
        ("people", 0, {"given_name": " "}, "people.csv, line 2, field given_name: is required"),
        (
            "people",
            1,
            {"person_id": IDS["child"]},
            "people.csv, line 3, field person_id: " + IDS["child"] + " appears more than once",
        ),
        (
            "people",
            0,
            {"household_id": "00000000-0000-4000-8000-999999999999"},
            "people.csv, line 2, field household_id: 00000000-0000-4000-8000-999999999999 is not in households",
        ),
        (
            "involvements",
            0,
            {"end_date": "2025-01-01"},
            "involvements.csv, line 2, field end_date: 2025-01-01 is before the start date",
        ),
        (
            "relationships",
            0,
            {"to_person_id": IDS["parent"]},
            "relationships.csv, line 2, field to_person_id: a person cannot be related to themselves",
        ),
        (
            "addresses",
            0,
            {"postcode": "NOT A CODE"},
            "addresses.csv, line 2, field postcode: 'NOT A CODE' is not a UK postcode",
        ),
        (
            "practitioners",
            0,
            {"caseload_capacity": "lots"},
            "practitioners.csv, line 2, field caseload_capacity: 'lots' is not a number",
        ),
        ("agencies", 1, {"agency_id": "eh"}, "agencies.csv, line 3, field agency_id: 'eh' is not a UUID"),
    ],
)
def test_a_bad_row_stops_the_load_naming_file_line_and_field_and_nothing_is_saved(
    db, tmp_path, table, row, fields, expected
):
    folder = write_snapshot(tmp_path / "county", changed(table, row, **fields))
    with pytest.raises(LoadFailed) as caught:
        county_load(folder)
    assert expected in str(caught.value)
    assert "nothing was loaded" in str(caught.value)
    assert not Person.objects.exists() and not Agency.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_a_missing_file_or_column_is_named(db, tmp_path):
    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    (folder / "allocations.csv").unlink()
    rows = [{k: val for k, val in r.items() if k != "sex"} for r in SNAPSHOT["people"]]
    write_snapshot(folder, {"people": rows})
    with pytest.raises(LoadFailed) as caught:
        county_load(folder)
    message = str(caught.value)
    assert "people.csv, line 1, field sex: this column is missing" in message
    assert "allocations.parquet or .csv" in message and "the file is missing" in message


def test_a_failure_in_the_write_phase_rolls_everything_back(db, tmp_path, monkeypatch):
    from continuum.county import load as county

    folder = write_snapshot(tmp_path / "county", SNAPSHOT)
    real_write = county._write

    def fail_on_allocations(table, rows):
        if table.name == "allocations":
            raise RuntimeError("disk full")
        return real_write(table, rows)

    monkeypatch.setattr(county, "_write", fail_on_allocations)
    with pytest.raises(RuntimeError):
        county_load(folder)
    assert not Person.objects.exists() and not Involvement.objects.exists()


def test_a_bad_cell_is_reported_once_without_knock_on_errors_in_other_files(db, tmp_path):
    folder = write_snapshot(tmp_path / "county", changed("people", 0, date_of_birth="2031-02-30"))
    with pytest.raises(LoadFailed) as caught:
        county_load(folder)
    assert caught.value.errors == [
        county.LoadError("people.csv", 2, "date_of_birth", "'2031-02-30' is not a date in the form YYYY-MM-DD")
    ]


def test_parquet_files_are_read_and_their_problems_counted_in_rows(db, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = write_snapshot(tmp_path / "county", changed("people", 1, sex="X"))
    rows = SNAPSHOT["people"]
    (folder / "people.csv").unlink()
    table = pa.Table.from_pylist([rows[0], {**rows[1], "sex": "X"}])
    pq.write_table(table, folder / "people.parquet")
    with pytest.raises(LoadFailed) as caught:
        county_load(folder)
    assert str(caught.value.errors[0]).startswith("people.parquet, row 2, field sex: 'X' is not one of")
