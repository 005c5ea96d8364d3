"""The synthetic county's agency feeds: valid against the feeds catalogue, deterministic, shaped like England
(absence, suspensions, who the police and A&E see), carrying the identity errors real extracts carry, with the true
person behind every reference, and a malformed file for every way an extract goes wrong."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from continuum.identifiers import nhs_number_is_valid, upn_is_valid
from continuum.signals.feeds.catalogue import FEEDS
from continuum.signals.feeds.check import check_feed
from continuum.signals.feeds.codes import ATTENDANCE_CATEGORY
from continuum.synth import _arrays as arr
from continuum.synth import _feeds, _feeds_care, _feeds_events, _feeds_school, generate
from continuum.workingdays import is_working_day
from tests.synth.test_synth import AS_OF

CHILDREN = 2_000
SINGLE = ("attendance", "suspensions", "police", "missing", "health", "youth_justice")
PERSON_REF = {
    "attendance": "upn",
    "suspensions": "upn",
    "police": "person_ref",
    "missing": "person_ref",
    "health": "person_ref",
    "youth_justice": "person_ref",
}


class County:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.feeds = path / "feeds"
        self._frames: dict[str, pd.DataFrame] = {}

    def feed(self, name: str) -> pd.DataFrame:
        """A feed file as text (blank cells as ""), e.g. "police" or "ssda903/episodes"."""
        if name not in self._frames:
            self._frames[name] = pd.read_csv(self.feeds / f"{name}.csv", dtype=str, keep_default_na=False)
        return self._frames[name]

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            self._frames[name] = pd.read_parquet(self.path / f"{name}.parquet")
        return self._frames[name]

    @property
    def truth(self) -> pd.DataFrame:
        return pd.read_csv(self.path / "truth" / "source_people.csv", dtype=str, keep_default_na=False)

    def people_of(self, feed: str) -> pd.DataFrame:
        """The feed's rows with the true person's county record beside them (suffix _true)."""
        truth = self.truth[self.truth.feed == feed.split("/")[0]]
        people = self.table("people").merge(self.table("households")[["household_id", "postcode"]], how="left")
        rows = self.feed(feed).merge(truth, left_on=PERSON_REF.get(feed, "CHILD"), right_on="ref")
        return rows.merge(people, on="person_id", suffixes=("", "_true"))


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    path = tmp_path_factory.mktemp("county")
    generate(path, children=CHILDREN, seed=11, as_of=AS_OF)
    return County(path)


def _hashes(*paths: Path) -> dict[str, str]:
    return {
        str(p.relative_to(path.parent)): hashlib.sha256(p.read_bytes()).hexdigest()
        for path in paths
        for p in sorted(path.rglob("*") if path.is_dir() else [path])
        if p.is_file()
    }


def _feed_files(county: County, kind: str) -> list[Path]:
    single = county.feeds / f"{kind}.csv"
    return [single] if single.exists() else sorted((county.feeds / kind).glob("*.csv"))


def _absence(county: County) -> pd.DataFrame:
    """Per pupil with at least 100 possible sessions: sessions missed, possible, and the share missed."""
    marks = county.feed("attendance")
    category = marks.code.map(ATTENDANCE_CATEGORY)
    marks = marks.assign(absent=category.isin(["authorised", "unauthorised"]), possible=category != "not_counted")
    per = marks.groupby("upn")[["absent", "possible"]].sum()
    per = per[per.possible >= 100]
    per["rate"] = per.absent / per.possible
    truth = county.truth[county.truth.feed == "attendance"].set_index("ref").person_id
    per["person_id"] = truth.loc[per.index].values
    return per


def _social_care(county: County) -> set[str]:
    involvements = county.table("involvements")
    return set(involvements[involvements.kind.isin(["cin", "cp_plan", "looked_after"])].person_id)


# --- the files ------------------------------------------------------------------------------------------------


def test_the_same_seed_writes_byte_identical_feeds_and_another_seed_different_ones(tmp_path: Path) -> None:
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / name, children=400, seed=seed, as_of=AS_OF)
    written = {
        name: _hashes(tmp_path / name / "feeds", tmp_path / name / "feeds-bad", tmp_path / name / "truth")
        for name in "abc"
    }
    assert written["a"] == written["b"]
    assert written["a"]["feeds/attendance.csv"] != written["c"]["feeds/attendance.csv"]
    assert written["a"]["truth/source_people.csv"] != written["c"]["truth/source_people.csv"]


def test_every_feed_file_is_written_with_the_readme_and_counted_in_the_manifest(county: County) -> None:
    manifest = json.loads((county.path / "manifest.json").read_text())
    names = {str(p.relative_to(county.feeds)) for p in county.feeds.rglob("*.csv")}
    assert names == {f"{kind}.csv" for kind in SINGLE} | {
        f"ssda903/{t}.csv" for t in ("header", "episodes", "reviews", "uasc", "missing", "oc2", "oc3")
    } | {f"cin/{t}.csv" for t in ("child", "referrals", "assessments", "section47", "cp_plans", "cin_plans")}
    assert manifest["feeds"] == {name: len(county.feed(name.removesuffix(".csv"))) for name in names}
    assert "synthetic" in (county.feeds / "README.txt").read_text()
    assert not (county.path / ".partial").exists()


def test_every_feed_passes_the_checker_with_warnings_only_for_check_characters(county: County) -> None:
    for kind, feed in FEEDS.items():
        paths = _feed_files(county, kind)
        checked = check_feed(feed, paths, names=[str(p.relative_to(county.feeds)) for p in paths])
        assert not checked.errors, (kind, [str(p) for p in checked.errors[:5]])
        assert {p.field for p in checked.warnings} <= {"upn", "UPN", "nhs_number"}, kind
        assert len(checked.rows) == sum(len(county.feed(str(p.relative_to(county.feeds))[:-4])) for p in paths)
        if kind in ("ssda903", "cin"):  # every table of the return, recognised by its columns
            assert {f.table for f in checked.files} == {t.name for t in feed.tables}


def _codes(kind: str, table: str, column: str) -> set[str]:
    return set(FEEDS[kind].table(table).column(column).codes or {})


def test_every_feed_has_every_column_of_its_table_in_the_catalogue_order(county: County) -> None:
    for kind, feed in FEEDS.items():
        for table in feed.tables:
            name = kind if len(feed.tables) == 1 else f"{kind}/{table.name}"
            header = (county.feeds / f"{name}.csv").read_text().partition("\n")[0].split(",")
            assert header == [c.name for c in table.columns], name


def test_every_code_the_generator_can_write_is_in_the_catalogue() -> None:
    """Checked from the generator's own lists, so a code a small county happens not to draw is checked too."""
    care, events, school = _feeds_care, _feeds_events, _feeds_school
    uses = [
        (school.CODES, ("attendance", "attendance", "code")),
        (school.SUSPENSION_REASONS, ("suspensions", "suspensions", "reason")),
        (events._YJ_OUTCOMES, ("youth_justice", "youth_justice", "outcome")),
        ({**events._OFFENDING, **events._VICTIMISATION}, ("police", "police", "offence_group")),
        (
            {
                **events._SUSPECT_OUTCOMES,
                **events._VICTIM_OUTCOMES,
                **events._DOMESTIC_OUTCOMES,
                **dict.fromkeys(events._CRIME_OUTCOME_OF.values()),
                "1": 0,
            },
            ("police", "police", "outcome"),
        ),
        (events._RISK, ("missing", "missing", "risk")),
        ({*events._INTERVIEW, "PENDING"} - {""}, ("missing", "missing", "return_interview")),
        ({d for group in events._DIAGNOSES.values() for d in group}, ("health", "health", "diagnosis_group")),
        ({**care._LATER_EPISODE, "S": 0}, ("ssda903", "episodes", "RNE")),
        ({*care._FIRST_STATUS, *care._NEXT_STATUS.values()}, ("ssda903", "episodes", "LS")),
        (care._NEED, ("ssda903", "episodes", "CIN")),
        ({*care._FOSTER, "K2", "P1"}, ("ssda903", "episodes", "PLACE")),
        ({*care._FOSTER_PROVIDER, *care._HOME_PROVIDER, "PR0"}, ("ssda903", "episodes", "PLACE_PROVIDER")),
        ({*care._CEASED_YOUNG, *care._CEASED_OLDER, "X1"}, ("ssda903", "episodes", "REC")),
        (care._PLACE_CHANGE, ("ssda903", "episodes", "REASON_PLACE_CHANGE")),
        ({*care._PARTICIPATION, "PN0"}, ("ssda903", "reviews", "REVIEW_CODE")),
        ({*care._SDQ_NOT_RETURNED, "SDQ1"}, ("ssda903", "oc2", "SDQ_REASON")),
        (care._IN_TOUCH, ("ssda903", "oc3", "IN_TOUCH")),
        ({*care._ACTIVITY, "0"}, ("ssda903", "oc3", "ACTIV")),
        ({*care._ACCOMMODATION, "0"}, ("ssda903", "oc3", "ACCOM")),
        (care._SOURCE, ("cin", "referrals", "ReferralSource")),
        ({*care._PRIMARY_NEED, "N0"}, ("cin", "referrals", "PrimaryNeedCode")),
        ({*care._CLOSURE, "RC8"}, ("cin", "referrals", "ReasonForClosure")),
        ({*care._FACTORS, "21"}, ("cin", "assessments", "AssessmentFactors")),
        (care._ABUSE, ("cin", "cp_plans", "InitialCategoryOfAbuse")),
        ({*care._DISABILITY, "NONE"}, ("cin", "child", "Disabilities")),
        ({"UN1", "UN2", "UN5", "UN7"}, ("cin", "child", "UPNunknown")),
        ({"UN1", "UN2", "UN5"}, ("ssda903", "header", "UPN")),
    ]
    for written, where in uses:
        assert set(written) <= _codes(*where), (where, set(written) - _codes(*where))


