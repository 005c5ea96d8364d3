"""The feed checker and the quarantine, on small files written the way agencies send them (and the way they go wrong):
every problem named FILE:LINE:FIELD, warnings that load, and the quarantine holding exactly the bad rows."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import zoneinfo
from pathlib import Path

import pytest

from continuum.identifiers import upn_check_letter
from continuum.signals.feeds import check as check_module
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.check import check_feed
from continuum.signals.feeds.quarantine import QuarantineFailed, write_quarantine
from continuum.signals.feeds.spec import Checked, Column, Event, Feed, FeedTable, Person

# ---- Small feeds built here, to test the engine on its own (the catalogue's feeds are at the end) ----------------


def _codes(*codes: str) -> dict[str, str]:
    return {code: f"meaning of {code}" for code in codes}


def _ends_after_start(row):
    if row["returned_at"] and row["returned_at"] < row["started_at"]:
        return "returned_at", "is before started_at"
    return None


INCIDENTS = FeedTable(
    name="incidents",
    description="Police incidents",
    columns=(
        Column("incident_ref", "ref", "", required=True, max_length=12),
        Column("person_ref", "ref", "", required=True, max_length=12),
        Column("given_name", "text", ""),
        Column("date_of_birth", "date", ""),
        Column("sex", "code", "", codes=_codes("M", "F", "U")),
        Column("postcode", "postcode", ""),
        Column("occurred_on", "date", "", required=True),
        Column("role", "code", "", required=True, codes=_codes("VICTIM", "SUSPECT", "WITNESS", "PRESENT_DA")),
        Column("arrested", "boolean", ""),
        Column("outcome", "code", "", codes={str(n): f"outcome {n}" for n in range(1, 23) if n != 19}),
        Column("sessions", "integer", "", minimum=1, maximum=380),
        Column("school_urn", "urn", ""),
        Column("upn", "upn", ""),
        Column("nhs_number", "nhs_number", ""),
    ),
    key=("incident_ref", "person_ref"),
    person=Person(ref="person_ref", given_name="given_name", date_of_birth="date_of_birth", sex="sex"),
    event=Event("police_incident", "Police incident", "occurred_on"),
)
POLICE = Feed("police", "Police", "", "", (INCIDENTS,))

EPISODES = FeedTable(
    name="episodes",
    description="Missing episodes",
    columns=(
        Column("episode_ref", "ref", "", required=True),
        Column("started_at", "datetime", "", required=True),
        Column("returned_at", "datetime", ""),
        Column("seen_at", "time", ""),
        Column("factors", "codes", "", codes=_codes("1A", "2B", "3C")),
    ),
    key=("episode_ref",),
    person=Person(ref="episode_ref"),
    event=Event("missing_episode", "Missing episode", "started_at", "returned_at"),
    checks=(_ends_after_start,),
)
MISSING = Feed("missing", "Missing", "", "", (EPISODES,))

UN_CODES = {f"UN{n}": f"no UPN, reason {n}" for n in range(1, 11)}
HEADER_903 = FeedTable(
    name="header",
    description="Children looked after",
    columns=(
        Column("CHILD", "ref", "", required=True),
        Column("SEX", "code", "", required=True, codes=_codes("1", "2")),
        Column("DOB", "date", "", required=True),
        Column("UPN", "upn", "", codes=UN_CODES),
    ),
    key=("CHILD",),
    person=Person(ref="CHILD", date_of_birth="DOB", sex="SEX", sex_codes={"1": "M", "2": "F"}, upn="UPN"),
    event=None,
    dates="dmy",
)
EPISODES_903 = FeedTable(
    name="episodes",
    description="Episodes of care",
    columns=(
        Column("CHILD", "ref", "", required=True),
        Column("DECOM", "date", "", required=True),
        Column("RNE", "code", "", required=True, codes=_codes("S", "P", "L", "T", "B", "U")),
        Column("DEC", "date", ""),
        Column("HOME_POST", "partial_postcode", ""),
        Column("URN", "urn", ""),
    ),
    key=("CHILD", "DECOM"),
    person=Person(ref="CHILD"),
    event=Event("care_episode", "Period of care", "DECOM", "DEC"),
    dates="dmy",
)
SSDA903 = Feed("ssda903", "SSDA903", "", "", (HEADER_903, EPISODES_903))

HEADER = "incident_ref,person_ref,given_name,date_of_birth,sex,postcode,occurred_on,role,arrested,outcome"
GOOD = "INC1,P1,Amy,2012-03-04,F,sf1 2ab,2024-05-06,VICTIM,N,12"


def upn(body: str = "820200012345") -> str:
    """A valid UPN with this body (LA, establishment, year, serial)."""
    return upn_check_letter(body) + body


def write(folder: Path, name: str, *lines: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("".join(f"{line}\r\n" for line in lines).encode(encoding))
    return path


def problems(checked: Checked) -> list[str]:
    return [str(p) for p in checked.problems]


def one_problem(checked: Checked, prefix: str) -> str:
    """The one problem of the load, which must start with prefix; its message."""
    assert len(checked.problems) == 1, problems(checked)
    found = str(checked.problems[0])
    assert found.startswith(prefix), found
    return found[len(prefix) :]


# ---- Good files -----------------------------------------------------------------------------------------------------


def test_a_good_file_loads_every_row_typed(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD, "INC2,P2, Ben ,,,,2024-05-07,WITNESS,,")
    checked = check_feed(POLICE, [path], names=["police.csv"])
    assert checked.problems == [] and checked.rejected == []
    first, second = checked.rows
    assert first.table == "incidents" and first.file == "police.csv" and first.line == 2
    assert first.key == ("INC1", "P1")
    assert first.values == {
        "incident_ref": "INC1",
        "person_ref": "P1",
        "given_name": "Amy",
        "date_of_birth": datetime.date(2012, 3, 4),
        "sex": "F",
        "postcode": "SF1 2AB",
        "occurred_on": datetime.date(2024, 5, 6),
        "role": "VICTIM",
        "arrested": False,
        "outcome": "12",
        # columns the file does not have (none of them required) are blank
        "sessions": None,
        "school_urn": None,
        "upn": None,
        "nhs_number": None,
    }
    assert first.unusable == frozenset()
    assert second.values["given_name"] == "Ben"  # trimmed
    assert second.values["sex"] == "" and second.values["date_of_birth"] is None and second.values["arrested"] is None
    (source,) = checked.files
    assert source.name == "police.csv" and source.table == "incidents" and source.rows == 2
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.problems == ()


def test_a_byte_order_mark_extra_columns_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "police.csv"
    path.write_bytes(("\ufeff" + HEADER + ",notes\r\n\r\n" + GOOD + ",anything\r\n\r\n").encode())
    checked = check_feed(POLICE, [path], names=["police.csv"])
    assert checked.problems == []
    assert [r.line for r in checked.rows] == [3]
    assert "notes" not in checked.rows[0].values


def test_problems_name_the_file_as_the_caller_named_it_or_as_given(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD.replace("VICTIM", "VICTIN"))
    assert problems(check_feed(POLICE, [path], names=["feeds/police.csv"]))[0].startswith("feeds/police.csv:2:role: ")
    assert problems(check_feed(POLICE, [path]))[0].startswith(f"{path}:2:role: ")


def test_each_kind_reads_its_form(tmp_path):
    path = write(
        tmp_path,
        "missing.csv",
        "episode_ref,started_at,returned_at,seen_at,factors",
        'E1,2024-05-06T21:30,2024-05-07T08:15:30+01:00,07:45,"1A, 3C"',
        "E2,2024-05-06T21:30:00Z,,,",
    )
    checked = check_feed(MISSING, [path], names=["missing.csv"])
    assert checked.problems == []
    first, second = (r.values for r in checked.rows)
    # without an offset, the time is the source's local time (British Summer Time in May)
    assert first["started_at"] == datetime.datetime(2024, 5, 6, 21, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    assert first["started_at"].utcoffset() == datetime.timedelta(hours=1)
    assert first["returned_at"] == datetime.datetime(
        2024, 5, 7, 8, 15, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert first["seen_at"] == datetime.time(7, 45)
    assert first["factors"] == ("1A", "3C")
    assert second["started_at"] == datetime.datetime(2024, 5, 6, 21, 30, tzinfo=datetime.UTC)
    assert second["returned_at"] is None and second["factors"] is None


def test_numbers_urns_and_partial_postcodes(tmp_path):
    police = write(tmp_path, "police.csv", HEADER + ",sessions,school_urn", GOOD + ",12,100001")
    values = check_feed(POLICE, [police]).rows[0].values
    assert values["sessions"] == 12 and values["school_urn"] == "100001"
    episodes = write(
        tmp_path,
        "episodes.csv",
        "CHILD,DECOM,RNE,DEC,HOME_POST,URN",
        "C1,01/04/2019,S,,sf1  2,",
        "C2,01/04/2019,S,,SF10,",
    )
    checked = check_feed(SSDA903, [episodes])
    assert checked.problems == []
    assert [r.values["HOME_POST"] for r in checked.rows] == ["SF1 2", "SF10"]
    assert checked.rows[0].values["DECOM"] == datetime.date(2019, 4, 1)
    assert checked.rows[0].key == ("C1", "2019-04-01")  # a date in a key is written YYYY-MM-DD


# ---- Cells -------------------------------------------------------------------------------------------------------


def test_an_unknown_code_is_an_error_naming_some_accepted_codes(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD, GOOD.replace("INC1", "INC2").replace("VICTIM", "BYSTANDER"))
    checked = check_feed(POLICE, [path], names=["police.csv"])
    message = one_problem(checked, "police.csv:3:role: ")
    assert "'BYSTANDER'" in message and "VICTIM" in message and "SUSPECT" in message
    assert [r.line for r in checked.rows] == [2]


def test_a_code_in_the_wrong_case_is_an_error_with_a_hint(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD.replace("VICTIM", "victim"))
    assert "did you mean 'VICTIM'?" in one_problem(check_feed(POLICE, [path], names=["p.csv"]), "p.csv:2:role: ")


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("2024-13-01", "not a real date"),
        ("2023-02-29", "not a real date"),
        ("2024-05-6", "not a date in the form YYYY-MM-DD"),
        ("06/05/2024", "not a date in the form YYYY-MM-DD"),
        ("2024-05-06T10:00", "not a date in the form YYYY-MM-DD"),
    ],
)
def test_an_impossible_or_misformed_iso_date_is_an_error(tmp_path, cell, why):
    path = write(tmp_path, "police.csv", HEADER, GOOD.replace("2024-05-06", cell))
    assert why in one_problem(check_feed(POLICE, [path], names=["police.csv"]), "police.csv:2:occurred_on: ")


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("31/02/2020", "not a real date"),
        ("01/13/2020", "not a real date"),  # day and month transposed
        ("2020-02-01", "not a date in the form DD/MM/YYYY"),
        ("1/2/2020", "not a date in the form DD/MM/YYYY"),
    ],
)
def test_an_impossible_or_misformed_dfe_date_is_an_error(tmp_path, cell, why):
    path = write(tmp_path, "2019-episodes.csv", "CHILD,DECOM,RNE,DEC,HOME_POST,URN", f"C1,{cell},S,,,")
    prefix = "2019-episodes.csv:2:DECOM: "
    assert why in one_problem(check_feed(SSDA903, [path], names=["2019-episodes.csv"]), prefix)


@pytest.mark.parametrize(
    ("column", "cell", "why"),
    [
        ("arrested", "Yes", "not Y or N"),
        ("postcode", "SF1", "not a UK postcode"),
        ("sessions", "0", "0 is less than 1"),
        ("sessions", "381", "381 is more than 380"),
        ("sessions", "two", "not a whole number"),
        ("sessions", "12.0", "not a whole number"),
        ("sessions", "-1", "not a whole number"),
        ("school_urn", "12345", "not a school URN"),
        ("given_name", "x" * 101, "longer than 100 characters"),
        ("incident_ref", "INC-0000000001", "longer than 12 characters"),
    ],
)
def test_cells_of_each_kind_refuse_what_is_not_of_their_kind(tmp_path, column, cell, why):
    header = HEADER + ",sessions,school_urn"
    cells = dict(zip(header.split(","), (GOOD + ",1,100001").split(","), strict=True))
    cells[column] = cell
    path = write(tmp_path, "police.csv", header, ",".join(cells.values()))
    assert why in one_problem(check_feed(POLICE, [path], names=["police.csv"]), f"police.csv:2:{column}: ")


def test_datetimes_times_and_code_lists_refuse_what_is_not_theirs(tmp_path):
    path = write(
        tmp_path,
        "missing.csv",
        "episode_ref,started_at,returned_at,seen_at,factors",
        "E1,2024-05-06 21:30,,,",
        "E2,2024-02-30T21:30,,,",
        "E3,2024-05-06T21:30,,25:00,",
        'E4,2024-05-06T21:30,,,"1A,9Z"',
    )
    checked = check_feed(MISSING, [path], names=["m.csv"])
    assert [str(p)[: str(p).index(":", 9) + 1] for p in checked.problems] == [
        "m.csv:2:started_at:",
        "m.csv:3:started_at:",
        "m.csv:4:seen_at:",
        "m.csv:5:factors:",
    ]
    assert "not a date and time" in str(checked.problems[0])
    assert "not a real date and time" in str(checked.problems[1])
    assert "not a real time" in str(checked.problems[2])
    assert "'9Z' is not a factors code" in str(checked.problems[3])


def test_a_required_cell_left_blank_is_an_error(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD.replace(",VICTIM,", ",  ,"))
    assert one_problem(check_feed(POLICE, [path], names=["police.csv"]), "police.csv:2:role: ") == "is required"


@pytest.mark.parametrize(("char", "named"), [("\x00", "U+0000 NUL"), ("\t", "U+0009 tab"), ("\x1b", "U+001B escape")])
def test_a_control_character_in_a_cell_is_an_error(tmp_path, char, named):
    path = write(tmp_path, "police.csv", HEADER, GOOD.replace("Amy", f"A{char}my"))
    message = one_problem(check_feed(POLICE, [path], names=["police.csv"]), "police.csv:2:given_name: ")
    assert message == f"contains a control character ({named})"


def test_tabs_and_spaces_around_a_cell_are_trimmed(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD.replace("Amy", "\tAmy ").replace("VICTIM", " VICTIM\t"))
    checked = check_feed(POLICE, [path])
    assert checked.problems == []
    assert checked.rows[0].values["given_name"] == "Amy" and checked.rows[0].values["role"] == "VICTIM"


def test_every_problem_of_a_row_is_reported(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, "INC1,P1,Amy,2012-02-30,X,SF1 2AB,2024-05-06,VICTIM,maybe,19")
    checked = check_feed(POLICE, [path], names=["police.csv"])
    assert [(p.line, p.field) for p in checked.problems] == [
        (2, "date_of_birth"),
        (2, "sex"),
        (2, "arrested"),
        (2, "outcome"),
    ]
    (rejected,) = checked.rejected
    assert rejected.reasons == tuple(checked.problems)
    assert checked.rows == []


# ---- Identifiers: warnings, and the row loads ---------------------------------------------------------------------


def test_a_upn_or_nhs_number_failing_its_check_is_a_warning_and_the_row_loads(tmp_path):
    good_upn = upn()
    bad_upn = ("B" if good_upn[0] == "A" else "A") + good_upn[1:]
    path = write(
        tmp_path,
        "police.csv",
        HEADER + ",upn,nhs_number",
        f"{GOOD},{bad_upn},943 476 5919",
        f"{GOOD.replace('INC1', 'INC2')},{good_upn},9434765918",
        f"{GOOD.replace('INC1', 'INC3')},A12,12345",
    )
    checked = check_feed(POLICE, [path], names=["police.csv"])
    assert checked.errors == [] and checked.rejected == []
    assert [str(p).split(": ")[0] for p in checked.warnings] == [
        "police.csv:2:upn",
        "police.csv:3:nhs_number",
        "police.csv:4:upn",
        "police.csv:4:nhs_number",
    ]
    assert "check letter" in str(checked.warnings[0]) and "check digit" in str(checked.warnings[1])
    assert "13 characters" in str(checked.warnings[2]) and "10 digits" in str(checked.warnings[3])
    first, second, third = checked.rows
    assert first.values["upn"] == bad_upn and first.unusable == {"upn"}
    assert first.values["nhs_number"] == "9434765919"  # spaces people type are taken out
    assert second.values["upn"] == good_upn and second.unusable == {"nhs_number"}
    assert third.values == {**third.values, "upn": "A12", "nhs_number": "12345"}
    assert third.unusable == {"upn", "nhs_number"}


def test_a_dfe_un_code_means_no_upn_without_a_warning(tmp_path):
    path = write(tmp_path, "header.csv", "CHILD,SEX,DOB,UPN", "C1,1,04/03/2012,UN3", f"C2,2,05/03/2012,{upn()}")
    checked = check_feed(SSDA903, [path])
    assert checked.problems == []
    first, second = checked.rows
    assert first.values["UPN"] is None and first.unusable == {"UPN"}
    assert second.values["UPN"] == upn() and second.unusable == frozenset()


# ---- Rows and keys -------------------------------------------------------------------------------------------------


def test_a_row_with_the_wrong_number_of_cells_is_an_error_on_its_line(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD, "INC2,P2,Ben", GOOD.replace("INC1", "INC3") + ",extra")
    checked = check_feed(POLICE, [path], names=["police.csv"])
    assert problems(checked) == [
        "police.csv:3:-: this row has 3 cells but the header has 10",
        "police.csv:4:-: this row has 11 cells but the header has 10",
    ]
    assert [r.line for r in checked.rows] == [2]


def test_a_row_is_numbered_by_the_line_it_starts_on(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD.replace("Amy", '"Amy\nLee"'), GOOD.replace("INC1", "INC2") + ",x")
    checked = check_feed(POLICE, [path], names=["police.csv"])
    # the quoted line break is a control character in a name; the next row starts on line 4
    assert [p.split(": ")[0] for p in problems(checked)] == ["police.csv:2:given_name", "police.csv:4:-"]


def test_a_key_repeated_in_a_file_is_an_error_on_the_later_line_naming_the_first(tmp_path):
    path = write(tmp_path, "police.csv", HEADER, GOOD, GOOD.replace("INC1", "INC2"), GOOD.replace("Amy", "Amelia"))
    checked = check_feed(POLICE, [path], names=["police.csv"])
    message = one_problem(checked, "police.csv:4:-: ")
    assert "incident_ref 'INC1', person_ref 'P1'" in message and "line 2" in message
    assert [r.line for r in checked.rows] == [2, 3]
    assert [r.line for r in checked.rejected] == [4]


def test_a_repeated_key_in_a_dfe_table_compares_dates_as_dates(tmp_path):
    path = write(
        tmp_path, "episodes.csv", "CHILD,DECOM,RNE,DEC,HOME_POST,URN", "C1,01/04/2019,S,,,", "C1,01/04/2019,P,,,"
    )
    assert "line 2" in one_problem(check_feed(SSDA903, [path], names=["e.csv"]), "e.csv:3:-: ")


def test_a_later_file_replaces_an_earlier_files_row_with_the_same_key(tmp_path):
    first = write(tmp_path / "may", "police.csv", HEADER, GOOD, GOOD.replace("INC1", "INC2"))
    second = write(tmp_path / "june", "police.csv", HEADER, GOOD.replace("Amy", "Amelia"), GOOD.replace("INC1", "INC3"))
    checked = check_feed(POLICE, [first, second], names=["may/police.csv", "june/police.csv"])
    assert checked.problems == []
    assert [(r.file, r.key, r.values["given_name"]) for r in checked.rows] == [
        ("may/police.csv", ("INC2", "P1"), "Amy"),
        ("june/police.csv", ("INC1", "P1"), "Amelia"),
        ("june/police.csv", ("INC3", "P1"), "Amy"),
    ]
    assert [f.rows for f in checked.files] == [2, 2]


def test_row_checks_run_on_the_typed_cells(tmp_path):
    path = write(
        tmp_path,
        "missing.csv",
        "episode_ref,started_at,returned_at,seen_at,factors",
        "E1,2024-05-06T21:30,2024-05-06T20:00,,",
        "E2,2024-05-06T21:30,2024-05-07T08:00,,",
    )
    checked = check_feed(MISSING, [path], names=["missing.csv"])
    assert one_problem(checked, "missing.csv:2:returned_at: ") == "is before started_at"
    assert [r.key for r in checked.rows] == [("E2",)]


# ---- Files -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n", b"\xef\xbb\xbf\n"])
def test_an_empty_file_is_an_error(tmp_path, content):
    path = tmp_path / "police.csv"
    path.write_bytes(content)
    checked = check_feed(POLICE, [path], names=["police.csv"])
    assert one_problem(checked, "police.csv:0:-: ") == "the file is empty"
    assert checked.files[0].problems == tuple(checked.problems)


def test_a_header_only_file_is_an_error(tmp_path):
    path = write(tmp_path, "police.csv", HEADER)
    assert "no rows" in one_problem(check_feed(POLICE, [path], names=["police.csv"]), "police.csv:0:-: ")


def test_a_missing_file_is_an_error(tmp_path):
    checked = check_feed(POLICE, [tmp_path / "nowhere.csv"], names=["nowhere.csv"])
    assert one_problem(checked, "nowhere.csv:0:-: ") == "there is no such file"


def test_a_missing_required_column_is_an_error_on_the_header_and_nothing_is_read(tmp_path):
    path = write(tmp_path, "police.csv", HEADER.replace(",role", ""), GOOD.replace(",VICTIM", ""))
    checked = check_feed(POLICE, [path], names=["police.csv"])
    assert "missing" in one_problem(checked, "police.csv:1:role: ")
    assert checked.rows == [] and checked.rejected == []
    assert checked.files[0].table == "incidents" and checked.files[0].problems == tuple(checked.problems)


def test_a_repeated_header_column_is_an_error(tmp_path):
    path = write(tmp_path, "police.csv", HEADER + ",role", GOOD + ",SUSPECT")
    assert "more than once" in one_problem(check_feed(POLICE, [path], names=["police.csv"]), "police.csv:1:role: ")


def test_a_windows_1252_file_is_reported_at_the_line_of_its_first_non_utf8_byte(tmp_path):
    path = write(
        tmp_path, "police.csv", HEADER, GOOD, GOOD.replace("INC1", "INC2").replace("Amy", "Zoë"), encoding="cp1252"
    )
    checked = check_feed(POLICE, [path], names=["police.csv"])
    message = one_problem(checked, "police.csv:3:-: ")
    assert "not UTF-8" in message and "0xEB" in message
    assert checked.rows == []  # nothing loads from a file that cannot be read to its end
    assert checked.files[0].problems == tuple(checked.problems)


def test_a_windows_1252_header_is_reported_on_line_1(tmp_path):
    path = write(tmp_path, "police.csv", HEADER.replace("given_name", "prénom"), GOOD, encoding="cp1252")
    assert "not UTF-8" in one_problem(check_feed(POLICE, [path], names=["police.csv"]), "police.csv:1:-: ")


def test_a_dfe_table_is_recognised_by_its_columns_whatever_the_file_is_called(tmp_path):
    episodes = write(tmp_path, "2019-episodes.csv", "CHILD,DECOM,RNE,DEC,HOME_POST,URN", "C1,01/04/2019,S,,,")
    header = write(tmp_path, "Episodes 2024.CSV", "CHILD,SEX,DOB,UPN", "C1,1,04/03/2012,")
    checked = check_feed(SSDA903, [episodes, header])
    assert checked.problems == []
    assert [f.table for f in checked.files] == ["episodes", "header"]
    assert [r.table for r in checked.rows] == ["episodes", "header"]


def test_a_dfe_header_matching_no_table_is_an_error_naming_the_tables_it_could_be(tmp_path):
    path = write(tmp_path, "2019-episodes.csv", "CHILD,DECOM,REASON,DEC", "C1,01/04/2019,S,")
    checked = check_feed(SSDA903, [path], names=["2019-episodes.csv"])
    message = one_problem(checked, "2019-episodes.csv:1:-: ")
    assert "match no ssda903 table" in message
    assert "episodes (missing RNE, HOME_POST, URN)" in message and "header (missing SEX, DOB, UPN)" in message
    assert checked.files[0].table is None


def test_a_header_sharing_nothing_with_any_table_lists_them_all(tmp_path):
    path = write(tmp_path, "notes.csv", "date,note", "2019-01-01,hello")
    message = one_problem(check_feed(SSDA903, [path], names=["notes.csv"]), "notes.csv:1:-: ")
    assert message.endswith("its tables are header, episodes")


def test_one_bad_file_does_not_stop_the_others_being_checked(tmp_path):
    empty = write(tmp_path, "a.csv")
    bad = write(tmp_path, "b.csv", HEADER, GOOD.replace("VICTIM", "NOBODY"))
    good = write(tmp_path, "c.csv", HEADER, GOOD.replace("INC1", "INC9"))
    checked = check_feed(POLICE, [empty, bad, good], names=["a.csv", "b.csv", "c.csv"])
    assert [p.split(": ")[0] for p in problems(checked)] == ["a.csv:0:-", "b.csv:2:role"]
    assert [r.file for r in checked.rows] == ["c.csv"]


def test_errors_past_the_limit_are_counted_in_a_final_line_and_every_bad_row_is_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(check_module, "MAX_PROBLEMS", 3)
    bad = [GOOD.replace("INC1", f"INC{n}").replace("VICTIM", "NOBODY") for n in range(10)]
    path = write(tmp_path, "police.csv", HEADER, *bad, GOOD.replace("INC1", "OK"))
    other = write(tmp_path, "empty.csv")  # file problems are never cut short
    checked = check_feed(POLICE, [path, other], names=["police.csv", "empty.csv"])
    assert [p.split(": ")[0] for p in problems(checked)] == [
        "police.csv:2:role",
        "police.csv:3:role",
        "police.csv:4:role",
        "empty.csv:0:-",
        "police.csv:0:-",
    ]
    assert problems(checked)[-1] == "police.csv:0:-: and 7 more errors in this file, not listed"
    assert len(checked.rejected) == 10 and [r.key for r in checked.rows] == [("OK", "P1")]


def test_chunks_of_rows_keep_keys_and_lines(tmp_path, monkeypatch):
    monkeypatch.setattr(check_module, "CHUNK", 2)
    rows = [GOOD.replace("INC1", f"INC{n}") for n in range(5)] + [GOOD.replace("Amy", "Again")]
    checked = check_feed(POLICE, [write(tmp_path, "police.csv", HEADER, *rows)], names=["police.csv"])
    assert "line 3" in one_problem(checked, "police.csv:7:-: ")  # INC1 first on line 3
    assert [r.line for r in checked.rows] == [2, 3, 4, 5, 6]


def test_progress_is_reported_by_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(check_module, "CHUNK", 2)
    path = write(tmp_path, "police.csv", HEADER, *[GOOD.replace("INC1", f"INC{n}") for n in range(5)])
    seen: list[tuple[str, int, int]] = []
    check_feed(POLICE, [path], progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen == [("checking", 2, 5), ("checking", 4, 5), ("checking", 5, 5), ("checked", 5, 5)]


def test_check_feed_needs_a_name_for_each_path(tmp_path):
    with pytest.raises(ValueError, match="one name per path"):
        check_feed(POLICE, [tmp_path / "a.csv"], names=[])


# ---- The quarantine ----------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_the_quarantine_holds_exactly_the_bad_rows_with_their_reasons(tmp_path):
    path = write(
        tmp_path / "in",
        "police.csv",
        HEADER,
        GOOD,
        GOOD.replace("INC1", "INC2").replace("VICTIM", "NOBODY").replace("2012-03-04", "2012-02-30"),
        GOOD.replace("INC1", "INC3"),
        'INC4,P4,=HYPERLINK("x"),2012-01-01',
        GOOD,
    )
    checked = check_feed(POLICE, [path], names=["in/police.csv"])
    written = write_quarantine(tmp_path / "out" / "quarantine", checked)
    assert written == [tmp_path / "out" / "quarantine" / "police.rejected.csv"]
    header, *rows = read_csv(written[0])
    assert header == [*HEADER.split(","), "line", "problems"]
    assert [row[-2] for row in rows] == ["3", "5", "6"]
    assert rows[0][:-2] == (
        GOOD.replace("INC1", "INC2").replace("VICTIM", "NOBODY").replace("2012-03-04", "2012-02-30").split(",")
    )
    reasons = rows[0][-1].split(" | ")
    assert [r.split(": ")[0] for r in reasons] == ["in/police.csv:3:date_of_birth", "in/police.csv:3:role"]
    assert rows[1][:4] == ["INC4", "P4", '\'=HYPERLINK("x")', "2012-01-01"]  # safe to open in a spreadsheet
    assert rows[1][-1] == "in/police.csv:5:-: this row has 4 cells but the header has 10"
    assert rows[2][-1].startswith("in/police.csv:6:-: ")
    assert sorted(p.name for p in written[0].parent.iterdir()) == ["police.rejected.csv"]  # no temporary files


def test_file_problems_are_written_beside_the_rejected_rows(tmp_path):
    episodes = write(tmp_path, "2019-episodes.csv", "CHILD,DECOM,REASON", "C1,01/04/2019,S")
    header = write(tmp_path, "header.csv", "CHILD,SEX,DOB,UPN", "C1,3,04/03/2012,", "C2,1,04/03/2012,")
    empty = write(tmp_path, "2020/header.csv")
    checked = check_feed(
        SSDA903, [episodes, header, empty], names=["2019-episodes.csv", "header.csv", "2020/header.csv"]
    )
    out = tmp_path / "quarantine"
    assert write_quarantine(out, checked) == [
        out / "2019-episodes.problems.txt",
        out / "header.rejected.csv",
        out / "header-2.problems.txt",
    ]
    assert (out / "2019-episodes.problems.txt").read_text().startswith("2019-episodes.csv:1:-: the columns match no")
    assert (out / "header-2.problems.txt").read_text() == "2020/header.csv:0:-: the file is empty\n"
    assert [row[0] for row in read_csv(out / "header.rejected.csv")] == ["CHILD", "C1"]


def test_a_load_without_bad_rows_writes_nothing(tmp_path):
    checked = check_feed(POLICE, [write(tmp_path, "police.csv", HEADER, GOOD)])
    assert write_quarantine(tmp_path / "quarantine", checked) == []


def test_a_quarantine_that_cannot_be_written_says_so_in_one_line(tmp_path):
    checked = check_feed(POLICE, [write(tmp_path, "police.csv", HEADER, GOOD.replace("VICTIM", "NOBODY"))])
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(QuarantineFailed) as caught:
        write_quarantine(blocked / "quarantine", checked)
    assert "\n" not in str(caught.value) and str(blocked) in str(caught.value)


# ---- The catalogue's feeds ------------------------------------------------------------------------------------------


def csv_lines(*rows: dict[str, str]) -> list[str]:
    """A header and rows as CSV lines (quoted where need be), the header from the first row's columns."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([list(rows[0]), *(row.values() for row in rows)])
    return out.getvalue().splitlines()


