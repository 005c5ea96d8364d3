"""The attendance protocol in the platform: who is in it and who is told, raising alerts (idempotent), the email
that names no child, the pages and their follow-up (only the worker and their team manager), the measure, the
home-page panel, query counts and the command.

The marks are real (landed by the marks loader in a store under FEEDS_DIR); which pupil is which child is linkage's
answer (signals.selectors.pupils_table, tested with linkage), given here as a table so each test says it.
"""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from continuum.agencies.access import SystemActor
from continuum.agencies.models import Practitioner
from continuum.agencies.selectors import open_involvement_workers
from continuum.agencies.services import allocation_add, involvement_open
from continuum.audit.models import AuditEvent
from continuum.people.services import person_create
from continuum.signals.models import AttendanceAlert
from continuum.signals.protocol import load_rules
from continuum.signals.selectors.alerts import follow_up_times, follow_up_times_for
from continuum.signals.services import alert_follow_up, raise_attendance_alerts
from tests.conftest import ACCOUNTS, years_ago
from tests.queries import assert_database_query_count
from tests.signals.alerts_marks import at, land, present, pupil, pupils_of, with_marks

SYSTEM = SystemActor("test")
TODAY = datetime.date.today()
# The latest school day up to today: the run of absence ends on it.
LAST = max(d for d in (TODAY - datetime.timedelta(days=n) for n in range(7)) if d.weekday() < 5)
AMY_UPN, BEN_UPN, CARA_UPN = pupil(11), pupil(12), pupil(13)
RULES = load_rules()


def missed() -> list:
    """Four weeks present, then three unexplained absences ending on the latest school day."""
    return with_marks(present(LAST, 20), at(LAST, "N O N"))


@pytest.fixture
def county(world, tmp_path, settings, monkeypatch):
    """amy (early help, alice allocated) and ben (child in need, bob allocated) each miss three sessions without an
    explanation; cara (nobody works with her) misses them too."""
    settings.FEEDS_DIR = tmp_path / "feeds"
    land(tmp_path, {AMY_UPN: missed(), BEN_UPN: missed(), CARA_UPN: missed()})
    linked = {AMY_UPN: str(world.amy.pk), BEN_UPN: str(world.ben.pk), CARA_UPN: str(world.cara.pk)}
    monkeypatch.setattr("continuum.signals.services.alerts.pupils_table", lambda: pupils_of(linked))
    return world


