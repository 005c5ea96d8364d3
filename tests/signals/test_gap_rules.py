"""The gap finder's rules and their evidence, on hand-built events (plain Python: no database).

The packaged rules (signals/gap_rules.toml): `two_agencies_90_days` flags signals from two or more agencies on the
last 90 days up to the run's day; `three_agencies_12_months`, from three agencies in 365 days. Both are stopped by an
open early help, CIN, CP plan, looked-after, CAMHS, youth justice or voluntary sector involvement, never by a
school roll.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from continuum.signals.gap import RulesError, find, load_rules
from continuum.signals.gap.rules import DEFAULT_PATH

AS_OF = datetime.date(2026, 11, 28)
EVENTS = pa.schema(
    [
        ("event_id", pa.string()),
        ("person_id", pa.string()),
        ("source_person_id", pa.string()),
        ("feed", pa.string()),
        ("table", pa.string()),
        ("kind", pa.string()),
        ("occurred_on", pa.date32()),
        ("ended_on", pa.date32()),
        ("detail", pa.string()),
        ("match_probability", pa.float64()),
    ]
)
INDICATORS = pa.schema(
    [
        ("person_id", pa.string()),
        ("indicator", pa.string()),
        ("window", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
        ("value", pa.float64()),
        ("met", pa.bool_()),
    ]
)
INVOLVEMENTS = pa.schema(
    [("person_id", pa.string()), ("kind", pa.string()), ("start_date", pa.date32()), ("end_date", pa.date32())]
)
RULES = load_rules()


def days_ago(n: int) -> datetime.date:
    return AS_OF - datetime.timedelta(days=n)


def police(person: str, days: int, role: str = "VICTIM", incident_type: str = "CRIME") -> dict:
    values = {"incident_type": incident_type, "role": role, "offence_group": "ROB"}
    meanings = {"incident_type": "Recorded crime", "role": role.title(), "offence_group": "Robbery"}
    return _event(person, "police", "police_incident", days, values, meanings)


def ae(person: str, days: int, *, self_harm: bool = True, group: str = "POISONING") -> dict:
    values = {"self_harm": self_harm, "diagnosis_group": group}
    meanings = {"diagnosis_group": "Poisoning, including overdose" if group == "POISONING" else group.title()}
    return _event(person, "health", "ae_attendance", days, values, meanings)


def suspension(person: str, days: int) -> dict:
    values = {"category": "SUSP", "reason": "PA", "sessions": 4}
    meanings = {"category": "Suspension (fixed-period exclusion)", "reason": "Physical assault against an adult"}
    return _event(person, "suspensions", "suspension", days, values, meanings)


def missing(person: str, days: int, where: str = "HOME") -> dict:
    return _event(person, "missing", "missing_episode", days, {"missing_from": where}, {"missing_from": where.title()})


def _event(person: str, feed: str, kind: str, days: int, values: dict, meanings: dict) -> dict:
    return {
        "event_id": f"{person}-{kind}-{days}",
        "person_id": person,
        "source_person_id": f"source-{person}",
        "feed": feed,
        "table": feed,
        "kind": kind,
        "occurred_on": days_ago(days),
        "ended_on": None,
        "detail": json.dumps({"values": values, "meanings": meanings}),
        "match_probability": 0.99,
    }


def absent(person: str, *, met: bool = True, window: str = "last_90_days") -> dict:
    return {
        "person_id": person,
        "indicator": "persistent_absence",
        "window": window,
        "numerator": 14,
        "denominator": 100,
        "value": 14.0,
        "met": met,
    }


def involvement(person: str, kind: str, start: int = 200, end: int | None = None) -> dict:
    return {
        "person_id": person,
        "kind": kind,
        "start_date": days_ago(start),
        "end_date": None if end is None else days_ago(end),
    }


def flags(events=(), indicators=(), involvements=(), people=("amy",), age: int = 12, rules=RULES) -> dict:
    """Run the finder: {(person, rule): row} with agencies and evidence read back from JSON."""
    population = pa.table(
        {
            "person_id": pa.array(list(people), pa.string()),
            "date_of_birth": pa.array([AS_OF.replace(year=AS_OF.year - age)] * len(people), pa.date32()),
        }
    )
    found = find(
        con=duckdb.connect(),
        events=pa.Table.from_pylist(list(events), schema=EVENTS),
        indicators=pa.Table.from_pylist(list(indicators), schema=INDICATORS),
        open_involvement=pa.Table.from_pylist(list(involvements), schema=INVOLVEMENTS),
        population=population,
        as_of=AS_OF,
        rules=rules,
    )
    return {
        (row["person_id"], row["rule"]): {
            **row,
            "agencies": json.loads(row["agencies"]),
            "evidence": json.loads(row["evidence"]),
        }
        for row in found.to_pylist()
    }


RECENT = "two_agencies_90_days"
YEAR = "three_agencies_12_months"


def test_signals_from_two_agencies_flag_the_child_with_every_event_behind_it():
    found = flags([police("amy", 10), ae("amy", 30), police("amy", 40, role="SUSPECT")])
    assert list(found) == [("amy", RECENT)]
    flag = found[("amy", RECENT)]
    assert flag["agencies"] == ["health", "police"]
    assert [(e["date"], e["feed"], e["kind"], e["agency"]) for e in flag["evidence"]] == [
        (days_ago(40).isoformat(), "police", "police_incident", "police"),
        (days_ago(30).isoformat(), "health", "ae_attendance", "health"),
        (days_ago(10).isoformat(), "police", "police_incident", "police"),
    ]
    first = flag["evidence"][0]
    assert first["label"] == "Police incident: the child was a victim or a suspect"
    assert first["summary"] == "Recorded crime; Suspect; Robbery"
    assert first["source"] == "Police incidents"
    assert first["event_id"] == "amy-police_incident-40"
    assert flag["evidence"][1]["summary"] == "Self-harm; Poisoning, including overdose"
    assert flag["evidence"][1]["source"] == "A&E attendances"


def test_the_window_is_the_last_90_days_up_to_the_run_day():
    # Day 89 before the run is the 90th day of the window (the run's own day is the first): it counts.
    assert ("amy", RECENT) in flags([police("amy", 0), ae("amy", 89)])
    # Day 90 before is outside it.
    assert flags([police("amy", 0), ae("amy", 90)]) == {}
    # Nor does anything after the run's day count.
    assert flags([police("amy", 0), ae("amy", -1)]) == {}


def test_signals_from_one_agency_are_not_enough_however_many():
    events = [
        police("amy", 5),
        police("amy", 6, role="SUSPECT"),
        missing("amy", 7),
        police("amy", 8, incident_type="DOMESTIC", role="PRESENT_DA"),
    ]
    assert flags(events) == {}


def test_only_the_rows_a_signal_names_count():
    # A witness is not a victim or suspect; an injury that is not self-harm is not an A&E signal.
    assert flags([police("amy", 5, role="WITNESS"), ae("amy", 6)]) == {}
    assert flags([police("amy", 5), ae("amy", 6, self_harm=False, group="INJURY")]) == {}
    # An assault at A&E is, self-harm or not; missing from care is not (the child is looked after).
    assert ("amy", RECENT) in flags([police("amy", 5), ae("amy", 6, self_harm=False, group="ASSAULT")])
    assert flags([missing("amy", 5, where="CARE"), ae("amy", 6)]) == {}


def test_an_open_involvement_means_someone_is_working_with_the_child():
    events = [police("amy", 5), ae("amy", 6)]
    assert flags(events, involvements=[involvement("amy", "early_help")]) == {}
    assert flags(events, involvements=[involvement("amy", "cin", end=-10)]) == {}  # ends after the run: open
    # Ended by the run's day, or not yet started: nobody is working with her.
    assert ("amy", RECENT) in flags(events, involvements=[involvement("amy", "early_help", end=0)])
    assert ("amy", RECENT) in flags(events, involvements=[involvement("amy", "camhs", start=-3)])


def test_a_school_roll_or_being_known_to_police_is_not_someone_working_with_the_child():
    events = [police("amy", 5), ae("amy", 6)]
    kinds = ["school_roll", "police_contact", "health_visiting", "school_nursing"]
    found = flags(events, involvements=[involvement("amy", kind) for kind in kinds])
    assert ("amy", RECENT) in found


def test_persistent_absence_over_the_last_90_days_is_a_school_signal():
    found = flags([police("amy", 20)], indicators=[absent("amy")])
    flag = found[("amy", RECENT)]
    assert flag["agencies"] == ["police", "school"]
    indicator = flag["evidence"][-1]
    assert (indicator["date"], indicator["kind"], indicator["agency"]) == (AS_OF.isoformat(), "indicator", "school")
    assert indicator["summary"] == "14.0% (14 of 100)"
    assert indicator["source"] == "Indicator persistent_absence over last 90 days"
    # Not met, or over another window: no signal.
    assert flags([police("amy", 20)], indicators=[absent("amy", met=False)]) == {}
    assert flags([police("amy", 20)], indicators=[absent("amy", window="school_year")]) == {}


def test_a_suspension_and_absence_are_one_agency():
    assert flags([suspension("amy", 3)], indicators=[absent("amy")]) == {}


def test_three_agencies_over_twelve_months():
    events = [police("amy", 300), ae("amy", 200), suspension("amy", 364)]
    found = flags(events)
    assert list(found) == [("amy", YEAR)]
    assert found[("amy", YEAR)]["agencies"] == ["health", "police", "school"]
    assert flags([police("amy", 300), ae("amy", 200), suspension("amy", 365)]) == {}


def test_only_children_of_school_age_are_flagged_and_each_child_on_their_own():
    events = [police("amy", 5), ae("amy", 6), police("ben", 5), suspension("cara", 6)]
    assert list(flags(events, people=("amy", "ben", "cara"))) == [("amy", RECENT)]
    assert flags(events, age=4) == {}
    assert flags(events, age=18) == {}
    assert ("amy", RECENT) in flags(events, age=17)
    assert flags(events, people=("ben",)) == {}  # amy is not in the population looked at


# --- The rules file: every key checked, errors name the file and the entry ----------------------------------------


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text()
    assert old in text, old
    path = tmp_path / "gap_rules.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("window_days = 90", "window_days = 0", "rules.two_agencies_90_days.window_days: must be a whole number"),
        (
            "min_agencies = 2",
            "min_agencies = 1",
            "rules.two_agencies_90_days.min_agencies: must be a whole number from 2",
        ),
        ("min_agencies = 2", "min_agency = 2", "rules.two_agencies_90_days: unknown key 'min_agency'"),
        ('kind = "suspension"', 'kind = "exclusion"', "signals.suspension.kind: 'exclusion' is not an event kind"),
        (
            'role = ["VICTIM", "SUSPECT"]',
            'role = ["VICTIM", "BYSTANDER"]',
            "signals.police_victim_or_suspect.where.role: 'BYSTANDER' is not one of its codes",
        ),
        ("self_harm = true", 'self_harm = "Y"', "signals.ae_self_harm.where.self_harm: is a yes/no column"),
        (
            'where = { missing_from = ["HOME"] }',
            'where = { postcode = ["SW1A 1AA"] }',
            "signals.missing_from_home.where.postcode: only coded and yes/no columns",
        ),
        ('agency = "health"', 'agency = "hospital"', "signals.ae_self_harm.agency: 'hospital' is not a kind of agency"),
        (
            'indicator_window = "last_90_days"',
            'indicator_window = "last_week"',
            "signals.persistent_absence.indicator_window: must be one of",
        ),
        (
            'involvements = ["early_help",',
            'involvements = ["school_roll", "early_help",',
            "rules.two_agencies_90_days.involvements: 'school_roll' does not mean someone is working with the child: "
            "every pupil has one",
        ),
        (
            'involvements = ["early_help",',
            'involvements = ["befriending", "early_help",',
            "'befriending' is not a kind of involvement",
        ),
        (
            '    "suspension",\n    "persistent_absence",\n]\ninvolvements',
            '    "suspensions",\n]\ninvolvements',
            "rules.two_agencies_90_days.signals: 'suspensions' is not a signal",
        ),
        (
            "age_bands = [[5, 10], [11, 15], [16, 17]]",
            "age_bands = [[5, 10], [12, 17]]",
            "population.age_bands[1]: must start at 11",
        ),
        (
            'reference = "largest"',
            'reference = "white"',
            "cohort.locality.reference: must be one of largest, everyone_else",
        ),
        ("version = 1", "version = 2", "version: must be 1"),
        ("[cohort.sex]", "[cohort.gender]", "cohort: unknown key 'gender'"),
    ],
)
def test_a_bad_rules_file_is_refused_naming_the_file_and_the_entry(tmp_path, old, new, message):
    path = edited(tmp_path, old, new)
    with pytest.raises(RulesError, match=re.escape(f"{path}: ")) as caught:
        load_rules(path)
    assert message in str(caught.value)


def test_a_rules_file_that_is_missing_or_not_toml_is_refused_in_one_line(tmp_path):
    with pytest.raises(RulesError, match="cannot read it"):
        load_rules(tmp_path / "nowhere.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[rules\n")
    with pytest.raises(RulesError, match=f"{re.escape(str(broken))}: not valid TOML"):
        load_rules(broken)


def test_the_packaged_rules_load_and_a_copy_of_them_loads_the_same(tmp_path):
    copy = tmp_path / "rules.toml"
    shutil.copy(DEFAULT_PATH, copy)
    assert load_rules(copy).rules == RULES.rules
    assert RULES.age_band(12) == "11 to 15" and RULES.age_band(4) == ""
