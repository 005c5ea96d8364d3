"""Indicator definitions on hand-built timelines: the DfE's persistent and severe absence at their boundaries, possible
sessions, window edges, counts of events by kind and by their values, and trends. Plain Python: no database."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from continuum.signals.feeds.codes import ATTENDANCE_CATEGORY
from continuum.signals.indicators import OUTPUT_SCHEMA, Definitions, compute, load_definitions
from continuum.signals.indicators.definitions import PACKAGED

AS_OF = datetime.date(2025, 3, 14)  # a Friday in the spring term of the 2024 school year
DAY = datetime.timedelta(days=1)
MARK_COLUMNS = ["school_urn", "academic_year", "upn", "date", "session", "code", "category"]


def days_before(n: int, as_of: datetime.date = AS_OF) -> datetime.date:
    return as_of - n * DAY


def marks(rows: Iterable[tuple[str, datetime.date, str, str] | tuple[str, datetime.date, str, str, str]]) -> pa.Table:
    """Marks as read_marks gives them: (upn, date, session, code[, school_urn])."""
    found = []
    for row in rows:
        upn, day, session, code, *urn = row
        year = day.year - (day.month < 8)
        found.append((urn[0] if urn else "100001", year, upn, day, session, code, ATTENDANCE_CATEGORY[code]))
    columns = list(zip(*found, strict=True)) if found else [[] for _ in MARK_COLUMNS]
    return pa.table(
        {
            "school_urn": pa.array(columns[0], pa.string()),
            "academic_year": pa.array(columns[1], pa.int32()),
            "upn": pa.array(columns[2], pa.string()),
            "date": pa.array(columns[3], pa.date32()),
            "session": pa.array(columns[4], pa.string()),
            "code": pa.array(columns[5], pa.string()),
            "category": pa.array(columns[6], pa.string()),
        }
    )


def sessions(upn: str, codes: Sequence[str], *, last: datetime.date = AS_OF, urn: str = "100001") -> list[tuple]:
    """`codes` as consecutive sessions ending on `last` (PM), two a day, every day (weekends too: it is arithmetic)."""
    found = []
    for n, code in enumerate(reversed(codes)):
        found.append((upn, last - (n // 2) * DAY, "PM" if n % 2 == 0 else "AM", code, urn))
    return found


def event(person: str, kind: str, day: datetime.date, **values: object) -> dict:
    return {"person_id": person, "kind": kind, "occurred_on": day, "detail": json.dumps({"values": values})}


EVENT_FIELDS = {
    "event_id": pa.string(),
    "person_id": pa.string(),
    "source_person_id": pa.string(),
    "feed": pa.string(),
    "table": pa.string(),
    "kind": pa.string(),
    "occurred_on": pa.date32(),
    "ended_on": pa.date32(),
    "detail": pa.string(),
    "match_probability": pa.float64(),
}


def events(rows: Sequence[dict]) -> pa.Table:
    columns = {
        name: [r.get(name, f"{name}-{n}" if kind == pa.string() else None) for n, r in enumerate(rows)]
        for name, kind in EVENT_FIELDS.items()
    }
    return pa.table({name: pa.array(columns[name], kind) for name, kind in EVENT_FIELDS.items()})


def run(
    marked: pa.Table | None = None,
    happened: Sequence[dict] = (),
    *,
    pupils: dict[str, str] | None = None,
    as_of: datetime.date = AS_OF,
    definitions: Definitions | None = None,
) -> dict[tuple[str, str, str], dict]:
    """Every indicator, keyed (person, indicator, window); pupils: upn -> person (by default each UPN is its person)."""
    marked = marks([]) if marked is None else marked
    if pupils is None:
        pupils = {u: u for u in set(marked["upn"].to_pylist())}
    con = duckdb.connect()
    con.register("hand_marks", marked)
    table = compute(
        con=con,
        marks_sql="SELECT * FROM hand_marks",
        events=events(happened),
        pupils=pa.table({"upn": list(pupils), "person_id": list(pupils.values())}),
        as_of=as_of,
        definitions=definitions or load_definitions(),
    )
    assert table.schema == OUTPUT_SCHEMA
    return {(r["person_id"], r["indicator"], r["window"]): r for r in table.to_pylist()}


# --- persistent and severe absence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("absent", "possible", "persistent", "severe"),
    [
        (100, 1001, False, False),  # 9.99%
        (100, 1000, True, False),  # exactly 10%
        (499, 1000, True, False),  # 49.9%
        (500, 1000, True, True),  # exactly 50%
        (0, 10, False, False),
        (10, 10, True, True),
    ],
)
def test_persistent_and_severe_absence_at_their_boundaries(absent, possible, persistent, severe):
    # Two schools' registers (dual registration) so that a thousand sessions fit in the last 12 months.
    codes = ["I"] * absent + ["/"] * (possible - absent)
    half = len(codes) // 2
    found = run(marks(sessions("P1", codes[:half]) + sessions("P1", codes[half:], urn="100002")))
    for window in ("last_12_months",):
        row = found["P1", "persistent_absence", window]
        assert (row["numerator"], row["denominator"]) == (absent, possible)
        assert row["met"] is persistent
        assert found["P1", "severe_absence", window]["met"] is severe
        assert row["value"] == pytest.approx(100 * absent / possible)


def test_possible_sessions_leave_out_the_codes_the_dfe_does_not_count():
    # 18 present, 2 absent (one authorised, one not), and 10 sessions not counted at all.
    codes = ["/"] * 9 + ["L"] * 4 + ["K", "V", "P", "W", "B"] + ["I", "O"] + ["D", "X", "Y1", "Y7", "Z", "#"] * 1
    codes += ["Y2", "Y3", "Y4", "Y5"]
    found = run(marks(sessions("P1", codes)))
    assert found["P1", "attendance_rate", "last_90_days"]["denominator"] == 20
    assert found["P1", "attendance_rate", "last_90_days"]["value"] == pytest.approx(90.0)
    assert found["P1", "absence_rate", "last_90_days"]["numerator"] == 2
    assert found["P1", "unauthorised_absence_rate", "last_90_days"]["numerator"] == 1
    assert found["P1", "persistent_absence", "last_90_days"]["met"] is True  # 2 of 20 is exactly 10%
    assert found["P1", "unexplained_absences", "last_90_days"]["numerator"] == 1  # O; N would count too


def test_a_child_with_no_possible_sessions_has_no_rate():
    found = run(marks(sessions("P1", ["D", "Y1", "#", "#"])))
    assert not [key for key in found if key[0] == "P1"]


# --- windows ----------------------------------------------------------------------------------------------------


def test_the_last_90_days_take_day_90_and_not_day_91():
    found = run(marks([("P1", days_before(89), "AM", "N"), ("P1", days_before(90), "AM", "N")]))
    row = found["P1", "unexplained_absences", "last_90_days"]
    assert row["numerator"] == 1
    # The mark on day 91 is the newest day of the period before.
    assert json.loads(row["trend"])[-1] == [days_before(179).isoformat(), 1]


def test_the_last_12_months_start_the_day_after_the_same_date_a_year_before():
    inside, outside = datetime.date(2024, 3, 15), datetime.date(2024, 3, 14)
    found = run(marks([("P1", inside, "AM", "N"), ("P1", outside, "AM", "N"), ("P1", AS_OF, "AM", "/")]))
    assert found["P1", "unexplained_absences", "last_12_months"]["numerator"] == 1
    assert found["P1", "attendance_rate", "last_12_months"]["denominator"] == 2


def test_the_school_year_starts_on_1_august():
    found = run(
        marks(
            [
                ("P1", datetime.date(2024, 8, 1), "AM", "N"),
                ("P1", datetime.date(2024, 7, 31), "AM", "N"),
                ("P1", AS_OF, "AM", "N"),
            ]
        )
    )
    row = found["P1", "unexplained_absences", "school_year"]
    assert row["numerator"] == 2
    # Last year's same part of the year: 1 August 2023 to 14 March 2024 (31 July 2024 is after it).
    assert json.loads(row["trend"]) == [["2021-08-01", 0], ["2022-08-01", 0], ["2023-08-01", 0]]


def test_a_school_year_as_at_a_day_in_august_is_the_new_year():
    as_of = datetime.date(2025, 8, 3)
    found = run(marks([("P1", datetime.date(2025, 7, 31), "AM", "N"), ("P1", as_of, "AM", "N")]), as_of=as_of)
    assert found["P1", "unexplained_absences", "school_year"]["numerator"] == 1


def test_marks_after_the_day_computed_as_at_are_not_counted():
    found = run(marks([("P1", AS_OF + DAY, "AM", "N"), ("P1", AS_OF, "AM", "/")]))
    assert ("P1", "unexplained_absences", "last_90_days") not in found
    assert found["P1", "attendance_rate", "last_90_days"]["denominator"] == 1


# --- trend --------------------------------------------------------------------------------------------------------


def test_the_trend_is_the_earlier_periods_oldest_first_and_rates_only_where_there_were_sessions():
    # Now: 9 of 10 present; 90 days before: 5 of 10; 180 days before: nothing; 270 days before: 10 of 10.
    rows = sessions("P1", ["/"] * 9 + ["N"])
    rows += sessions("P1", ["/"] * 5 + ["N"] * 5, last=days_before(90))
    rows += sessions("P1", ["/"] * 10, last=days_before(270))
    found = run(marks(rows))
    row = found["P1", "attendance_rate", "last_90_days"]
    assert row["value"] == pytest.approx(90.0)
    assert json.loads(row["trend"]) == [[days_before(359).isoformat(), 100.0], [days_before(179).isoformat(), 50.0]]
    counted = found["P1", "unexplained_absences", "last_90_days"]
    assert json.loads(counted["trend"]) == [
        [days_before(359).isoformat(), 0],
        [days_before(269).isoformat(), 0],
        [days_before(179).isoformat(), 5],
    ]


def test_a_count_keeps_its_row_while_an_earlier_period_had_something():
    found = run(happened=[event("P9", "missing_episode", days_before(100))])
    row = found["P9", "missing_episodes", "last_90_days"]
    assert (row["numerator"], row["value"]) == (0, 0.0)
    assert json.loads(row["trend"])[-1] == [days_before(179).isoformat(), 1]


# --- pupils and people ----------------------------------------------------------------------------------------------


def test_a_childs_upns_add_up_and_a_pupil_nobody_is_linked_to_is_left_out():
    rows = sessions("U1", ["/"] * 8) + sessions("U2", ["N"] * 2) + sessions("U3", ["N"] * 4)
    found = run(marks(rows), pupils={"U1": "P1", "U2": "P1"})
    row = found["P1", "attendance_rate", "last_90_days"]
    assert (row["numerator"], row["denominator"]) == (8, 10)
    assert not [key for key in found if key[0] == "U3"]


# --- events ---------------------------------------------------------------------------------------------------------


def test_events_are_counted_by_kind_and_by_their_values():
    happened = [
        event("P1", "police_incident", AS_OF, role="SUSPECT", incident_type="CRIME"),
        event("P1", "police_incident", days_before(10), role="SUSPECT", incident_type="ASB"),
        event("P1", "police_incident", days_before(20), role="VICTIM", incident_type="CRIME"),
        event("P1", "police_incident", days_before(30), role="PRESENT_DA", incident_type="DOMESTIC"),
        event("P1", "police_incident", days_before(40), role="SUBJECT", incident_type="CONCERN"),
        event("P1", "ae_attendance", days_before(5), diagnosis_group="POISONING", self_harm=True),
        event("P1", "ae_attendance", days_before(6), diagnosis_group="INJURY", self_harm=False),
        event("P1", "suspension", days_before(7), category="SUSP", sessions=4),
        event("P1", "suspension", days_before(8), category="LUNC", sessions=1),
        event("P1", "suspension", days_before(9), category="PERM"),
        event("P1", "missing_episode", days_before(11), missing_from="HOME"),
        event("P1", "youth_justice_outcome", days_before(12), outcome="YC"),
        event("P1", "care_episode", days_before(13)),  # no indicator counts periods of care
    ]
    found = run(happened=happened)
    counts = {indicator: row["numerator"] for (_, indicator, window), row in found.items() if window == "last_90_days"}
    assert counts == {
        "police_contacts": 5,
        "police_as_suspect": 2,
        "police_as_victim": 1,
        "domestic_abuse_notifications": 1,
        "police_concern_notifications": 1,
        "ae_attendances": 2,
        "self_harm_attendances": 1,
        "suspensions": 2,
        "permanent_exclusions": 1,
        "missing_episodes": 1,
        "youth_justice_outcomes": 1,
    }
    assert ("P1", "police_as_witness", "last_90_days") not in found  # nothing counted, ever: no row


# --- the definitions file -----------------------------------------------------------------------------------------

GOOD = """
version = 1