def police_row(**changes: str) -> dict[str, str]:
    row = {
        "incident_ref": "WF/24/000123",
        "person_ref": "N0456",
        "given_name": "Amy",
        "family_name": "Lee",
        "date_of_birth": "2010-09-14",
        "sex": "F",
        "postcode": "SF1 2AB",
        "occurred_on": "2024-05-06",
        "incident_type": "DOMESTIC",
        "role": "PRESENT_DA",
        "offence_group": "VAP",
        "arrested": "N",
        "outcome": "14",
        "da_notification": "Y",
    }
    return {**row, **changes}


def test_the_police_feed_loads_a_good_extract(tmp_path):
    path = write(tmp_path, "police.csv", *csv_lines(police_row(), police_row(person_ref="N0457", sex="M")))
    checked = check_feed(FEEDS["police"], [path], names=["police.csv"])
    assert checked.problems == []
    first = checked.rows[0]
    assert first.table == "police" and first.key == ("WF/24/000123", "N0456")
    assert first.values["occurred_on"] == datetime.date(2024, 5, 6) and first.values["da_notification"] is True


@pytest.mark.parametrize(
    ("changes", "prefix"),
    [
        ({"role": "OFFENDER"}, "police.csv:3:role: "),
        ({"outcome": "19"}, "police.csv:3:outcome: "),  # there is no crime outcome 19
        ({"occurred_on": "2024-02-30"}, "police.csv:3:occurred_on: "),
        ({"arrested": "yes"}, "police.csv:3:arrested: "),
        ({"postcode": "NOT A POSTCODE"}, "police.csv:3:postcode: "),
        ({"person_ref": "N0456"}, "police.csv:3:-: "),  # the first row's key again
    ],
)
def test_the_police_feed_refuses_bad_cells(tmp_path, changes, prefix):
    rows = csv_lines(police_row(), police_row(**{"person_ref": "N0999", **changes}))
    checked = check_feed(FEEDS["police"], [write(tmp_path, "police.csv", *rows)], names=["police.csv"])
    one_problem(checked, prefix)
    assert [r.line for r in checked.rows] == [2]