def test_a_failed_feed_stage_leaves_no_half_county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(out: Path, county: object) -> dict[str, int]:
        (out / "feeds").mkdir()
        (out / "feeds" / "attendance.csv").write_text("upn\n")
        raise OSError("disk full")

    monkeypatch.setattr(_feeds, "write", broken)
    with pytest.raises(OSError):
        generate(tmp_path, children=200, seed=1, as_of=AS_OF)
    assert not (tmp_path / "manifest.json").exists()
    assert not (tmp_path / "feeds").exists() and not (tmp_path / "people.parquet").exists()


# --- the truth ------------------------------------------------------------------------------------------------


def test_the_truth_names_one_county_person_for_every_reference_in_every_feed(county: County) -> None:
    truth = county.truth
    assert list(truth.columns) == ["feed", "ref", "person_id"]
    assert not truth.duplicated(["feed", "ref"]).any()
    assert set(truth.person_id) <= set(county.table("people").person_id)
    for feed, column in PERSON_REF.items():
        assert set(county.feed(feed)[column]) == set(truth[truth.feed == feed].ref), feed
    for feed, tables in (("ssda903", ("header", "episodes", "reviews", "missing")), ("cin", ("child", "referrals"))):
        column = "CHILD" if feed == "ssda903" else "LAchildID"
        refs = set().union(*(set(county.feed(f"{feed}/{t}")[column]) for t in tables))
        assert refs == set(truth[truth.feed == feed].ref), feed