[windows.last_90_days]
label = "Last 90 days"
description = "The 90 days to the day."

[indicators.absence_rate]
label = "Absence rate"
category = "education"
source = "attendance"
measure = "threshold"
count = { categories = ["authorised", "unauthorised"] }
out_of = { categories = ["present", "authorised", "unauthorised"] }
at_least_percent = 12.5
definition = "Sessions missed."
denominator = "Possible sessions."
reference = "DfE."
windows = ["last_90_days"]

[indicators.police_as_suspect]
label = "Police contacts as a suspect"
category = "police_intelligence"
source = "events"
measure = "count"
count = { kinds = ["police_incident"], where = { role = ["SUSPECT"] } }
definition = "Incidents."
denominator = "Not a rate."
reference = "The police feed."
windows = ["last_90_days"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indicators.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_packaged_definitions_have_the_indicators_others_read_by_name():
    definitions = load_definitions()
    assert definitions.path == PACKAGED
    for name in ("attendance_rate", "persistent_absence", "severe_absence"):
        assert set(definitions.indicators[name].windows) == {"last_90_days", "school_year", "last_12_months"}
    assert definitions.indicators["persistent_absence"].at_least == 10
    assert definitions.indicators["severe_absence"].at_least == 50


def test_a_threshold_may_be_a_fraction_of_a_percent_and_is_compared_exactly(tmp_path):
    definitions = load_definitions(write(tmp_path, GOOD))
    codes = ["I"] * 1 + ["/"] * 7  # 12.5% exactly
    found = run(marks(sessions("P1", codes) + sessions("P2", ["I"] + ["/"] * 8)), definitions=definitions)
    assert found["P1", "absence_rate", "last_90_days"]["met"] is True
    assert found["P2", "absence_rate", "last_90_days"]["met"] is False  # 11.1%


def _broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "entry", "why"),
    [
        (
            _broken('definition = "Sessions missed."', 'defintion = "Sessions missed."'),
            "indicators.absence_rate",
            "unknown settings ['defintion']",
        ),
        (
            _broken('label = "Last 90 days"', 'label = "Last 90 days"\nearlir = 2'),
            "windows.last_90_days",
            "unknown settings ['earlir']",
        ),
        (_broken("version = 1", "version = 2"), "version", "version 1"),
        (_broken("version = 1", "version = 1\ncolour = 'red'"), "the top level", "unknown settings ['colour']"),
        (_broken('source = "attendance"', 'source = "marks"'), "indicators.absence_rate", "source must be"),
        (_broken('measure = "threshold"', 'measure = "average"'), "indicators.absence_rate", "measure must be"),
        (_broken("at_least_percent = 12.5", "at_least_percent = 0"), "indicators.absence_rate", "above 0"),
        (_broken("at_least_percent = 12.5", 'at_least_percent = "10%"'), "indicators.absence_rate", "a number"),
        (_broken("at_least_percent = 12.5\n", ""), "indicators.absence_rate", "at_least_percent"),
        (
            _broken('out_of = { categories = ["present", "authorised", "unauthorised"] }\n', ""),
            "indicators.absence_rate",
            "out_of must say",
        ),
        (
            _broken('count = { categories = ["authorised", "unauthorised"] }', 'count = { categories = ["absent"] }'),
            "indicators.absence_rate.count",
            "unknown categories ['absent']",
        ),
        (
            _broken('count = { categories = ["authorised", "unauthorised"] }', 'count = { codes = ["H"] }'),
            "indicators.absence_rate.count",
            "unknown attendance codes ['H']",
        ),
        (
            _broken('count = { categories = ["authorised", "unauthorised"] }', "count = { }"),
            "indicators.absence_rate.count",
            "must name categories",
        ),
        (
            _broken('windows = ["last_90_days"]', 'windows = ["last_week"]'),
            "indicators.absence_rate",
            "window 'last_week' is not described",
        ),
        (_broken("[windows.last_90_days]", "[windows.last_week]"), "windows.last_week", "unknown window"),
        (
            _broken('definition = "Sessions missed."', 'definition = ""'),
            "indicators.absence_rate",
            "definition must be some text",
        ),
        (_broken('category = "education"', "category = 3"), "indicators.absence_rate", "category must name"),
        (_broken("[indicators.absence_rate]", "[indicators.Absence-Rate]"), "indicators.Absence-Rate", "lower-case"),
        (
            _broken('kinds = ["police_incident"]', 'kinds = ["arrest"]'),
            "indicators.police_as_suspect.count",
            "unknown kinds of event ['arrest']",
        ),
        (
            _broken('where = { role = ["SUSPECT"] }', 'where = { rol = ["SUSPECT"] }'),
            "indicators.police_as_suspect.count",
            "have no field 'rol'",
        ),
        (
            _broken('where = { role = ["SUSPECT"] }', 'where = { role = ["OFFENDER"] }'),
            "indicators.police_as_suspect.count",
            "unknown codes ['OFFENDER']",
        ),
        (
            _broken('where = { role = ["SUSPECT"] }', 'where = { arrested = ["Y"] }'),
            "indicators.police_as_suspect.count",
            "write true or false",
        ),
        (
            _broken('where = { role = ["SUSPECT"] }', "where = { role = [] }"),
            "indicators.police_as_suspect.count",
            "where.role must be a list",
        ),
        (
            _broken('measure = "count"', 'measure = "rate"'),
            "indicators.police_as_suspect",
            "a rate or a threshold is of attendance marks",
        ),
        (
            _broken('measure = "count"\n', 'measure = "count"\nat_least_percent = 5\n'),
            "indicators.police_as_suspect",
            "at_least_percent is for a rate or a threshold",
        ),
        (
            _broken('windows = ["last_90_days"]\n', 'windows = ["last_90_days", "last_90_days"]\n'),
            "indicators.absence_rate",
            "names something twice",
        ),
    ],
)
def test_a_malformed_definitions_file_is_refused_naming_the_file_and_the_entry(tmp_path, text, entry, why):
    path = write(tmp_path, text)
    with pytest.raises(Exception) as refused:
        load_definitions(path)
    assert type(refused.value).__name__ == "DefinitionsError"
    message = str(refused.value)
    assert message.startswith(f"{path}: [{entry}]"), message
    assert why in message