def test_the_police_feed_needs_its_required_columns(tmp_path):
    row = police_row()
    del row["incident_type"]
    checked = check_feed(FEEDS["police"], [write(tmp_path, "police.csv", *csv_lines(row))], names=["police.csv"])
    one_problem(checked, "police.csv:1:incident_type: ")


EPISODE = {
    "CHILD": "100001",
    "DECOM": "01/04/2019",
    "RNE": "S",
    "LS": "C2",
    "CIN": "N1",
    "PLACE": "U1",
    "PLACE_PROVIDER": "PR1",
    "DEC": "30/09/2019",
    "REC": "E11",
    "REASON_PLACE_CHANGE": "",
    "HOME_POST": "SF1 2",
    "PL_POST": "SF3 9",
    "URN": "SC123456",
}


def test_an_ssda903_episodes_file_is_recognised_whatever_its_name(tmp_path):
    for name in ("2019-episodes.csv", "Episodes 2024.csv"):
        path = write(tmp_path, name, *csv_lines(EPISODE))
        checked = check_feed(FEEDS["ssda903"], [path], names=[name])
        assert checked.problems == [] and checked.files[0].table == "episodes"
        (row,) = checked.rows
        assert row.key == ("100001", "2019-04-01")
        assert row.values["DECOM"] == datetime.date(2019, 4, 1) and row.values["HOME_POST"] == "SF1 2"


