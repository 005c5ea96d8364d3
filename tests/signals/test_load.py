"""Loading agency feeds (the service): checked first, all or nothing or with a quarantine, idempotent, audited."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
import socket
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from continuum.agencies.access import SystemActor
from continuum.audit.models import AuditEvent
from continuum.signals.feeds import codes
from continuum.signals.models import AttendanceTerm, FeedLoad, SignalEvent, SourcePerson
from continuum.signals.selectors import feed_load_list
from continuum.signals.services import FeedLoadError, load_feed, load_feed_folder, loading
from continuum.synth import generate
from tests.signals.feed_files import (
    ATTENDANCE,
    EPISODES_903,
    HEADER_903,
    HEALTH,
    OC2_903,
    attendance_rows,
    bad_upn,
    episode_row,
    header_row,
    health_row,
    nhs_number,
    police_file,
    police_row,
    upn,
    write,
)

ACTOR = SystemActor("test")


def load(kind: str, *paths: Path, **options):
    return load_feed(actor=ACTOR, kind=kind, paths=list(paths), **options)


def nothing_stored() -> bool:
    return not (SourcePerson.objects.exists() or SignalEvent.objects.exists() or FeedLoad.objects.exists())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- A feed of one table: people and events -------------------------------------------------------------------------


def test_a_police_file_loads_its_people_and_events_with_codes_explained(db, tmp_path):
    path = police_file(tmp_path / "police.csv")
    result = load("police", path)
    assert (result.errors, result.warnings, result.refused) == ([], [], False)
    assert (result.inserted, result.updated, result.unchanged) == (3, 0, 0)
    amy = SourcePerson.objects.get(feed="police", ref="N100")
    assert (amy.given_name, amy.family_name, amy.date_of_birth, amy.sex, amy.postcode) == (
        "Amy",
        "Example",
        datetime.date(2011, 4, 5),
        "F",
        "SW1A 1AA",
    )
    assert amy.first_load_id == amy.last_load_id == result.load_id
    events = SignalEvent.objects.filter(source_person=amy).order_by("occurred_on")
    assert [(e.kind, e.key, e.occurred_on, e.ended_on) for e in events] == [
        ("police_incident", "INC-1|N100", datetime.date(2026, 2, 3), None),
        ("police_incident", "INC-2|N100", datetime.date(2026, 3, 4), None),
    ]
    ben = SignalEvent.objects.get(key="INC-1|N200")
    assert ben.detail["values"]["role"] == "SUSPECT"
    assert ben.detail["meanings"]["role"] == codes.POLICE_ROLE["SUSPECT"]
    assert ben.detail["values"]["arrested"] is True
    assert ben.detail["meanings"]["outcome"] == codes.CRIME_OUTCOME["1"]
    assert "da_notification" not in ben.detail["values"]  # blank cells are left out


def test_the_load_is_recorded_and_audited_with_each_files_checksum(db, tmp_path):
    path = police_file(tmp_path / "police.csv")
    result = load("police", path)
    feed_load = FeedLoad.objects.get()
    assert feed_load.pk == result.load_id
    assert feed_load.files == [{"name": str(path), "table": "police", "sha256": sha256(path), "rows": 3}]
    assert (feed_load.inserted, feed_load.updated, feed_load.unchanged) == (3, 0, 0)
    assert feed_load.loaded_by_id is None and feed_load.loaded_by_name.startswith("system (test, os user ")
    assert feed_load.finished_at >= feed_load.started_at
    audit = AuditEvent.objects.get(event="signals.feed_load")
    assert (audit.action, audit.object_type, audit.object_id) == ("import", "feed_load", str(result.load_id))
    assert audit.detail["files"][0]["sha256"] == sha256(path)
    assert (audit.detail["feed"], audit.detail["inserted"], audit.detail["unchanged"]) == ("police", 3, 0)


def test_the_audit_row_is_in_the_loads_transaction(db, tmp_path, monkeypatch):
    def failing(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(loading, "audit_record", failing)
    with pytest.raises(RuntimeError):
        load("police", police_file(tmp_path / "police.csv"))
    assert nothing_stored()


def test_loading_the_same_file_again_changes_nothing(db, tmp_path):
    path = police_file(tmp_path / "police.csv")
    first = load("police", path)
    again = load("police", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    # Nothing was rewritten: every row still names the first load.
    assert set(SignalEvent.objects.values_list("load_id", flat=True)) == {first.load_id}
    assert set(SourcePerson.objects.values_list("last_load_id", flat=True)) == {first.load_id}
    assert FeedLoad.objects.count() == 2
    assert (SourcePerson.objects.count(), SignalEvent.objects.count()) == (2, 3)


def test_a_corrected_resend_replaces_rows_by_their_source_key(db, tmp_path):
    load("police", police_file(tmp_path / "police.csv"))
    corrected = police_file(
        tmp_path / "police-corrected.csv",
        [
            police_row("INC-1", "N100", role="WITNESS"),
            police_row(
                "INC-2", "N100", occurred_on="2026-03-04", incident_type="ASB", role="WITNESS", offence_group=""
            ),
        ],
    )
    result = load("police", corrected)
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 1)
    event = SignalEvent.objects.get(key="INC-1|N100")
    assert (event.detail["values"]["role"], event.load_id) == ("WITNESS", result.load_id)
    assert SignalEvent.objects.count() == 3  # Ben's row, not in the re-send, stays


def test_a_blank_cell_never_erases_what_the_source_said_before(db, tmp_path):
    load("police", police_file(tmp_path / "police.csv"))
    later = police_file(tmp_path / "later.csv", [police_row("INC-3", "N100", postcode="", date_of_birth="")])
    result = load("police", later)
    assert result.inserted == 1
    amy = SourcePerson.objects.get(ref="N100")
    assert (amy.postcode, amy.date_of_birth) == ("SW1A 1AA", datetime.date(2011, 4, 5))


def test_an_error_in_one_of_two_files_loads_nothing_from_either(db, tmp_path):
    good = police_file(tmp_path / "police-a.csv")
    bad = police_file(
        tmp_path / "police-b.csv",
        [police_row("INC-9", "N900"), police_row("INC-10", "N900", role="BYSTANDER")],
    )
    result = load("police", good, bad)
    assert result.refused
    assert [str(p).split(": ")[0] for p in result.errors] == [f"{bad}:3:role"]
    assert nothing_stored()
    refusal = AuditEvent.objects.get(event="signals.feed_refused")
    assert refusal.detail["errors"] == 1
    assert [f["sha256"] for f in refusal.detail["files"]] == [sha256(good), sha256(bad)]


def test_problems_name_the_file_as_the_caller_named_it(db, tmp_path):
    bad = police_file(tmp_path / "police.csv", [police_row("INC-1", "N1", occurred_on="2026-02-30")])
    result = load_feed(actor=ACTOR, kind="police", paths=[bad], names=["police.csv"])
    assert [str(p).split(": ")[0] for p in result.errors] == ["police.csv:2:occurred_on"]


def test_the_quarantine_holds_exactly_the_bad_rows_and_the_rest_load(db, tmp_path):
    good = police_file(tmp_path / "police-a.csv")
    bad = police_file(
        tmp_path / "police-b.csv",
        [police_row("INC-9", "N900"), police_row("INC-10", "N900", role="BYSTANDER")],
    )
    quarantine = tmp_path / "quarantine"
    result = load("police", good, bad, quarantine=quarantine)
    assert not result.refused
    assert (result.inserted, result.quarantined) == (4, 1)
    assert [str(p).split(": ")[0] for p in result.errors] == [f"{bad}:3:role"]
    assert not SignalEvent.objects.filter(key="INC-10|N900").exists()
    quarantined = [row for path in result.quarantine_files if path.suffix == ".csv" for row in _csv_rows(path)]
    assert [row["incident_ref"] for row in quarantined] == ["INC-10"]
    assert FeedLoad.objects.get().quarantined == 1


def test_a_quarantine_folder_that_cannot_be_written_stops_the_load(db, tmp_path):
    bad = police_file(tmp_path / "police.csv", [police_row("INC-1", "N1"), police_row("INC-2", "N1", role="X")])
    not_a_folder = tmp_path / "quarantine"
    not_a_folder.write_text("a file, not a folder")
    with pytest.raises(FeedLoadError, match=r"^cannot (write|make) the quarantine .*; nothing was loaded$"):
        load("police", bad, quarantine=not_a_folder)
    assert nothing_stored()


def test_a_bad_check_digit_is_a_warning_and_the_number_is_not_used_for_linkage(db, tmp_path):
    good_nhs = nhs_number(5)
    wrong = good_nhs[:9] + str((int(good_nhs[9]) + 1) % 10)
    path = write(
        tmp_path / "health.csv",
        HEALTH,
        [health_row("AE-1", "H1", good_nhs), health_row("AE-2", "H2", wrong, given_name="Dan")],
    )
    result = load("health", path)
    assert result.errors == [] and result.inserted == 2
    assert [str(p).split(": ")[0] for p in result.warnings] == [f"{path}:3:nhs_number"]
    usable = dict(SourcePerson.objects.values_list("ref", "nhs_number_usable"))
    assert usable == {"H1": True, "H2": False}
    assert FeedLoad.objects.get().warnings == 1


def test_an_unknown_feed_is_refused_in_one_line(db, tmp_path):
    with pytest.raises(FeedLoadError, match="unknown feed 'parking': choose one of attendance, suspensions"):
        load("parking", tmp_path / "x.csv")


# --- SSDA903: tables told by their columns, a later year on top ------------------------------------------------------


def _return_903(folder: Path, year: int, episodes: list[dict[str, str]]) -> list[Path]:
    return [
        write(
            folder / f"{year}-header.csv",
            HEADER_903,
            [header_row("C1"), header_row("C2", SEX="2", UPN="UN1", DOB="09/10/2012", ETHNIC="MWBC")],
        ),
        write(folder / f"{year}-episodes.csv", EPISODES_903, episodes),
        write(
            folder / f"{year}-oc2.csv",
            OC2_903,
            [{"CHILD": "C1", "DOB": "05/04/2011", "SDQ_SCORE": "17", "CONVICTED": "0", "HEALTH_CHECK": "1"}],
        ),
    ]


def test_a_903_return_loads_people_with_their_details_and_periods_of_care(db, tmp_path):
    files = _return_903(tmp_path, 2019, [episode_row("C1", "01/04/2019"), episode_row("C2", "15/06/2019")])
    result = load("ssda903", *files)
    assert result.errors == []
    assert (result.inserted, result.updated, result.unchanged) == (5, 0, 0)  # 2 header, 2 episodes, 1 oc2
    c1 = SourcePerson.objects.get(feed="ssda903", ref="C1")
    assert (c1.sex, c1.date_of_birth, c1.ethnicity, c1.upn, c1.upn_usable) == (
        "M",
        datetime.date(2011, 4, 5),
        "WBRI",
        upn(1),
        True,
    )
    assert c1.detail["oc2"]["values"]["SDQ_SCORE"] == 17
    assert c1.detail["oc2"]["meanings"]["CONVICTED"] == codes.CONVICTED["0"]
    c2 = SourcePerson.objects.get(feed="ssda903", ref="C2")
    assert (c2.sex, c2.upn, c2.upn_usable) == ("F", "", False)  # UN1: no UPN (not a failed check, no warning)
    assert result.warnings == []
    episode = SignalEvent.objects.get(source_person=c1)
    assert (episode.table, episode.kind, episode.key, episode.occurred_on, episode.ended_on) == (
        "episodes",
        "care_episode",
        "C1|2019-04-01",
        datetime.date(2019, 4, 1),
        None,
    )
    assert episode.detail["meanings"]["LS"] == codes.LEGAL_STATUS["C2"]


def test_a_later_years_903_return_loads_on_top(db, tmp_path):
    load("ssda903", *_return_903(tmp_path, 2019, [episode_row("C1", "01/04/2019"), episode_row("C2", "15/06/2019")]))
    later = _return_903(
        tmp_path,
        2020,
        [
            # C1's episode, carried over and ended; a new one begins the same day; C2's carried over as it was.
            episode_row("C1", "01/04/2019", DEC="01/09/2019", REC="X1"),
            episode_row("C1", "01/09/2019", RNE="P", PLACE="U3"),
            episode_row("C2", "15/06/2019"),
        ],
    )
    result = load("ssda903", *later)
    assert result.errors == []
    # header x2 and oc2 unchanged, C2's episode unchanged; C1's first episode updated, its second new.
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 4)
    periods = SignalEvent.objects.filter(source_person__ref="C1").order_by("occurred_on")
    assert [(e.occurred_on, e.ended_on) for e in periods] == [
        (datetime.date(2019, 4, 1), datetime.date(2019, 9, 1)),
        (datetime.date(2019, 9, 1), None),
    ]
    assert SignalEvent.objects.count() == 3


def test_a_table_with_only_the_childs_id_does_not_blank_what_the_header_said(db, tmp_path):
    load("ssda903", *_return_903(tmp_path, 2019, [episode_row("C1", "01/04/2019")]))
    episodes_alone = write(tmp_path / "episodes-only.csv", EPISODES_903, [episode_row("C3", "02/02/2020")])
    before = SourcePerson.objects.get(ref="C1")
    result = load("ssda903", episodes_alone)
    assert (result.inserted, result.updated, result.unchanged) == (1, 0, 0)
    after = SourcePerson.objects.get(ref="C1")
    assert (after.date_of_birth, after.upn, after.row_hash) == (before.date_of_birth, before.upn, before.row_hash)
    new = SourcePerson.objects.get(ref="C3")
    assert (new.date_of_birth, new.upn, new.upn_usable) == (None, "", False)


# --- Attendance: marks as Parquet, terms in the store ---------------------------------------------------------------


@pytest.fixture
def feeds_dir(tmp_path, settings):
    settings.FEEDS_DIR = tmp_path / "feeds-store"
    return settings.FEEDS_DIR


def _parquet(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.parquet")) if folder.exists() else []


def _work_left(folder: Path) -> list[Path]:
    """What a load left in the feeds folder's work area (nothing, once it has landed or refused)."""
    work = folder / ".work"
    return sorted(work.iterdir()) if work.exists() else []