def raise_now(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return raise_attendance_alerts(actor=SYSTEM, as_of=kwargs.pop("as_of", TODAY), **kwargs)


def amy_alert(world) -> AttendanceAlert:
    return AttendanceAlert.objects.get(person=world.amy, rule="consecutive")


# --- Raising ---------------------------------------------------------------------------------------------------------


def test_each_run_raises_one_alert_for_the_allocated_worker(county, django_capture_on_commit_callbacks):
    result = raise_now(django_capture_on_commit_callbacks)
    alerts = {(a.person_id, a.rule): a for a in AttendanceAlert.objects.all()}
    assert set(alerts) == {(county.amy.pk, "consecutive"), (county.ben.pk, "consecutive")}  # not cara: nobody works
    amy = alerts[(county.amy.pk, "consecutive")]
    assert amy.recipient == county.alice.practitioner
    assert alerts[(county.ben.pk, "consecutive")].recipient == county.bob.practitioner
    assert amy.key == f"{county.amy.pk}|consecutive|{amy.first_absence.isoformat()}"
    assert amy.last_absence == LAST and amy.school_urn == "100001"
    assert [s["code"] for s in amy.evidence["absences"]] == ["N", "O", "N"]
    assert amy.emailed_at is not None and amy.followed_up_at is None
    assert (result.raised, result.already_raised, result.recipients, result.emailed) == (2, 0, 2, 2)
    assert result.by_rule == {"consecutive": 2} and result.children == 2 and result.unallocated == 0
    audit = AuditEvent.objects.get(event="signals.alerts_raise")
    assert audit.action == "create" and audit.detail["raised"] == 2 and audit.actor_username.startswith("system")
    assert audit.detail["people"] == sorted([str(county.amy.pk), str(county.ben.pk)])


def test_running_it_again_raises_nothing_new_and_emails_nobody(county, django_capture_on_commit_callbacks):
    raise_now(django_capture_on_commit_callbacks)
    first = set(AttendanceAlert.objects.values_list("pk", "key"))
    sent = len(mail.outbox)
    again = raise_now(django_capture_on_commit_callbacks)
    assert (again.raised, again.already_raised, again.recipients, again.emailed) == (0, 2, 0, 0)
    assert set(AttendanceAlert.objects.values_list("pk", "key")) == first
    assert len(mail.outbox) == sent
    assert AuditEvent.objects.filter(event="signals.alerts_raise").count() == 2  # each run is recorded


def test_the_run_going_on_the_next_day_is_still_the_same_alert(
    county, tmp_path, settings, django_capture_on_commit_callbacks
):
    raise_now(django_capture_on_commit_callbacks, as_of=LAST - datetime.timedelta(days=7))  # before the run: none
    assert not AttendanceAlert.objects.exists()
    raise_now(django_capture_on_commit_callbacks, as_of=LAST)
    later = LAST + datetime.timedelta(days=3 if LAST.weekday() == 4 else 1)
    land(tmp_path / "later", {AMY_UPN: at(later, "N N")}, store=settings.FEEDS_DIR / "attendance")
    again = raise_now(django_capture_on_commit_callbacks, as_of=later)
    # Five absences in forty sessions is now also a spell below 90%: that is new; the run is the same alert.
    assert again.by_rule == {"low_rate": 1}
    assert AttendanceAlert.objects.filter(person=county.amy, rule="consecutive").count() == 1


def test_an_email_tells_each_worker_how_many_alerts_and_nothing_about_any_child(
    county, django_capture_on_commit_callbacks
):
    allocation_add(
        actor=SYSTEM, person=county.ben, practitioner=county.alice.practitioner, kind="lead", start_date=years_ago(0, 1)
    )
    raise_now(django_capture_on_commit_callbacks)
    [email] = mail.outbox  # alice has both alerts now (ben's latest lead allocation): one email
    assert email.to == ["alice@example.org"]
    assert "You have 2 new attendance alerts" in email.body and "2 new attendance alerts" in email.subject
    assert reverse("signals:alerts") in email.body
    words = f"{email.subject}\n{email.body}".lower()
    for child in (county.amy, county.ben):
        assert child.given_name.lower() not in words and child.family_name.lower() not in words
        assert str(child.pk) not in words
        assert child.date_of_birth.isoformat() not in words
        assert f"{child.date_of_birth:%-d %B %Y}".lower() not in words
    for upn in (AMY_UPN, BEN_UPN, county.amy.upn):
        assert upn.lower() not in words
    assert "100001" not in words  # not even the school


def test_a_worker_without_an_email_address_still_gets_the_alert(county, django_capture_on_commit_callbacks):
    Practitioner.objects.filter(pk=county.alice.practitioner.pk).update(email="")
    type(county.alice).objects.filter(pk=county.alice.pk).update(email="")
    result = raise_now(django_capture_on_commit_callbacks)
    assert result.raised == 2 and result.emailed == 1 and [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert amy_alert(county).emailed_at is None


def test_a_child_with_nobody_allocated_is_counted_and_raises_no_alert(county, django_capture_on_commit_callbacks):
    involvement_open(
        actor=SYSTEM, person=county.cara, agency=county.agencies["eh"], kind="early_help", start_date=years_ago(0, 5)
    )
    result = raise_now(django_capture_on_commit_callbacks)
    assert (result.children, result.unallocated, result.unallocated_runs) == (3, 1, 1)
    assert not AttendanceAlert.objects.filter(person=county.cara).exists()


# --- Who is in the protocol, and who is told --------------------------------------------------------------------------


def _child(world, name: str):
    return person_create(
        actor=world.frontdoor, given_name=name, family_name="Testchild", date_of_birth=years_ago(12), sex="F"
    )


def test_the_recipient_is_the_lead_allocation_else_the_involvements_lead_practitioner(world):
    a, eh, csc, yjs = world.agencies, world.alice.practitioner, world.bob.practitioner, world.manager.practitioner
    kinds = RULES.involvement_kinds
    allocated = _child(world, "Allocated")
    involvement_open(actor=SYSTEM, person=allocated, agency=a["eh"], kind="early_help", start_date=years_ago(0, 9))
    involvement_open(
        actor=SYSTEM, person=allocated, agency=a["csc"], kind="cin", start_date=years_ago(0, 9), lead_practitioner=csc
    )
    allocation_add(actor=SYSTEM, person=allocated, practitioner=eh, kind="lead", start_date=years_ago(0, 9))
    by_kind = _child(world, "Bykind")  # no allocation: the first kind in the settings' order that has a lead
    involvement_open(
        actor=SYSTEM,
        person=by_kind,
        agency=a["eh"],
        kind="early_help",
        start_date=years_ago(0, 2),
        lead_practitioner=eh,
    )
    involvement_open(
        actor=SYSTEM, person=by_kind, agency=a["csc"], kind="cin", start_date=years_ago(0, 9), lead_practitioner=csc
    )
    team_only = _child(world, "Teamonly")  # in the team around the family is not the allocated worker
    involvement_open(actor=SYSTEM, person=team_only, agency=a["eh"], kind="early_help", start_date=years_ago(0, 9))
    allocation_add(
        actor=SYSTEM, person=team_only, practitioner=yjs, kind="team_around_family", start_date=years_ago(0, 9)
    )
    roll_only = _child(world, "Rollonly")
    involvement_open(actor=SYSTEM, person=roll_only, agency=a["northgate"], kind="school_roll", start_date=years_ago(1))
    allocation_add(actor=SYSTEM, person=roll_only, practitioner=eh, kind="lead", start_date=years_ago(0, 9))
    workers = open_involvement_workers(kinds=kinds)
    assert workers[allocated.pk] == eh.pk
    assert workers[by_kind.pk] == csc.pk
    assert workers[team_only.pk] is None
    assert roll_only.pk not in workers  # on a school roll only: not in the protocol
    assert world.amy.pk in workers and workers[world.amy.pk] == eh.pk
    assert world.dan.pk not in workers and world.cara.pk not in workers  # closed last year; nobody
    # CAMHS is not among the packaged kinds: amy is in through early help, not CAMHS.
    assert workers == open_involvement_workers(kinds=kinds, on=TODAY)


# --- The measure -----------------------------------------------------------------------------------------------------


def test_the_measure_is_the_median_and_90th_percentile_of_days_to_follow_up():
    def at_noon(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    monday = datetime.date(2025, 3, 3)
    pairs = [(monday, at_noon(monday + datetime.timedelta(days=n))) for n in (1, 2, 2, 3, 4, 5, 6, 7, 8, 20)]
    pairs += [(monday, None), (monday, None)]
    times = follow_up_times(pairs)
    assert (times.followed_up, times.waiting) == (10, 2)
    assert times.median_days == 4.5  # between the fifth (4) and sixth (5) of ten
    assert times.p90_days == 8  # nearest rank: the ninth of ten
    assert follow_up_times([]).median_days is None and follow_up_times([(monday, None)]).waiting == 1


def test_the_measure_over_the_store_counts_the_recipients_alerts(county, django_capture_on_commit_callbacks):
    raise_now(django_capture_on_commit_callbacks)
    alert_follow_up(actor=county.alice, alert_id=amy_alert(county).pk, action="contacted_family", note="")
    mine = follow_up_times_for(recipient_ids=[county.alice.practitioner.pk])
    assert (mine.followed_up, mine.waiting, mine.median_days) == (1, 0, (TODAY - LAST).days)
    assert follow_up_times_for().waiting == 1


# --- Following up ----------------------------------------------------------------------------------------------------


def test_the_worker_records_a_follow_up_once_and_it_is_audited(county, django_capture_on_commit_callbacks):
    raise_now(django_capture_on_commit_callbacks)
    alert = amy_alert(county)
    done = alert_follow_up(actor=county.alice, alert_id=alert.pk, action="home_visit", note="  Saw Amy and mum  ")
    assert (done.follow_up, done.follow_up_note, done.followed_up_by) == ("home_visit", "Saw Amy and mum", county.alice)
    event = AuditEvent.objects.get(event="signals.alert_follow_up")
    assert event.person_id == county.amy.pk and event.action == "update" and event.detail["action"] == "home_visit"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already been recorded"):
        alert_follow_up(actor=county.manager, alert_id=alert.pk, action="other", note="Again")


@pytest.mark.parametrize(
    ("action", "note", "field"),
    [
        ("", "", "action"),
        ("phoned_the_pope", "", "action"),
        ("other", "", "note"),
        ("no_further_action", "   ", "note"),
        ("contacted_family", "x" * 2001, "note"),
    ],
)
def test_a_follow_up_without_what_was_done_is_refused_and_nothing_saved(
    county, django_capture_on_commit_callbacks, action, note, field
):
    from django.core.exceptions import ValidationError

    raise_now(django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        alert_follow_up(actor=county.alice, alert_id=amy_alert(county).pk, action=action, note=note)
    assert field in refused.value.message_dict
    assert amy_alert(county).followed_up_at is None


# Who may read and follow up amy's alert (alice is her worker; manager leads alice's team). Everyone else gets the
# same audited 404 as an alert that does not exist.
HANDLES = {"alice", "manager"}


@pytest.mark.parametrize("username", [*ACCOUNTS, "nobody"])
def test_only_the_worker_and_their_team_manager_see_or_follow_up_an_alert(
    county, client_for, django_capture_on_commit_callbacks, username
):
    raise_now(django_capture_on_commit_callbacks)
    alert = amy_alert(county)
    client = client_for(username)
    url = reverse("signals:alert", args=[alert.pk])
    page = client.get(url)
    posted = client.post(url, {"action": "contacted_family", "note": "Phoned"})
    if username in HANDLES:
        assert page.status_code == 200 and b"Ashdown" in page.content
        assert posted.status_code == 302 and posted.url == reverse("signals:alerts")
        assert amy_alert(county).followed_up_by == county.users[username]
    else:
        assert page.status_code == 404 and posted.status_code == 404
        assert b"Ashdown" not in page.content + posted.content
        assert amy_alert(county).followed_up_at is None
        refused = AuditEvent.objects.filter(
            event="signals.alert_view", action="refused", actor_id=client.session["_auth_user_id"]
        )
        assert refused.count() == 2 and refused.first().person_id == county.amy.pk
    listing = client.get(reverse("signals:alerts"))
    may_list = username not in ("analyst", "admin", "nobody")  # roles that open no child's record
    assert listing.status_code == (200 if may_list else 403)
    assert (b"Ashdown" in listing.content) == (username in HANDLES)


def test_a_lead_professional_of_another_role_is_told_and_follows_up(
    county, client_for, django_capture_on_commit_callbacks
):
    """A school's designated safeguarding lead as the child's lead professional (the latest lead allocation)."""
    dsl = county.dsl_north
    allocation_add(
        actor=SYSTEM, person=county.amy, practitioner=dsl.practitioner, kind="lead", start_date=years_ago(0, 1)
    )
    raise_now(django_capture_on_commit_callbacks)
    assert amy_alert(county).recipient == dsl.practitioner
    client = client_for("dsl_north")
    assert "You have 1 attendance alert to follow up." in client.get(reverse("home")).content.decode()
    done = client.post(reverse("signals:alert", args=[amy_alert(county).pk]), {"action": "school_plan", "note": ""})
    assert done.status_code == 302 and amy_alert(county).followed_up_by == dsl
    assert client_for("alice").get(reverse("signals:alert", args=[amy_alert(county).pk])).status_code == 404


def test_the_service_refuses_anyone_but_the_worker_and_their_manager(county, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    raise_now(django_capture_on_commit_callbacks)
    for someone in ("bob", "cscmanager", "frontdoor", "dsl_north", "camhs", "analyst", "admin"):
        with pytest.raises(PermissionDenied):
            alert_follow_up(actor=county.users[someone], alert_id=amy_alert(county).pk, action="other", note="x")
    with pytest.raises(PermissionDenied):
        alert_follow_up(actor=county.alice, alert_id="not-an-id", action="other", note="x")


def test_a_worker_who_may_no_longer_open_the_child_no_longer_sees_the_alert(county, django_capture_on_commit_callbacks):
    from continuum.agencies.models import Allocation, Involvement

    raise_now(django_capture_on_commit_callbacks)
    alert = amy_alert(county)
    Allocation.objects.filter(person=county.amy).update(end_date=TODAY)
    Involvement.objects.filter(person=county.amy, agency=county.agencies["eh"]).update(end_date=TODAY)
    client = client_for_user(county.alice)
    assert client.get(reverse("signals:alert", args=[alert.pk])).status_code == 404
    assert b"Ashdown" not in client.get(reverse("signals:alerts")).content


def client_for_user(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- The pages -------------------------------------------------------------------------------------------------------


def test_the_list_shows_waiting_alerts_first_and_the_measure(county, client_for, django_capture_on_commit_callbacks):
    allocation_add(
        actor=SYSTEM, person=county.ben, practitioner=county.alice.practitioner, kind="lead", start_date=years_ago(0, 1)
    )
    raise_now(django_capture_on_commit_callbacks)
    ben = AttendanceAlert.objects.get(person=county.ben)
    alert_follow_up(actor=county.alice, alert_id=ben.pk, action="school_plan", note="")
    page = client_for("alice").get(reverse("signals:alerts")).content.decode()
    waiting, followed = page.index("Waiting for a follow-up</h2>"), page.index(">Followed up</h2>")
    assert waiting < page.index("Amy Ashdown") < followed < page.index("Benjamin Carter")
    assert "The school agreed a plan with the family" in page
    days = (TODAY - LAST).days
    assert f"{days} day{'' if days == 1 else 's'}" in page
    assert AuditEvent.objects.filter(event="signals.alert_view", action="view", actor_id=county.alice.pk).exists()
    team = client_for("manager").get(reverse("signals:alerts")).content.decode()
    assert "Your team&#39;s attendance alerts" in team and "Alice Tester" in team


def test_the_alert_page_shows_the_evidence_and_the_follow_up_form(
    county, client_for, django_capture_on_commit_callbacks
):
    raise_now(django_capture_on_commit_callbacks)
    alert = amy_alert(county)
    page = client_for("alice").get(reverse("signals:alert", args=[alert.pk])).content.decode()
    assert "<title>Attendance alert - " in page  # the title names the page, never the child
    assert "Reason for absence not yet established" in page and "Absent in other or unknown circumstances" in page
    assert "3 possible sessions in a row" in page
    for code, words in RULES.actions.items():
        assert f'value="{code}"' in page and words in page
    viewed = AuditEvent.objects.get(event="signals.alert_view", object_id=str(alert.pk))
    assert viewed.person_id == county.amy.pk


def test_a_follow_up_form_with_mistakes_shows_the_error_summary_and_saves_nothing(
    county, client_for, django_capture_on_commit_callbacks
):
    raise_now(django_capture_on_commit_callbacks)
    alert = amy_alert(county)
    client = client_for("alice", csrf=False)
    url = reverse("signals:alert", args=[alert.pk])
    for data, message in (
        ({}, "Select what you did about the absence"),
        ({"action": "<script>"}, "Select an action"),
        ({"action": "other", "note": ""}, "needs a note"),
        ({"action": "home_visit", "note": "x" * 2001}, "2,000 characters or fewer"),
    ):
        response = client.post(url, data)
        body = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in body and message in body, data
        assert "<title>Error: Attendance alert" in body
    assert amy_alert(county).followed_up_at is None
    done = client.post(url, {"action": "other", "note": "Met the family at school"})
    assert done.status_code == 302
    shown = client.get(url).content.decode()
    assert "Met the family at school" in shown and 'name="action"' not in shown
    again = client.post(url, {"action": "home_visit", "note": ""})
    assert again.status_code == 200 and "already been recorded" in again.content.decode()


def test_the_home_page_says_how_many_alerts_wait(county, client_for, django_capture_on_commit_callbacks):
    assert "attendance alert" not in client_for("alice").get(reverse("home")).content.decode()
    raise_now(django_capture_on_commit_callbacks)
    home = client_for("alice").get(reverse("home")).content.decode()
    assert "You have 1 attendance alert to follow up." in home and reverse("signals:alerts") in home
    assert (
        "Your team has 1 attendance alert to follow up." in client_for("manager").get(reverse("home")).content.decode()
    )
    for other in ("frontdoor", "dsl_north", "analyst"):
        assert "attendance alert" not in client_for(other).get(reverse("home")).content.decode()
    alert_follow_up(actor=county.alice, alert_id=amy_alert(county).pk, action="contacted_family", note="")
    assert "attendance alert" not in client_for("alice").get(reverse("home")).content.decode()


# Exact query counts (the pages read a fixed number of rows, whatever the number of alerts).
LIST_QUERIES = 13
DETAIL_QUERIES = 12


def test_the_pages_take_a_fixed_number_of_queries(county, client_for, django_capture_on_commit_callbacks):
    allocation_add(
        actor=SYSTEM, person=county.ben, practitioner=county.alice.practitioner, kind="lead", start_date=years_ago(0, 1)
    )
    raise_now(django_capture_on_commit_callbacks)
    client = client_for("alice")
    alert = amy_alert(county)
    client.get(reverse("signals:alerts"))
    with assert_database_query_count(LIST_QUERIES):
        client.get(reverse("signals:alerts"))
    with assert_database_query_count(DETAIL_QUERIES):
        client.get(reverse("signals:alert", args=[alert.pk]))
    alert_follow_up(actor=county.alice, alert_id=alert.pk, action="contacted_family", note="")
    with assert_database_query_count(LIST_QUERIES):
        client.get(reverse("signals:alerts"))


# --- The command ------------------------------------------------------------------------------------------------------


def test_the_command_raises_the_alerts_and_says_what_it_did(county, django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # (run by cron, the emails go as the alerts commit)
        call_command("signals", "alerts", "--as-of", TODAY.isoformat(), stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert f"Attendance protocol as at {TODAY.isoformat()}: 2 children with an open involvement" in text
    assert "2 new alerts (2 consecutive), 0 raised before, for 2 workers;" in text
    assert len(mail.outbox) == 2
    out = io.StringIO()
    call_command("signals", "alerts", "--as-of", TODAY.isoformat(), stdout=out, stderr=io.StringIO())
    assert "0 new alerts, 2 raised before" in out.getvalue()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("yesterday", "is not a date written YYYY-MM-DD"),
        ("2025-02-30", "is not a date written YYYY-MM-DD"),
        ("2025-3-1", "is not a date written YYYY-MM-DD"),
        ("2999-01-01", "is in the future"),
    ],
)
def test_the_command_refuses_a_bad_date_in_one_line(db, given, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("signals", "alerts", "--as-of", given, stdout=io.StringIO(), stderr=io.StringIO())
    assert "\n" not in str(refused.value)


def test_the_command_refuses_broken_settings_naming_the_file_and_entry(db, settings, tmp_path):
    broken = tmp_path / "protocol.toml"
    broken.write_text(Path(RULES.path).read_text().replace("sessions = 3", "sessions = -1"))
    settings.ATTENDANCE_PROTOCOL_PATH = broken
    with pytest.raises(CommandError, match=rf"^{broken}: \[consecutive\] sessions: must be from 1 to 200, not -1$"):
        call_command("signals", "alerts", stdout=io.StringIO(), stderr=io.StringIO())
    assert not AttendanceAlert.objects.exists() and not AuditEvent.objects.filter(event="signals.alerts_raise")


CONTINUUM = Path(sys.executable).parent / "continuum"


def test_the_command_line_says_one_line_and_no_traceback(tmp_path):
    """As cron runs it: a mistake is one line on stderr and status 1; on an empty county it raises nothing."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "CONTINUUM_VAR_DIR": str(tmp_path),
        "CONTINUUM_SECRET_KEY": "test-only-secret-key-for-the-alerts-command-0123456789",
    }
    (tmp_path / "vendor").mkdir()
    subprocess.run([str(CONTINUUM), "migrate", "--verbosity", "0"], env=env, check=True, timeout=600)
    for bad in (["--as-of", "31/12/2025"], ["--as-of", "2999-01-01"]):
        failed = subprocess.run(
            [str(CONTINUUM), "signals", "alerts", *bad], env=env, capture_output=True, text=True, timeout=300
        )
        assert failed.returncode == 1, failed.stderr
        assert "Traceback" not in failed.stderr and len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    ran = subprocess.run([str(CONTINUUM), "signals", "alerts"], env=env, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    assert "0 new alerts" in ran.stdout