def test_ssda903_dates_are_day_month_year_and_must_exist(tmp_path):
    rows = csv_lines(EPISODE, {**EPISODE, "CHILD": "100002", "DECOM": "31/02/2020"})
    checked = check_feed(FEEDS["ssda903"], [write(tmp_path, "2019-episodes.csv", *rows)], names=["2019-episodes.csv"])
    assert "31/02/2020" in one_problem(checked, "2019-episodes.csv:3:DECOM: ")


def test_an_ssda903_episode_ending_before_it_began_is_an_error(tmp_path):
    rows = csv_lines({**EPISODE, "DEC": "31/03/2019"})
    checked = check_feed(FEEDS["ssda903"], [write(tmp_path, "episodes.csv", *rows)], names=["episodes.csv"])
    one_problem(checked, "episodes.csv:2:DEC: ")


def test_a_later_ssda903_return_replaces_the_episodes_it_repeats(tmp_path):
    earlier = write(tmp_path / "2019", "episodes.csv", *csv_lines({**EPISODE, "DEC": "", "REC": ""}))
    later = write(tmp_path / "2020", "episodes.csv", *csv_lines(EPISODE, {**EPISODE, "DECOM": "01/10/2019", "DEC": ""}))
    checked = check_feed(FEEDS["ssda903"], [earlier, later])
    assert checked.problems == []
    assert [(r.key, r.values["REC"]) for r in checked.rows] == [
        (("100001", "2019-04-01"), "E11"),
        (("100001", "2019-10-01"), "E11"),
    ]