def test_sources_hold_children_by_their_own_references(county: County) -> None:
    police = county.people_of("police")
    nominals = police.groupby("person_id").person_ref.nunique()
    assert (nominals == 2).sum() >= 1  # a child recorded twice by the force
    assert police.person_ref.str.fullmatch(r"N\d{8}").all()
    health = county.people_of("health")
    assert health.person_ref.str.fullmatch(r"(SF|KB)\d{7}").all()
    # One council reference per child across both social care returns.
    truth = county.truth
    in_both = truth[truth.feed.isin(["ssda903", "cin"])].groupby("person_id").ref.nunique()
    assert (in_both == 1).all()


# --- attendance -----------------------------------------------------------------------------------------------


def test_school_days_are_term_time_weekdays_about_190_a_year() -> None:
    first, last = arr.day_number(datetime.date(2024, 4, 1)), arr.day_number(datetime.date(2025, 3, 31))
    days = [arr.date_of(d) for d in _feeds_school.school_days(first, last)]
    assert 185 <= len(days) <= 200
    assert all(is_working_day(d) for d in days)
    assert not any(d.month == 8 for d in days)
    assert datetime.date(2024, 12, 27) not in days and datetime.date(2025, 2, 19) not in days  # Christmas, half term


def test_every_pupil_of_compulsory_school_age_has_a_year_of_marks(county: County) -> None:
    marks = county.feed("attendance")
    people = county.table("people")
    pupils = set(people[people.upn.notna()].person_id)
    truth = county.truth[county.truth.feed == "attendance"]
    assert set(truth.person_id) == pupils
    sessions = marks.groupby("upn").size()
    assert 370 <= sessions.median() <= 400
    assert set(marks.session) == {"AM", "PM"}
    assert set(marks[marks.code == "/"].session) == {"AM"} and set(marks[marks.code == "\\"].session) == {"PM"}
    dates = pd.to_datetime(marks.date.drop_duplicates())
    assert dates.min() > pd.Timestamp(AS_OF) - pd.Timedelta(days=366) and dates.max() <= pd.Timestamp(AS_OF)
    assert set(marks.code) <= set(ATTENDANCE_CATEGORY)