AUTUMN_DAYS = ["2025-09-08", "2025-09-09", "2025-09-15"]  # Monday, Tuesday, the next Monday


def test_attendance_marks_land_as_parquet_and_terms_in_the_store(
    db, tmp_path, feeds_dir, django_capture_on_commit_callbacks
):
    pupils = [(upn(11), "Eve"), (bad_upn(12), "Fin")]
    path = write(tmp_path / "attendance.csv", ATTENDANCE, attendance_rows(pupils, AUTUMN_DAYS, ["/", "\\", "O", "I"]))
    with django_capture_on_commit_callbacks(execute=True):
        result = load("attendance", path)
    assert result.errors == []
    assert [str(p).split(": ")[0] for p in result.warnings][:1] == [f"{path}:8:upn"]
    assert (result.inserted, result.updated, result.unchanged) == (12, 0, 0)
    assert _parquet(feeds_dir / "attendance")
    eve = SourcePerson.objects.get(feed="attendance", ref=upn(11))
    assert (eve.given_name, eve.school_urn, eve.upn_usable) == ("Eve", "100001", True)
    assert SourcePerson.objects.get(ref=bad_upn(12)).upn_usable is False
    term = AttendanceTerm.objects.get(source_person=eve)
    assert (term.school_urn, term.term, term.term_start) == ("100001", "autumn", datetime.date(2025, 8, 1))
    # Eve's six marks cycle /, \, O, I: 3 present (/, \ and / again), ... as counted by the marks.
    assert term.possible == 6
    assert term.present + term.authorised + term.unauthorised == term.possible
    assert len(term.weeks) == 2
    assert _work_left(feeds_dir) == []

    with django_capture_on_commit_callbacks(execute=True):
        again = load("attendance", path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 12)
    assert AttendanceTerm.objects.count() == 2