def test_an_ssda903_header_file_with_un_codes_and_a_failed_check_letter(tmp_path):
    good = upn()
    bad = ("B" if good[0] == "A" else "A") + good[1:]
    child = {
        "CHILD": "100001",
        "SEX": "1",
        "DOB": "14/09/2010",
        "ETHNIC": "WBRI",
        "UPN": "UN2",
        "MOTHER": "",
        "MC_DOB": "",
    }
    rows = csv_lines(child, {**child, "CHILD": "100002", "UPN": bad}, {**child, "CHILD": "100003", "UPN": good})
    checked = check_feed(FEEDS["ssda903"], [write(tmp_path, "header.csv", *rows)], names=["header.csv"])
    assert checked.errors == []
    assert [str(w).split(": ")[0] for w in checked.warnings] == ["header.csv:3:UPN"]
    assert [(r.values["UPN"], r.unusable) for r in checked.rows] == [
        (None, {"UPN"}),
        (bad, {"UPN"}),
        (good, frozenset()),
    ]


def test_an_ssda903_file_whose_columns_match_no_table_names_the_tables_it_could_be(tmp_path):
    header = {"CHILD": "100101", "DOB": "14/03/2009", "PLACEMENT_TYPE": "U6", "START": "01/04/2024"}
    checked = check_feed(FEEDS["ssda903"], [write(tmp_path, "placements.csv", *csv_lines(header))])
    message = one_problem(checked, f"{tmp_path / 'placements.csv'}:1:-: ")
    assert message.startswith("the columns match no ssda903 table; it could be ")
    assert "reviews (missing REVIEW, REVIEW_CODE)" in message and "uasc (missing SEX, DUC)" in message
    assert checked.rows == [] and checked.files[0].table is None