def test_a_file_that_is_not_toml_or_not_there_is_refused_with_its_name(tmp_path):
    from continuum.signals.indicators import DefinitionsError

    path = write(tmp_path, "version = 1\n[indicators.x\n")
    with pytest.raises(DefinitionsError, match=f"^{path}: cannot read"):
        load_definitions(path)
    (tmp_path / "latin1.toml").write_bytes(b"version = 1\n# caf\xe9\n")
    with pytest.raises(DefinitionsError, match="cannot read"):
        load_definitions(tmp_path / "latin1.toml")
    with pytest.raises(DefinitionsError, match="cannot read"):
        load_definitions(tmp_path / "missing.toml")


def test_categories_must_be_the_access_policys_and_agree_with_its_event_categories(tmp_path):
    from continuum.signals.indicators import DefinitionsError

    events_category = {"police_incident": "police_intelligence", "attendance": "education"}.__getitem__
    known = {"education", "police_intelligence", "health"}
    load_definitions(write(tmp_path, GOOD)).check_categories(known, events_category)
    wrong = load_definitions(write(tmp_path, _broken('category = "police_intelligence"', 'category = "education"')))
    with pytest.raises(DefinitionsError, match=r"\[indicators.police_as_suspect\] category must be 'police_intel"):
        wrong.check_categories(known, events_category)
    unknown = load_definitions(write(tmp_path, _broken('category = "education"', 'category = "gossip"')))
    with pytest.raises(DefinitionsError, match=r"\[indicators.absence_rate\] category 'gossip' is not in the access"):
        unknown.check_categories(known, events_category)


def test_the_documentation_describes_every_indicator_as_the_definitions_do():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    for indicator in load_definitions().indicators.values():
        assert f"### {indicator.label} (`{indicator.name}`)" in docs
        assert indicator.definition in docs and indicator.denominator in docs