def test_attendance_with_an_error_leaves_no_rows_and_no_parquet(
    db, tmp_path, feeds_dir, django_capture_on_commit_callbacks
):
    rows = attendance_rows([(upn(11), "Eve")], AUTUMN_DAYS, ["/", "\\"])
    rows[3]["code"] = "H"  # withdrawn in August 2024
    path = write(tmp_path / "attendance.csv", ATTENDANCE, rows)
    with django_capture_on_commit_callbacks(execute=True):
        result = load("attendance", path)
    assert result.refused
    assert [str(p).split(": ")[0] for p in result.errors] == [f"{path}:5:code"]
    assert nothing_stored() and not AttendanceTerm.objects.exists()
    assert _parquet(feeds_dir) == [] and _work_left(feeds_dir) == []


def test_attendance_while_another_load_writes_the_store_is_refused_in_one_line(db, tmp_path, feeds_dir):
    store = feeds_dir / "attendance"
    store.mkdir(parents=True)
    (store / ".lock").write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": "now"}))
    path = write(tmp_path / "attendance.csv", ATTENDANCE, attendance_rows([(upn(11), "Eve")], AUTUMN_DAYS, ["/"]))
    with pytest.raises(FeedLoadError, match=r"^another load is writing the attendance store .*; nothing was loaded$"):
        load("attendance", path)
    assert nothing_stored() and _parquet(feeds_dir) == []
    assert _work_left(feeds_dir) == []


