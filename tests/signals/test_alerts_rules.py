"""The attendance protocol's rules on hand-built marks (find_runs, plain Python over a real marks store), and its
settings file checked key by key. No database: the rules know nothing of Django."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import Path

import duckdb
import pytest

from continuum.signals.feeds.marks import read_marks
from continuum.signals.protocol import DEFAULT_PATH, Rules, RulesError, find_runs, load_rules
from tests.signals.alerts_marks import (
    FRIDAY,
    OTHER_URN,
    URN,
    at,
    children,
    land,
    present,
    pupil,
    pupils_of,
    with_marks,
)

DAY = datetime.timedelta(days=1)
RULES = load_rules()
AMY, BEN = pupil(1), pupil(2)


def runs(
    folder: Path,
    marks: dict,
    *,
    as_of: datetime.date = FRIDAY,
    rules: Rules = RULES,
    people: dict[str, str] | None = None,
    open_to: tuple[str, ...] | None = None,
) -> list[dict]:
    """The runs found in these marks (pupil n -> person "pn"), as rows."""
    store = land(folder, marks)
    people = people or {upn: f"p-{upn}" for upn in marks}
    found = find_runs(
        con=duckdb.connect(),
        marks_sql=read_marks(store),
        pupils=pupils_of(people),
        children=children(*(open_to if open_to is not None else sorted(set(people.values())))),
        as_of=as_of,
        rules=rules,
    )
    return found.to_pylist()


def consecutive_only(rules: Rules = RULES) -> Rules:
    return dataclasses.replace(rules, low_rate=False)


def low_rate_only(rules: Rules = RULES) -> Rules:
    return dataclasses.replace(rules, consecutive=False)


# --- The consecutive rule -----------------------------------------------------------------------------------------


def test_two_unexplained_absences_in_a_row_raise_nothing(tmp_path):
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, "N O"))
    assert runs(tmp_path, {AMY: marks}, rules=consecutive_only()) == []


def test_three_unexplained_absences_in_a_row_are_a_run_with_its_sessions(tmp_path):
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, "N O N /"))  # Thursday AM, PM, Friday AM; Friday PM present
    [run] = runs(tmp_path, {AMY: marks}, rules=consecutive_only())
    thursday = FRIDAY - DAY
    assert (run["person_id"], run["rule"], run["school_urn"]) == (f"p-{AMY}", "consecutive", URN)
    assert (run["first_absence"], run["last_absence"]) == (thursday, FRIDAY)
    evidence = json.loads(run["evidence"])
    assert evidence["sessions"] == 3 and evidence["sessions_needed"] == 3 and evidence["codes"] == ["N", "O"]
    assert evidence["absences"] == [
        {"date": thursday.isoformat(), "session": "AM", "code": "N"},
        {"date": thursday.isoformat(), "session": "PM", "code": "O"},
        {"date": FRIDAY.isoformat(), "session": "AM", "code": "N"},
    ]
    assert evidence["not_counted"] == []


def test_a_session_not_counted_inside_a_run_neither_ends_nor_lengthens_it(tmp_path):
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, "N Y1 N # N /"))
    [run] = runs(tmp_path, {AMY: marks}, rules=consecutive_only())
    evidence = json.loads(run["evidence"])
    assert evidence["sessions"] == 3  # the three N, not the two sessions that were not possible
    assert [s["code"] for s in evidence["not_counted"]] == ["Y1", "#"]
    # Two unexplained either side of one not counted are still two: no run.
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, "N Y1 N /"))
    assert runs(tmp_path / "two", {AMY: marks}, rules=consecutive_only()) == []


@pytest.mark.parametrize(
    "between",
    [
        "/",  # present
        "L",  # late, before the register closed: present
        "I",  # illness: authorised
        "G",  # holiday not agreed: unauthorised, but the school knows where the child was
        "U",  # arrived after the register closed: in school
    ],
)
def test_a_session_in_school_or_explained_ends_the_run(tmp_path, between):
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, f"N N {between} N N"))
    assert runs(tmp_path, {AMY: marks}, rules=consecutive_only()) == []


def test_a_longer_run_is_one_run_from_its_first_absence(tmp_path):
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, "N N N N N N N"))
    [run] = runs(tmp_path, {AMY: marks}, rules=consecutive_only())
    assert json.loads(run["evidence"])["sessions"] == 7
    assert run["first_absence"] == FRIDAY - 3 * DAY  # Tuesday afternoon


def test_the_run_keeps_its_first_absence_from_one_night_to_the_next(tmp_path):
    """What names an alert (person, rule, first absence) does not move while the run goes on."""
    monday = FRIDAY + 3 * DAY
    base = with_marks(present(FRIDAY, 20), at(FRIDAY, "N N N"))
    first = runs(tmp_path / "friday", {AMY: base}, rules=consecutive_only())
    going_on = with_marks(base, at(monday, "N N"))
    later = runs(tmp_path / "monday", {AMY: going_on}, as_of=monday, rules=consecutive_only())
    assert [r["first_absence"] for r in first] == [r["first_absence"] for r in later]
    assert later[0]["last_absence"] == monday


def test_marks_after_as_of_are_not_read(tmp_path):
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, "N N N"))
    assert runs(tmp_path, {AMY: marks}, as_of=FRIDAY - DAY, rules=consecutive_only()) == []


def test_only_recent_runs_alert(tmp_path):
    """A run whose last absence is more than ten school days back is history, not an alert."""
    three_weeks_ago = FRIDAY - 21 * DAY
    marks = with_marks(present(FRIDAY, 30), at(three_weeks_ago, "N N N"))
    assert runs(tmp_path / "now", {AMY: marks}, rules=consecutive_only()) == []
    assert len(runs(tmp_path / "then", {AMY: marks}, as_of=three_weeks_ago, rules=consecutive_only())) == 1
    # Ten school days back, counting the school days on which the county took a register: still recent.
    tenth = FRIDAY - 11 * DAY  # the Monday of last week is the tenth school day up to this Friday
    marks = with_marks(present(FRIDAY, 30), at(tenth, "N N N"))
    assert len(runs(tmp_path / "ten", {AMY: marks}, rules=consecutive_only())) == 1
    marks = with_marks(present(FRIDAY, 30), at(tenth - 3 * DAY, "N N N"))  # the Friday before: the eleventh
    assert runs(tmp_path / "eleven", {AMY: marks}, rules=consecutive_only()) == []


def test_only_children_in_the_protocol_and_linked_pupils_are_read(tmp_path):
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, "N N N"))
    people = {AMY: "amy", BEN: "ben"}
    found = runs(tmp_path, {AMY: marks, BEN: marks}, people=people, open_to=("ben",), rules=consecutive_only())
    assert [r["person_id"] for r in found] == ["ben"]
    assert runs(tmp_path / "unlinked", {AMY: marks}, people={BEN: "ben"}, rules=consecutive_only()) == []


def test_two_records_of_one_child_count_the_session_they_were_in_school(tmp_path):
    """Two UPNs linked to one child, or a dual registration: the mark that says the child was in school counts."""
    amy_here = with_marks(present(FRIDAY, 20), at(FRIDAY, "N N N"))
    amy_there = with_marks(present(FRIDAY, 20, urn=OTHER_URN), at(FRIDAY, "D D D", urn=OTHER_URN))
    people = {AMY: "amy", BEN: "amy"}
    assert len(runs(tmp_path, {AMY: amy_here, BEN: amy_there}, people=people, rules=consecutive_only())) == 1
    attended_there = with_marks(present(FRIDAY, 20, urn=OTHER_URN), at(FRIDAY, "/ / /", urn=OTHER_URN))
    both = {AMY: amy_here, BEN: attended_there}
    assert runs(tmp_path / "attended", both, people=people, rules=consecutive_only()) == []


def test_no_marks_at_all_is_no_run(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    found = find_runs(
        con=duckdb.connect(),
        marks_sql=read_marks(empty),
        pupils=pupils_of({AMY: "amy"}),
        children=children("amy"),
        as_of=FRIDAY,
        rules=RULES,
    )
    assert found.num_rows == 0 and found.schema.names[:2] == ["person_id", "rule"]


# --- The low-rate rule: attendance below 90% over the last 28 days ---------------------------------------------


def _four_weeks(absent: int, *, not_counted: int = 0) -> list:
    """Four school weeks to FRIDAY (40 sessions): `absent` of them illness (I, spread out so they make no run of
    unexplained absence), `not_counted` of them Y1."""
    marks = present(FRIDAY, 20)
    changes = [(d, s, "I", u) for d, s, _, u in marks[1 : 1 + 2 * absent : 2]]
    changes += [(d, s, "Y1", u) for d, s, _, u in marks[2 : 2 + 2 * not_counted : 2]]
    return with_marks(marks, changes)


def test_attendance_of_exactly_90_percent_raises_nothing(tmp_path):
    assert runs(tmp_path, {AMY: _four_weeks(4)}, rules=low_rate_only()) == []  # 36 of 40


def test_attendance_just_below_90_percent_is_a_low_rate_spell(tmp_path):
    [run] = runs(tmp_path, {AMY: _four_weeks(4, not_counted=1)}, rules=low_rate_only())  # 35 of 39: 89.7%
    evidence = json.loads(run["evidence"])
    assert run["rule"] == "low_rate" and run["school_urn"] == URN
    assert (evidence["possible"], evidence["present"], evidence["percent"]) == (39, 35, 89.7)
    assert (evidence["below_percent"], evidence["days"], evidence["min_possible_sessions"]) == (90.0, 28, 20)
    assert evidence["window_to"] == FRIDAY.isoformat()
    assert evidence["window_from"] == (FRIDAY - 27 * DAY).isoformat()
    assert len(evidence["weeks"]) == 4 and sum(w["possible"] for w in evidence["weeks"]) == 39
    assert sum(w["authorised"] for w in evidence["weeks"]) == 4
    assert run["last_absence"] <= FRIDAY and run["first_absence"] >= FRIDAY - 27 * DAY


def test_the_low_rate_needs_its_minimum_of_possible_sessions(tmp_path):
    """Half the sessions missed, but only ten possible sessions in the window: too few to judge."""
    marks = with_marks(present(FRIDAY, 5), at(FRIDAY, "/ I / I / I / I / I"))
    assert runs(tmp_path / "few", {AMY: marks}, rules=low_rate_only()) == []
    fewer_needed = dataclasses.replace(low_rate_only(), low_rate_min_sessions=10)
    assert len(runs(tmp_path / "enough", {AMY: marks}, rules=fewer_needed)) == 1


def test_a_spell_below_the_rate_alerts_once_with_a_first_date_that_stays(tmp_path):
    """The same spell a week later has the same first absence; recovered and below again, it is a new spell."""
    monday = FRIDAY + 3 * DAY
    spell = with_marks(present(FRIDAY, 20), at(FRIDAY, "I I I I I I"))
    first = runs(tmp_path / "a", {AMY: spell}, rules=low_rate_only())
    week_on = with_marks(spell, present(FRIDAY + 7 * DAY, 5), at(FRIDAY + 7 * DAY, "I I"))
    later = runs(tmp_path / "b", {AMY: week_on}, as_of=FRIDAY + 7 * DAY, rules=low_rate_only())
    assert len(first) == len(later) == 1 and first[0]["first_absence"] == later[0]["first_absence"]
    assert runs(tmp_path / "c", {AMY: with_marks(spell, at(monday, "/ /"))}, as_of=monday, rules=low_rate_only())


def test_the_packaged_settings_switch_both_rules_on(tmp_path):
    marks = with_marks(present(FRIDAY, 20), at(FRIDAY, "N N N N N N"))
    assert sorted(r["rule"] for r in runs(tmp_path, {AMY: marks})) == ["consecutive", "low_rate"]


# --- The settings file ---------------------------------------------------------------------------------------------


def test_the_packaged_settings_are_the_documented_defaults():
    rules = load_rules()
    assert rules.path == str(DEFAULT_PATH)
    assert rules.unexplained == ("N", "O")
    assert (rules.consecutive_sessions, rules.low_rate_below, rules.low_rate_days) == (3, 90.0, 28)
    assert rules.recent_school_days == 10
    assert "school_roll" not in rules.involvement_kinds and "early_help" in rules.involvement_kinds
    assert set(rules.actions) >= {
        "contacted_family",
        "home_visit",
        "school_plan",
        "welfare_referral",
        "no_further_action",
        "other",
    }


def _settings(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "protocol.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "entry"),
    [
        ('codes = ["N", "O"]', 'codes = ["N", "Q9"]', "[unexplained] codes: 'Q9' is not a DfE attendance code"),
        ('codes = ["N", "O"]', 'codes = ["N", "/"]', "[unexplained] codes: '/' is not an absence"),
        ('codes = ["N", "O"]', 'codes = ["N", "Y1"]', "[unexplained] codes: 'Y1' is not an absence"),
        ('codes = ["N", "O"]', "codes = []", "[unexplained] codes: name at least one"),
        ("sessions = 3", "sessions = 0", "[consecutive] sessions: must be from 1 to 200, not 0"),
        ("sessions = 3", 'sessions = "3"', "[consecutive] sessions: must be a whole number, not '3'"),
        ("sessions = 3", "sesions = 3", "[consecutive] sesions: not a setting"),
        ("below_percent = 90", "below_percent = 190", "[low_rate] below_percent: must be more than 0"),
        ("below_percent = 90", "below_percent = true", "[low_rate] below_percent: must be a number"),
        ("enabled = true\nsessions", "enabled = 1\nsessions", "[consecutive] enabled: must be true or false"),
        ("school_days = 10", "", "[recent] school_days: missing"),
        ('kinds = ["looked_after"', 'kinds = ["school_roll"', "[involvements] kinds: 'school_roll': being on a school"),
        ('kinds = ["looked_after"', 'kinds = ["social_work"', "[involvements] kinds: 'social_work' is not a kind"),
        ('["home_visit", "Made a home visit"]', '["home_visit"]', "[follow_up] actions, entry 2: must be"),
        ('["home_visit", "Made a home visit"]', '["Home Visit!", "x"]', "[follow_up] actions, entry 2: 'Home Visit!'"),
        ('note_required = ["other"', 'note_required = ["others"', "[follow_up] note_required: 'others' is not one"),
        ("version = 1", "version = 2", "version: must be 1"),
        ("[recent]", "[recency]", "[recency]: not a setting of the attendance protocol"),
    ],
)
def test_a_wrong_setting_is_refused_naming_the_file_and_the_entry(tmp_path, old, new, entry):
    path = _settings(tmp_path, old, new)
    with pytest.raises(RulesError) as refused:
        load_rules(path)
    assert str(refused.value).startswith(f"{path}: {entry}"), str(refused.value)


def test_settings_that_are_not_toml_or_not_there_are_refused_in_one_line(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("codes = [N]\n")
    for path in (broken, tmp_path / "missing.toml"):
        with pytest.raises(RulesError, match=f"^{path}: ") as refused:
            load_rules(path)
        assert "\n" not in str(refused.value)


def test_both_rules_switched_off_is_refused(tmp_path):
    path = _settings(tmp_path, "enabled = true\nsessions", "enabled = false\nsessions")
    path.write_text(path.read_text().replace("enabled = true\nbelow", "enabled = false\nbelow"))
    with pytest.raises(RulesError, match="both rules are switched off"):
        load_rules(path)