def test_about_one_pupil_in_five_is_persistently_absent_and_one_in_fifty_severely(county: County) -> None:
    per = _absence(county)
    assert len(per) > 1_000
    assert 0.15 <= (per.rate >= 0.1).mean() <= 0.25
    assert 0.005 <= (per.rate >= 0.5).mean() <= 0.04
    assert 0.055 <= per.absent.sum() / per.possible.sum() <= 0.085  # England: about 7% of sessions


def test_children_known_to_social_care_miss_much_more_school(county: County) -> None:
    per = _absence(county)
    known = per.person_id.isin(_social_care(county))
    persistent = per.rate >= 0.1
    assert known.sum() >= 50
    assert persistent[known].mean() >= 1.5 * persistent[~known].mean()


def test_absence_comes_in_spells_mostly_illness_with_some_unauthorised(county: County) -> None:
    marks = county.feed("attendance")
    morning = marks[marks.session == "AM"].sort_values(["upn", "date"])
    ill = (morning.code == "I").to_numpy()
    starts = ill & ~np.r_[False, ill[:-1]]
    assert ill.sum() / starts.sum() > 1.4  # illness runs over consecutive days
    category = marks.code.map(ATTENDANCE_CATEGORY)
    absent = category.isin(["authorised", "unauthorised"])
    assert 0.2 <= (category == "unauthorised").sum() / absent.sum() <= 0.5
    assert (marks.code == "I").sum() > (marks.code == "O").sum()
    present = {"L", "V", "P", "B"}  # late, and approved activities away from school
    assert present <= set(marks.code)
    assert 0 < marks.code.isin(["#", "Y1", "Y4"]).mean() < 0.01  # not counted: rare


def test_a_pupils_name_and_date_of_birth_are_the_same_on_every_mark_at_a_school(county: County) -> None:
    marks = county.feed("attendance")
    per_record = marks.groupby(["upn", "school_urn"])[["given_name", "family_name", "date_of_birth"]].nunique()
    assert (per_record == 1).all().all()


def test_suspended_pupils_are_marked_e_for_the_sessions_they_were_out(county: County) -> None:
    suspensions = county.feed("suspensions")
    marks = county.feed("attendance").set_index(["school_urn", "upn", "date", "session"]).code
    fixed = suspensions[suspensions.category == "SUSP"]
    assert len(fixed) > 0
    for row in fixed.itertuples():
        assert marks.loc[(row.school_urn, row.upn, row.start_date, "AM")] == "E"