def test_an_ssda903_file_lacking_some_of_its_tables_columns_is_told_which(tmp_path):
    episode = {k: v for k, v in EPISODE.items() if k not in ("RNE", "PL_POST")}
    checked = check_feed(FEEDS["ssda903"], [write(tmp_path, "2019-episodes.csv", *csv_lines(episode))], names=["e.csv"])
    assert problems(checked) == [
        "e.csv:1:RNE: this column is missing (the episodes table needs it, and the file has its other columns)",
        "e.csv:1:PL_POST: this column is missing (the episodes table needs it, and the file has its other columns)",
    ]
    assert checked.rows == [] and checked.files[0].problems == tuple(checked.problems)


def test_cin_census_tables_load_with_their_code_lists(tmp_path):
    referral = {
        "LAchildID": "DB-0042",
        "CINreferralDate": "03/05/2023",
        "ReferralSource": "1A",
        "PrimaryNeedCode": "N1",
        "CINclosureDate": "",
        "ReasonForClosure": "",
        "ReferralNFA": "0",
    }
    assessment = {
        "LAchildID": "DB-0042",
        "CINreferralDate": "03/05/2023",
        "AssessmentActualStartDate": "04/05/2023",
        "AssessmentInternalReviewDate": "",
        "AssessmentAuthorisationDate": "20/05/2023",
        "AssessmentFactors": "2A, 3B,4C",
    }
    referrals = write(tmp_path, "referrals.csv", *csv_lines(referral))
    assessments = write(
        tmp_path,
        "assessments.csv",
        *csv_lines(assessment, {**assessment, "AssessmentActualStartDate": "05/05/2023", "AssessmentFactors": "2A,99"}),
    )
    checked = check_feed(FEEDS["cin"], [referrals, assessments], names=["referrals.csv", "assessments.csv"])
    assert "'99'" in one_problem(checked, "assessments.csv:3:AssessmentFactors: ")
    assert [(r.table, r.key) for r in checked.rows] == [
        ("referrals", ("DB-0042", "2023-05-03")),
        ("assessments", ("DB-0042", "2023-05-04")),
    ]
    assert checked.rows[1].values["AssessmentFactors"] == ("2A", "3B", "4C")


