"""The feed catalogue says what docs/feeds-format (the contract) says: every feed, table, column, key, person and
event; every coded column has its codes; SSDA903 and CIN tables are told by their columns; docs/feeds/ is what the
catalogue generates. Plain Python: no database."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from continuum.signals.feeds import codes
from continuum.signals.feeds.catalogue import FEED_KINDS, FEEDS
from continuum.signals.feeds.docs import pages, write
from continuum.signals.feeds.spec import FeedTable

DOCS = Path(__file__).resolve().parents[2] / "docs" / "feeds"

# The contract's columns and keys, table by table (docs: /work/wt/brief/feeds-format.md, issue 13).
PERSON = ["given_name", "family_name", "date_of_birth", "sex", "postcode"]
CONTRACT: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "attendance": {
        "attendance": (
            ["upn", "given_name", "family_name", "date_of_birth", "school_urn", "date", "session", "code"],
            ["school_urn", "upn", "date", "session"],
        )
    },
    "suspensions": {
        "suspensions": (
            ["upn", "given_name", "family_name", "date_of_birth", "sex", "school_urn", "category", "start_date"]
            + ["sessions", "reason", "reason_2", "reason_3"],
            ["school_urn", "upn", "start_date", "category"],
        )
    },
    "police": {
        "police": (
            ["incident_ref", "person_ref", *PERSON, "occurred_on", "incident_type", "role", "offence_group"]
            + ["arrested", "outcome", "da_notification"],
            ["incident_ref", "person_ref"],
        )
    },
    "missing": {
        "missing": (
            ["episode_ref", "person_ref", *PERSON, "missing_from", "started_at", "returned_at", "risk"]
            + ["return_interview", "return_interview_on"],
            ["episode_ref"],
        )
    },
    "health": {
        "health": (
            ["attendance_ref", "person_ref", "nhs_number", *PERSON, "site", "arrived_at", "arrival_mode"]
            + ["diagnosis_group", "self_harm"],
            ["attendance_ref"],
        )
    },
    "youth_justice": {
        "youth_justice": (
            ["outcome_ref", "person_ref", *PERSON, "outcome_date", "outcome", "offence_group", "end_date"],
            ["outcome_ref"],
        )
    },
    "ssda903": {
        "header": (["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"], ["CHILD"]),
        "episodes": (
            ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE"]
            + ["HOME_POST", "PL_POST", "URN"],
            ["CHILD", "DECOM"],
        ),
        "reviews": (["CHILD", "DOB", "REVIEW", "REVIEW_CODE"], ["CHILD", "REVIEW"]),
        "uasc": (["CHILD", "SEX", "DOB", "DUC"], ["CHILD"]),
        "missing": (["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"], ["CHILD", "MIS_START"]),
        "oc2": (
            ["CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK"]
            + ["HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
            ["CHILD"],
        ),
        "oc3": (["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"], ["CHILD"]),
    },
    "cin": {
        "child": (
            ["LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate"]
            + ["GenderCurrent", "PersonDeathDate", "Ethnicity", "Disabilities"],
            ["LAchildID"],
        ),
        "referrals": (
            ["LAchildID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate"]
            + ["ReasonForClosure", "ReferralNFA"],
            ["LAchildID", "CINreferralDate"],
        ),
        "assessments": (
            ["LAchildID", "CINreferralDate", "AssessmentActualStartDate", "AssessmentInternalReviewDate"]
            + ["AssessmentAuthorisationDate", "AssessmentFactors"],
            ["LAchildID", "AssessmentActualStartDate"],
        ),
        "section47": (
            ["LAchildID", "CINreferralDate", "S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC"]
            + ["ICPCnotRequired"],
            ["LAchildID", "S47ActualStartDate"],
        ),
        "cp_plans": (
            ["LAchildID", "CINreferralDate", "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse"]
            + ["LatestCategoryOfAbuse", "NumberOfPreviousCPP"],
            ["LAchildID", "CPPstartDate"],
        ),
        "cin_plans": (
            ["LAchildID", "CINreferralDate", "CINPlanStartDate", "CINPlanEndDate"],
            ["LAchildID", "CINPlanStartDate"],
        ),
    },
}

# The events the contract names: (feed, table) -> (kind, label, occurred, ended).
EVENTS = {
    ("suspensions", "suspensions"): ("suspension", "Suspension or exclusion", "start_date", None),
    ("police", "police"): ("police_incident", "Police incident", "occurred_on", None),
    ("missing", "missing"): ("missing_episode", "Missing episode", "started_at", "returned_at"),
    ("health", "health"): ("ae_attendance", "A&E attendance", "arrived_at", None),
    ("youth_justice", "youth_justice"): ("youth_justice_outcome", "Youth justice outcome", "outcome_date", "end_date"),
    ("ssda903", "episodes"): ("care_episode", "Period of care", "DECOM", "DEC"),
    ("ssda903", "reviews"): ("care_review", "Looked-after review", "REVIEW", None),
    ("ssda903", "missing"): ("care_missing", "Missing or away from placement", "MIS_START", "MIS_END"),
    ("cin", "referrals"): ("cin_referral", "Referral to children's social care", "CINreferralDate", "CINclosureDate"),
    ("cin", "assessments"): ("cin_assessment", "Social care assessment", "AssessmentActualStartDate", None),
    ("cin", "section47"): ("section47", "Section 47 enquiry", "S47ActualStartDate", None),
    ("cin", "cp_plans"): ("cp_plan", "Child protection plan", "CPPstartDate", "CPPendDate"),
    ("cin", "cin_plans"): ("cin_plan", "Child in need plan", "CINPlanStartDate", "CINPlanEndDate"),
}


def all_tables() -> list[tuple[str, FeedTable]]:
    return [(feed.kind, table) for feed in FEEDS.values() for table in feed.tables]


def test_the_catalogue_has_exactly_the_contracts_feeds_in_order() -> None:
    assert list(FEEDS) == list(CONTRACT)
    assert tuple(CONTRACT) == FEED_KINDS
    for kind, feed in FEEDS.items():
        assert feed.kind == kind
        assert feed.title and feed.description and feed.standard


@pytest.mark.parametrize(("kind", "table_name"), [(k, t) for k, tables in CONTRACT.items() for t in tables])
def test_every_table_has_the_contracts_columns_and_key(kind: str, table_name: str) -> None:
    columns, key = CONTRACT[kind][table_name]
    table = FEEDS[kind].table(table_name)
    assert [c.name for c in table.columns] == columns
    assert list(table.key) == key


def test_tables_are_the_contracts_tables() -> None:
    for kind, feed in FEEDS.items():
        assert [t.name for t in feed.tables] == list(CONTRACT[kind])


@pytest.mark.parametrize(("kind", "table"), all_tables(), ids=lambda v: v if isinstance(v, str) else v.name)
def test_keys_person_and_event_name_columns_of_their_table(kind: str, table: FeedTable) -> None:
    names = {c.name for c in table.columns}
    assert len(names) == len(table.columns), "a column is listed twice"
    assert set(table.key) <= names
    assert all(table.column(k).required for k in table.key), "every key column must be required"
    person = table.person
    for field in (
        person.ref,
        person.given_name,
        person.family_name,
        person.date_of_birth,
        person.sex,
        person.postcode,
        person.upn,
        person.nhs_number,
        person.school_urn,
        person.ethnicity,
    ):
        assert field is None or field in names
    if person.sex:
        assert set(person.sex_codes) == set(table.column(person.sex).codes or {})
        assert set(person.sex_codes.values()) <= {"M", "F", "U"}
    if table.event:
        assert table.event.occurred in names
        assert table.event.ended is None or table.event.ended in names


def test_events_are_the_contracts() -> None:
    found = {
        (kind, table.name): (table.event.kind, table.event.label, table.event.occurred, table.event.ended)
        for kind, table in all_tables()
        if table.event
    }
    assert found == EVENTS


def test_people_are_who_the_contract_says() -> None:
    assert FEEDS["attendance"].tables[0].person.ref == "upn"
    assert FEEDS["attendance"].tables[0].person.school_urn == "school_urn"
    assert FEEDS["health"].tables[0].person.nhs_number == "nhs_number"
    header = FEEDS["ssda903"].table("header").person
    assert (header.ref, header.date_of_birth, header.upn, header.ethnicity) == ("CHILD", "DOB", "UPN", "ETHNIC")
    assert header.sex_codes["1"] == "M" and header.sex_codes["2"] == "F"
    child = FEEDS["cin"].table("child").person
    assert (child.ref, child.upn, child.date_of_birth, child.ethnicity) == (
        "LAchildID",
        "UPN",
        "PersonBirthDate",
        "Ethnicity",
    )
    assert dict(child.sex_codes) == {"1": "M", "2": "F", "0": "U", "9": "U"}


def test_dfe_returns_use_day_month_year_dates_and_the_rest_iso() -> None:
    for kind, table in all_tables():
        assert table.dates == ("dmy" if kind in ("ssda903", "cin") else "iso"), (kind, table.name)


@pytest.mark.parametrize(("kind", "table"), all_tables(), ids=lambda v: v if isinstance(v, str) else v.name)
def test_every_coded_column_has_codes_with_meanings(kind: str, table: FeedTable) -> None:
    for column in table.columns:
        if column.kind in ("code", "codes"):
            assert column.codes, f"{kind}.{table.name}.{column.name} has no codes"
            for code, meaning in column.codes.items():
                assert code == code.strip() and code, (column.name, code)
                assert meaning.strip(), (column.name, code)
        elif column.kind != "upn":
            assert column.codes is None, f"{column.name} is not coded but carries codes"
        assert column.description.strip()


def test_contract_codes_are_accepted() -> None:
    police = FEEDS["police"].tables[0]
    assert set(police.column("incident_type").codes or {}) == {"CRIME", "ASB", "DOMESTIC", "CONCERN"}
    assert set(police.column("role").codes or {}) == {"VICTIM", "SUSPECT", "WITNESS", "PRESENT_DA", "SUBJECT"}
    assert set(police.column("offence_group").codes or {}) == {
        "VAP",
        "SEX",
        "ROB",
        "THF",
        "CDA",
        "DRG",
        "WPN",
        "POR",
        "MIS",
    }
    assert set(police.column("outcome").codes or {}) == {str(n) for n in range(1, 23)} - {"19"}
    youth = FEEDS["youth_justice"].tables[0]
    assert set(youth.column("outcome").codes or {}) == {
        "CR",
        "O22",
        "YC",
        "YCC",
        "CAU",
        "CC",
        "AD",
        "CD",
        "FINE",
        "RO",
        "YRO",
        "YRO_ISS",
        "DTO",
        "S250",
    }
    assert youth.column("offence_group").codes is police.column("offence_group").codes
    suspensions = FEEDS["suspensions"].tables[0]
    assert {"SUSP", "PERM", "LUNC"} <= set(suspensions.column("category").codes or {})
    health = FEEDS["health"].tables[0]
    assert set(health.column("diagnosis_group").codes or {}) == {
        "INJURY",
        "ASSAULT",
        "POISONING",
        "ALCOHOL",
        "DRUGS",
        "MENTAL_HEALTH",
        "RESPIRATORY",
        "GASTRO",
        "INFECTION",
        "OTHER",
        "NO_ABNORMALITY",
    }
    missing = FEEDS["missing"].tables[0]
    assert set(missing.column("risk").codes or {}) == {"HIGH", "MEDIUM", "LOW", "NO_APPARENT_RISK"}
    assert set(missing.column("return_interview").codes or {}) == {"ACCEPTED", "DECLINED", "NOT_OFFERED", "PENDING"}
    cin = FEEDS["cin"]
    assert set(cin.table("referrals").column("PrimaryNeedCode").codes or {}) == {f"N{n}" for n in range(10)}
    assert set(cin.table("referrals").column("ReasonForClosure").codes or {}) == {f"RC{n}" for n in range(1, 10)}
    assert set(cin.table("cp_plans").column("InitialCategoryOfAbuse").codes or {}) == {
        "NEG",
        "PHY",
        "SAB",
        "EMO",
        "MUL",
    }
    assert set(cin.table("child").column("GenderCurrent").codes or {}) == {"0", "1", "2", "9"}
    header = FEEDS["ssda903"].table("header")
    assert {f"UN{n}" for n in range(1, 11)} == set(header.column("UPN").codes or {})
    assert {"M", "A"} == set(FEEDS["ssda903"].table("missing").column("MISSING").codes or {})


def test_attendance_codes_each_have_a_category() -> None:
    assert set(codes.ATTENDANCE) == set(codes.ATTENDANCE_CATEGORY)
    assert set(codes.ATTENDANCE_CATEGORY.values()) == {"present", "authorised", "unauthorised", "not_counted"}
    assert set(codes.ATTENDANCE_CATEGORIES) == {"present", "authorised", "unauthorised", "not_counted"}
    present = {c for c, category in codes.ATTENDANCE_CATEGORY.items() if category == "present"}
    assert present == {"/", "\\", "L", "K", "V", "P", "W", "B"}, "approved educational activity counts as present"
    not_counted = {c for c, category in codes.ATTENDANCE_CATEGORY.items() if category == "not_counted"}
    assert not_counted == {"D", "X", "Z", "#"} | {f"Y{n}" for n in range(1, 8)}
    assert {"H", "J", "Y", "F"}.isdisjoint(codes.ATTENDANCE), "codes withdrawn before August 2024"
    assert FEEDS["attendance"].tables[0].column("code").codes is codes.ATTENDANCE


def test_ssda903_ethnicity_is_continuums_vocabulary() -> None:
    from continuum import vocabulary

    assert dict(vocabulary.ETHNICITY) == codes.ETHNICITY
    assert FEEDS["ssda903"].table("header").column("ETHNIC").codes == codes.ETHNICITY
    assert FEEDS["cin"].table("child").column("Ethnicity").codes == codes.ETHNICITY


# --- row checks -----------------------------------------------------------------------------------------------------


def check_results(table: FeedTable, values: dict[str, object]) -> list[tuple[str, str]]:
    return [result for check in table.checks if (result := check(values)) is not None]


@pytest.mark.parametrize(
    ("kind", "table_name", "start", "end"),
    [
        ("missing", "missing", "started_at", "returned_at"),
        ("youth_justice", "youth_justice", "outcome_date", "end_date"),
        ("ssda903", "episodes", "DECOM", "DEC"),
        ("ssda903", "missing", "MIS_START", "MIS_END"),
        ("cin", "referrals", "CINreferralDate", "CINclosureDate"),
        ("cin", "assessments", "AssessmentActualStartDate", "AssessmentAuthorisationDate"),
        ("cin", "cp_plans", "CPPstartDate", "CPPendDate"),
        ("cin", "cin_plans", "CINPlanStartDate", "CINPlanEndDate"),
    ],
)
def test_an_end_before_its_start_is_named_on_the_end(kind: str, table_name: str, start: str, end: str) -> None:
    table = FEEDS[kind].table(table_name)
    day = datetime.date(2024, 5, 10)
    if table.column(start).kind == "datetime":
        begun: object = datetime.datetime(2024, 5, 10, 18, 30)
        before: object = datetime.datetime(2024, 5, 10, 18, 29)
        same: object = begun
    else:
        begun, before, same = day, day - datetime.timedelta(days=1), day
    assert check_results(table, {start: begun, end: None}) == []
    assert check_results(table, {start: begun, end: same}) == []
    problems = check_results(table, {start: begun, end: before})
    assert len(problems) == 1 and problems[0][0] == end


def test_a_return_time_with_an_offset_compares_with_one_without() -> None:
    table = FEEDS["missing"].tables[0]
    went = datetime.datetime(2024, 5, 10, 18, 30)
    back = datetime.datetime(2024, 5, 10, 19, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    assert check_results(table, {"started_at": went, "returned_at": back}) == []
    assert check_results(table, {"started_at": back, "returned_at": went}) != []


def test_sessions_are_required_for_suspensions_but_not_permanent_exclusions() -> None:
    table = FEEDS["suspensions"].tables[0]
    for category in ("SUSP", "LUNC"):
        assert check_results(table, {"category": category, "sessions": None}) == [
            ("sessions", "is required for a suspension or lunchtime suspension (the number of sessions missed)")
        ]
        assert check_results(table, {"category": category, "sessions": 4}) == []
    assert check_results(table, {"category": "PERM", "sessions": None}) == []
    sessions = table.column("sessions")
    assert (sessions.kind, sessions.minimum, sessions.maximum, sessions.required) == ("integer", 1, 380, False)


# --- recognising SSDA903 and CIN tables -----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "table_name"), [(k, t) for k in ("ssda903", "cin") for t in CONTRACT[k]])
def test_each_dfe_table_is_recognised_by_its_own_columns(kind: str, table_name: str) -> None:
    columns, _ = CONTRACT[kind][table_name]
    feed = FEEDS[kind]
    assert feed.recognise(columns) is feed.table(table_name)
    assert feed.recognise(list(reversed(columns))) is feed.table(table_name), "column order does not matter"
    assert feed.recognise([*columns, "LA_NOTES", "YEAR"]) is feed.table(table_name), "extra columns are fine"
    assert feed.recognise(columns[:-1]) is None, "every column the contract names must be there"


def test_a_903_episodes_export_is_recognised_whatever_the_file_is_called(tmp_path: Path) -> None:
    # The name says nothing: only the header is read. A header as a council's system writes it (a byte order mark,
    # spaces after commas) still names the columns.
    header = "\ufeff" + ", ".join(CONTRACT["ssda903"]["episodes"][0])
    for name in ("2019-episodes.csv", "Episodes 2024.csv", "header.csv", "export(3).csv"):
        path = tmp_path / name
        path.write_text(header + "\n", encoding="utf-8")
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert FEEDS["ssda903"].recognise(first_line.split(",")) is FEEDS["ssda903"].table("episodes")


def test_a_header_that_matches_no_table_is_not_recognised() -> None:
    assert FEEDS["ssda903"].recognise(["CHILD", "DOB", "SHOE_SIZE"]) is None
    assert FEEDS["ssda903"].recognise([]) is None
    assert FEEDS["cin"].recognise(["LAchildID", "CINreferralDate"]) is None
    # A 903 header lacking one column (UPN) is no table: recognition needs every column the contract names.
    assert FEEDS["ssda903"].recognise(["CHILD", "SEX", "DOB", "ETHNIC", "MOTHER", "MC_DOB"]) is None
    # Names are the DfE's own, capitals and all.
    assert FEEDS["ssda903"].recognise(["child", "dob", "review", "review_code"]) is None
    # A CIN table is not an SSDA903 table.
    assert FEEDS["ssda903"].recognise(CONTRACT["cin"]["cp_plans"][0]) is None


def test_a_file_holding_two_tables_columns_equally_is_not_guessed() -> None:
    reviews, _ = CONTRACT["ssda903"]["reviews"]
    uasc, _ = CONTRACT["ssda903"]["uasc"]
    assert len(reviews) == len(uasc)
    assert FEEDS["ssda903"].recognise(sorted(set(reviews) | set(uasc))) is None


def test_the_fuller_table_wins_when_one_tables_columns_contain_anothers() -> None:
    header, _ = CONTRACT["ssda903"]["header"]
    uasc, _ = CONTRACT["ssda903"]["uasc"]
    # header plus DUC holds uasc's columns and header's; header has more, so it explains the file better.
    assert FEEDS["ssda903"].recognise([*header, "DUC"]) is FEEDS["ssda903"].table("header")


@pytest.mark.parametrize("kind", ["ssda903", "cin"])
def test_no_dfe_tables_columns_are_contained_in_anothers(kind: str) -> None:
    # So a file exported as one table is recognised as that table and no other: ties need a mixed file.
    tables = FEEDS[kind].tables
    for table in tables:
        for other in tables:
            if table is not other:
                assert not {c.name for c in table.columns} <= {c.name for c in other.columns}, (table.name, other.name)


def test_a_single_table_feed_recognises_its_table_from_any_header() -> None:
    for kind in ("attendance", "suspensions", "police", "missing", "health", "youth_justice"):
        feed = FEEDS[kind]
        assert feed.recognise(["anything"]) is feed.tables[0]


# --- docs/feeds -----------------------------------------------------------------------------------------------------


def test_the_committed_feed_pages_are_what_the_catalogue_generates() -> None:
    expected = pages()
    committed = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    assert set(committed) == set(expected), "run `python -m continuum.signals.feeds.docs` and commit docs/feeds/"
    for name, text in expected.items():
        assert committed[name] == text, (
            f"docs/feeds/{name} is out of date: run `python -m continuum.signals.feeds.docs`"
        )


def test_every_page_lists_every_column_and_every_code() -> None:
    generated = pages()
    assert set(generated) == {"index.md"} | {f"{kind}.md" for kind in FEEDS}
    for kind, feed in FEEDS.items():
        page = generated[f"{kind}.md"]
        for table in feed.tables:
            for column in table.columns:
                assert f"| `{column.name}` |" in page, (kind, column.name)
                for code in column.codes or {}:
                    assert f"| `{code}` |" in page, (kind, column.name, code)
    index = generated["index.md"]
    assert "continuum feeds load KIND FILE... [--format json] [--quarantine DIR]" in index
    for kind in FEEDS:
        assert f"[{kind}.md]({kind}.md)" in index


def test_writing_the_pages_writes_each_file(tmp_path: Path) -> None:
    written = write(tmp_path / "feeds")
    assert sorted(p.name for p in written) == sorted(pages())
    assert (tmp_path / "feeds" / "index.md").read_text(encoding="utf-8") == pages()["index.md"]