# --- The synthetic county: every feed, and its malformed files ------------------------------------------------------


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("county")
    # The smallest county (of a few tried) with a row in every feed's every table.
    generate(out, children=1000, seed=3, as_of=datetime.date(2026, 3, 31))
    return out


def test_every_feed_of_a_synthetic_county_loads_without_errors(
    db, county, feeds_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        results = load_feed_folder(actor=ACTOR, directory=county / "feeds")
    assert sorted(results) == sorted(loading.FEEDS)
    for kind, result in results.items():
        assert result.errors == [], (kind, [str(p) for p in result.errors[:5]])
        assert result.inserted > 0, kind
    assert set(SourcePerson.objects.values_list("feed", flat=True).distinct()) == set(loading.FEEDS)
    assert AttendanceTerm.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        again = load_feed_folder(actor=ACTOR, directory=county / "feeds")
    assert all(r.inserted == r.updated == 0 for r in again.values())


def test_each_malformed_file_of_the_synthetic_county_is_named_by_file_line_and_field(
    db, county, feeds_dir, django_capture_on_commit_callbacks
):
    bad = county / "feeds-bad"
    cases = json.loads((bad / "expected.json").read_text())
    assert cases
    for case in cases:
        path = bad / case["file"]
        paths = [path] if path.is_file() else loading.csv_files(path)
        before = (_stored_counts(), _parquet(feeds_dir))
        with django_capture_on_commit_callbacks(execute=True):
            result = load_feed(
                actor=ACTOR, kind=case["kind"], paths=paths, names=[str(p.relative_to(bad)) for p in paths]
            )
        reported = [str(p) for p in (result.warnings if case["warnings_only"] else result.errors)]
        for expected in case["problems"]:
            assert any(line.startswith(expected) for line in reported), (case, reported)
        if case["warnings_only"]:
            assert not result.refused, case
        else:
            assert result.refused, case
            assert (_stored_counts(), _parquet(feeds_dir)) == before, case


def _stored_counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (FeedLoad, SourcePerson, SignalEvent, AttendanceTerm))


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_administrators_see_the_recent_loads_and_practitioners_do_not(world, tmp_path):
    first = load("police", police_file(tmp_path / "police.csv"))
    second = load("police", police_file(tmp_path / "police.csv"))
    assert [fl.pk for fl in feed_load_list(viewer=world.admin)] == [second.load_id, first.load_id]
    assert list(feed_load_list(viewer=world.admin, feed="health")) == []
    with pytest.raises(PermissionDenied):
        feed_load_list(viewer=world.alice)