def test_a_health_extract_warns_of_an_nhs_number_failing_its_check_and_loads_it(tmp_path):
    row = {
        "attendance_ref": "AE1",
        "person_ref": "RX1",
        "nhs_number": "9434765918",
        "arrived_at": "2024-05-06T23:10:00",
        "diagnosis_group": "POISONING",
        "self_harm": "Y",
    }
    checked = check_feed(FEEDS["health"], [write(tmp_path, "health.csv", *csv_lines(row))], names=["health.csv"])
    assert checked.errors == [] and [str(w).split(": ")[0] for w in checked.warnings] == ["health.csv:2:nhs_number"]
    assert checked.rows[0].unusable == {"nhs_number"} and checked.rows[0].values["nhs_number"] == "9434765918"


def test_a_suspension_needs_its_sessions(tmp_path):
    row = {
        "upn": upn(),
        "school_urn": "100001",
        "category": "SUSP",
        "start_date": "2024-01-15",
        "sessions": "",
        "reason": "PP",
    }
    path = write(tmp_path, "suspensions.csv", *csv_lines(row, {**row, "category": "PERM"}))
    checked = check_feed(FEEDS["suspensions"], [path], names=["suspensions.csv"])
    one_problem(checked, "suspensions.csv:2:sessions: ")
    assert [r.values["category"] for r in checked.rows] == ["PERM"]