def test_suspensions_fall_mostly_on_secondary_pupils_and_children_known_to_social_care(county: County) -> None:
    rows = county.people_of("suspensions")
    assert set(rows.category) <= {"SUSP", "PERM", "LUNC"} and (rows.category == "SUSP").mean() > 0.8
    age = (pd.Timestamp(AS_OF) - pd.to_datetime(rows.date_of_birth_true)).dt.days / 365.25
    assert (age >= 11).mean() > 0.6
    pupils = county.truth[county.truth.feed == "attendance"].person_id.drop_duplicates()
    known = pupils.isin(_social_care(county))
    suspended = pupils.isin(rows.person_id)
    assert suspended[known].mean() > 1.5 * suspended[~known].mean()


# --- the event feeds ---------------------------------------------------------------------------------------------


def test_police_missing_and_youth_justice_see_adolescents_and_children_known_to_services(county: County) -> None:
    for feed, oldest_half in (("police", 9), ("missing", 12), ("youth_justice", 12)):
        rows = county.people_of(feed)
        age = (pd.Timestamp(AS_OF) - pd.to_datetime(rows.date_of_birth_true)).dt.days / 365.25
        assert age.median() >= oldest_half, feed
    police = county.people_of("police")
    suspects = police[police.role == "SUSPECT"]
    assert ((pd.Timestamp(AS_OF) - pd.to_datetime(suspects.date_of_birth_true)).dt.days / 365.25 >= 10).all()
    children = county.table("people")
    children = children[children.is_child]
    known = children.person_id.isin(_social_care(county))
    seen = children.person_id.isin(police.person_id)
    assert seen[known].mean() > 2 * seen[~known].mean()
    # A domestic abuse incident lists every child of the household under one reference.
    domestic = police[police.incident_type == "DOMESTIC"]
    assert (domestic.groupby("incident_ref").size() > 1).any()
    assert set(domestic.role) == {"PRESENT_DA"}


def test_event_dates_fall_in_the_year_and_in_order(county: County) -> None:
    start, end = str(AS_OF - datetime.timedelta(days=365)), str(AS_OF)
    for feed, column in (
        ("police", "occurred_on"),
        ("youth_justice", "outcome_date"),
        ("health", "arrived_at"),
        ("missing", "started_at"),
        ("suspensions", "start_date"),
    ):
        when = county.feed(feed)[column].str[:10]
        assert when.between(start, end).all(), feed
    missing = county.feed("missing")
    back = missing[missing.returned_at != ""]
    assert (back.returned_at >= back.started_at).all()


def test_identity_errors_are_there_in_every_source_but_bounded(county: County) -> None:
    shares = {}
    for feed in ("police", "health", "suspensions", "attendance"):
        rows = county.people_of(feed).drop_duplicates(PERSON_REF[feed])
        given = rows.given_name.str.strip().str.casefold() != rows.given_name_true.str.casefold()
        born = rows.date_of_birth != rows.date_of_birth_true
        shares[feed] = (given.mean(), born.mean())
    police_given, police_born = shares["police"]
    assert 0.03 <= police_given <= 0.4 and 0.02 <= police_born <= 0.2
    assert shares["attendance"][0] <= 0.1 and shares["attendance"][1] <= 0.05
    assert 0 < shares["health"][0] <= 0.2
    police = county.people_of("police")
    assert (police.family_name.str.isupper()).mean() > 0.2  # police systems hold surnames in capitals
    assert (police.postcode.str.replace(" ", "").str.upper() != police.postcode_true.str.replace(" ", "")).mean() < 0.4
    health = county.people_of("health").drop_duplicates("person_ref")
    numbers = health.nhs_number[health.nhs_number != ""]
    assert 0 < (health.nhs_number == "").mean() < 0.2
    assert 0 < (~numbers.map(nhs_number_is_valid)).sum() <= 0.05 * len(numbers)
    upns = county.feed("attendance").upn.drop_duplicates()
    assert (~upns.map(upn_is_valid)).mean() <= 0.02