def test_a_quarantine_file_that_cannot_be_replaced_leaves_no_temporary_file(tmp_path):
    checked = check_feed(FEEDS["police"], [write(tmp_path, "police.csv", *csv_lines(police_row(role="NOBODY")))])
    out = tmp_path / "quarantine"
    (out / "police.rejected.csv").mkdir(parents=True)  # a folder where the file should go
    with pytest.raises(QuarantineFailed, match=r"^cannot write .*police\.rejected\.csv: "):
        write_quarantine(out, checked)
    assert [p.name for p in out.iterdir()] == ["police.rejected.csv"]


def test_a_new_quarantine_replaces_the_last_one(tmp_path):
    out = tmp_path / "quarantine"
    first = check_feed(FEEDS["police"], [write(tmp_path, "police.csv", *csv_lines(police_row(role="NOBODY")))])
    write_quarantine(out, first)
    second = check_feed(FEEDS["police"], [write(tmp_path, "police.csv", *csv_lines(police_row(sex="X")))])
    (path,) = write_quarantine(out, second)
    assert [row[-1].split(": ")[0] for row in read_csv(path)[1:]] == [f"{tmp_path / 'police.csv'}:2:sex"]


@pytest.mark.parametrize(
    ("kind", "header", "row"),
    [
        ("ssda903", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB", "C{},1,04/03/2012,WBRI,UN1,,"),
        ("cin", "LAchildID,CINreferralDate,CINPlanStartDate,CINPlanEndDate", "C{},01/04/2024,02/04/2024,"),
    ],
)
def test_a_windows_1252_dfe_return_is_reported_at_the_line_of_its_first_non_utf8_byte(tmp_path, kind, header, row):
    # A council's export saved by a spreadsheet as Windows-1252: the child's id with an accented letter on line 3.
    path = write(tmp_path, "return.csv", header, row.format("1"), row.format("é2"), encoding="cp1252")
    checked = check_feed(FEEDS[kind], [path], names=["return.csv"])
    assert [str(p)[: len("return.csv:3:-: ")] for p in checked.errors] == ["return.csv:3:-: "]
    assert "not UTF-8" in str(checked.errors[0]) and checked.rows == []