def test_a_swapped_date_of_birth_is_the_true_one_with_day_and_month_transposed(county: County) -> None:
    swapped = 0
    for feed in ("police", "health", "attendance"):
        rows = county.people_of(feed).drop_duplicates(PERSON_REF[feed])
        written = pd.to_datetime(rows.date_of_birth, errors="coerce")
        true = pd.to_datetime(rows.date_of_birth_true)
        same_year = written.dt.year == true.dt.year
        transposed = same_year & (written.dt.month == true.dt.day) & (written.dt.day == true.dt.month)
        swapped += int((transposed & (written != true)).sum())
    assert swapped >= 1


# --- social care returns ---------------------------------------------------------------------------------------


def test_the_903_and_cin_census_follow_the_county_social_care_involvements(county: County) -> None:
    involvements = county.table("involvements")
    start, end = str(AS_OF - datetime.timedelta(days=364)), str(AS_OF)

    def in_year(kind: str) -> set[str]:
        rows = involvements[involvements.kind == kind]
        during = (rows.start_date <= end) & (rows.end_date.isna() | (rows.end_date >= start))
        return set(rows[during].person_id)

    ssda903 = county.truth[county.truth.feed == "ssda903"]
    assert set(ssda903.person_id) == in_year("looked_after")
    cin = county.truth[county.truth.feed == "cin"]
    assert in_year("cin") <= set(cin.person_id)
    plans = county.people_of("cin/cp_plans") if False else county.feed("cin/cp_plans")
    cin_ids = cin.set_index("ref").person_id
    assert set(cin_ids.loc[plans.LAchildID]) <= in_year("cp_plan") and len(plans) > 0
    referrals = county.feed("cin/referrals")
    assert set(referrals.ReferralNFA) == {"0", "1"}
    episodes = county.feed("ssda903/episodes")
    first = episodes.groupby("CHILD").RNE.first()
    assert (first == "S").mean() > 0.3
    assert (episodes.DEC == "").groupby(episodes.CHILD).sum().max() == 1  # one open episode at most


def test_the_903_and_cin_dates_are_day_month_year(county: County) -> None:
    for name, column in (
        ("ssda903/episodes", "DECOM"),
        ("ssda903/header", "DOB"),
        ("cin/referrals", "CINreferralDate"),
    ):
        assert county.feed(name)[column].str.fullmatch(r"\d{2}/\d{2}/\d{4}").all(), name


# --- the malformed files ---------------------------------------------------------------------------------------


def test_every_feed_has_a_malformed_file_for_every_way_an_extract_goes_wrong(county: County) -> None:
    expected = json.loads((county.path / "feeds-bad" / "expected.json").read_text())
    files = {(e["kind"], e["file"].rsplit("-", 2)[-2] + "-" + e["file"].rsplit("-", 2)[-1]) for e in expected}
    for kind in FEEDS:
        for case in ("unknown-code", "impossible-date", "column-count", "missing-column", "duplicate-key"):
            assert any(k == kind and c.endswith(case + ".csv") for k, c in files), (kind, case)
        assert any(e["kind"] == kind and e["file"].endswith("-empty.csv") for e in expected), kind
        assert any(e["kind"] == kind and e["file"].endswith("-header-only.csv") for e in expected), kind
    for kind in ("attendance", "suspensions", "health", "ssda903", "cin"):
        assert any(e["kind"] == kind and e["warnings_only"] for e in expected), kind
    for kind in SINGLE:
        assert any(e["kind"] == kind and e["file"].endswith("windows-1252.csv") for e in expected), kind
    assert any(e["file"] == "ssda903-unknown-table.csv" for e in expected)
    assert {p.name for p in (county.path / "feeds-bad").iterdir()} == {e["file"] for e in expected} | {"expected.json"}


def test_each_malformed_file_gives_exactly_the_problems_expected(county: County) -> None:
    folder = county.path / "feeds-bad"
    for case in json.loads((folder / "expected.json").read_text()):
        checked = check_feed(FEEDS[case["kind"]], [folder / case["file"]], names=[case["file"]])
        found = [str(p) for p in checked.problems]
        assert len(found) == len(case["problems"]), (case["file"], found)
        for prefix, problem in zip(case["problems"], found, strict=True):
            assert problem.startswith(prefix + ": "), (case["file"], found)
        assert (not checked.errors) == case["warnings_only"], case["file"]
