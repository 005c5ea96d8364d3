"""The programme outcome report on hand-built data: the numbers worked by hand, small numbers never shown."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from continuum.agencies.access import SystemActor
from continuum.audit.models import AuditEvent
from continuum.measures.selectors import TOO_FEW, programme_outcomes
from tests.measures import world as w
from tests.queries import assert_database_query_count

TODAY = datetime.date.today()
START = TODAY - datetime.timedelta(days=365)
BEGAN = TODAY - datetime.timedelta(days=200)
ENDED = TODAY - datetime.timedelta(days=10)
# Six children with parent SDQ totals at entry and exit. By hand: changes -6, -1, -7, 0, -5, -7; mean -26/6 =
# -4.333; their SD is sqrt(47.333 / 5) = 3.0768; t(0.975, 5) = 2.5706, so the 95% interval is
# -4.333 -/+ 2.5706 * 3.0768 / sqrt(6) = -7.562 to -1.104. The entry scores' SD is sqrt(50 / 5) = 3.1623, so the
# effect size is -4.333 / 3.1623 = -1.370, and with the published reliability of the parent total (0.82) a
# reliable change is more than 1.96 * sqrt(2) * 3.1623 * sqrt(0.18) = 3.719 points: 4 improved, 2 did not change.
ENTRY = [20, 18, 22, 16, 25, 19]
EXIT = [14, 17, 15, 16, 20, 12]
GOALS = [(2, 6), (3, 4), (1, 7), (5, 5), (2, 8), (4, 3)]  # changes 4, 1, 6, 0, 6, -1: mean 2.667; 3 reliable (>= 2.45)


def build(world, *, paired: int = 6, entry_only: int = 5, disengaged: int = 2) -> None:
    reasons = ["disengaged"] * disengaged
    for n in range(paired + entry_only):
        person = w.child(world, n)
        reason = reasons.pop() if reasons else "needs_met"
        ep = w.episode(world, person, start=BEGAN, end=ENDED, reason=reason)
        for days, attendance in ((20, "attended"), (40, "attended"), (60, "did_not_attend")):
            w.session(world, ep, BEGAN + datetime.timedelta(days=days), attendance)
        if n < paired:
            w.questionnaire(ep, "entry", ENTRY[n], on=BEGAN)
            w.questionnaire(ep, "exit", EXIT[n], on=ENDED)
            w.goal_ratings(ep, list(GOALS[n]), on=BEGAN)
        else:
            w.questionnaire(ep, "entry", 15, on=BEGAN)
            w.goal_ratings(ep, [3], on=BEGAN)
    # Not in the report's closed children: still open, and closed before the period.
    w.episode(world, w.child(world, 90), start=BEGAN)
    w.episode(
        world, w.child(world, 91), start=START - datetime.timedelta(days=100), end=START - datetime.timedelta(days=1)
    )


def _measure(report, key):
    return next(m for m in report.measures if m.key == key)


def test_the_report_gives_the_numbers_worked_by_hand(world):
    build(world)
    report = programme_outcomes(viewer=world.analyst, programme="power", start=START, end=TODAY)
    assert report.children_started.count == 12 and report.children_closed.count == 11
    # 9 needs met and 2 disengaged: the 2 is hidden, and the 9 with it so it cannot be subtracted back.
    reasons = {row.label: row.shown for row in report.closure_reasons}
    assert reasons["Needs met"] == "suppressed" and reasons["Family disengaged"] == "suppressed"
    assert reasons["Moved away"] == "0"
    sessions = {row.label: row.count for row in report.sessions}
    assert sessions["Attended"] == 22 and sessions["Did not attend"] == 11 and report.attendance_rate == "67%"

    total = _measure(report, "sdq_parent_total")
    assert [row.count for row in total.coverage] == [6, 5, 0]  # paired, entry only (missing exit), no entry
    c = total.change
    assert c.paired == 6 and c.missing_exit == 5
    assert c.mean_change == pytest.approx(-4.333, abs=0.001)
    assert c.ci_low == pytest.approx(-7.562, abs=0.001) and c.ci_high == pytest.approx(-1.104, abs=0.001)
    assert c.effect_size == pytest.approx(-1.370, abs=0.001)
    assert c.reliable_difference == pytest.approx(3.719, abs=0.001)
    assert (c.improved, c.no_change, c.deteriorated) == (4, 2, 0)
    # ... but 4 and 2 children are too few to show: both hidden, the 0 shown.
    assert [row.shown for row in total.reliable] == ["suppressed", "suppressed", "0"]
    # Five started high or very high (20, 18, 22, 25, 19); three left (to 14, 15, 12): too few to show.
    assert total.started_high.count == 5
    assert [row.count for row in total.left_high] == [None, None]
    assert "improved by 4.3 points" in total.summary and "no exit score" in total.summary

    gbo = _measure(report, "gbo")
    assert gbo.change.paired == 6 and gbo.change.missing_exit == 5
    assert gbo.change.mean_change == pytest.approx(16 / 6)
    assert gbo.change.reliable_difference == 2.45
    assert (gbo.change.improved, gbo.change.no_change, gbo.change.deteriorated) == (3, 3, 0)

    audit = AuditEvent.objects.get(event="measures.outcomes_view")
    assert audit.actor_username == "analyst" and audit.person_id is None


def test_fewer_than_five_children_give_no_figure(world):
    build(world, paired=4, entry_only=6, disengaged=0)
    report = programme_outcomes(viewer=world.analyst, programme="power", start=START, end=TODAY)
    total = _measure(report, "sdq_parent_total")
    assert not total.enough and total.change is None and total.reliable is None and total.summary == TOO_FEW
    # 4 paired and 6 with entry only, of 10 closed: the 4 is hidden, and the 6 with it (10 - 6 would give it away).
    assert [row.shown for row in total.coverage] == ["suppressed", "suppressed", "0"]


def test_the_report_page_and_its_download(world, client_for):
    build(world)
    client = client_for("analyst")
    query = {"programme": "power", "since-day": START.day, "since-month": START.month, "since-year": START.year}
    page = client.get("/measures/outcomes/", query)
    assert page.status_code == 200
    body = page.content.decode()
    assert "-4.3" in body and "-7.6 to -1.1" in body and "Outcomes0" not in body and "Child0" not in body
    download = client.get("/measures/outcomes.csv", query)
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    text = download.content.decode()
    assert 'sdq_parent_total,"SDQ, parent or carer: Total difficulties",mean change,-4.33' in text
    assert AuditEvent.objects.filter(event="measures.outcomes_export", actor_username="analyst").count() == 1


def test_the_report_page_says_plainly_when_there_are_too_few(world, client_for):
    build(world, paired=3, entry_only=2, disengaged=0)
    query = {"programme": "power", "since-day": START.day, "since-month": START.month, "since-year": START.year}
    body = client_for("manager").get("/measures/outcomes/", query).content.decode()
    assert "Too few children to show" in body and "Mean at entry" not in body


def test_the_report_page_runs_a_fixed_number_of_queries(world, client_for):
    build(world)
    client = client_for("analyst")
    query = {"programme": "power", "since-day": START.day, "since-month": START.month, "since-year": START.year}
    client.get("/measures/outcomes/", query)
    with assert_database_query_count(19):
        assert client.get("/measures/outcomes/", query).status_code == 200
    build(world, paired=6, entry_only=0, disengaged=0)  # twice the children: no more queries
    with assert_database_query_count(19):
        assert client.get("/measures/outcomes/", query).status_code == 200


@pytest.mark.parametrize("username", ["alice", "dsl_north", "police", "nobody", "frontdoor"])
def test_only_those_who_see_aggregates_open_the_report(world, client_for, username):
    build(world, paired=0, entry_only=0, disengaged=0)
    client = client_for(username)
    for url in ("/measures/outcomes/?programme=power", "/measures/outcomes.csv?programme=power"):
        assert client.get(url).status_code == 403


def test_a_bad_period_or_programme_is_a_form_error(world, client_for):
    client = client_for("analyst")
    body = client.get("/measures/outcomes/", {"programme": "no-such"}).content.decode()
    assert "Choose a programme from the list" in body and "There is a problem" in body
    body = client.get(
        "/measures/outcomes/", {"programme": "power", "since-day": "31", "since-month": "2", "since-year": "2025"}
    ).content.decode()
    assert "must be a real date" in body
    assert not AuditEvent.objects.filter(event="measures.outcomes_view").exists()


def test_the_command_prints_text_and_json(world, capsys):
    build(world)
    call_command("report", "outcomes", "--programme", "power", "--from", START.isoformat(), "--to", TODAY.isoformat())
    text = capsys.readouterr().out
    assert "Children whose episode closed: 11" in text and "change -4.3 (95% CI -7.6 to -1.1)" in text
    call_command(
        "report",
        "outcomes",
        "--programme",
        "power",
        "--from",
        START.isoformat(),
        "--to",
        TODAY.isoformat(),
        "--format",
        "json",
    )
    data = json.loads(capsys.readouterr().out)
    total = next(m for m in data["measures"] if m["key"] == "sdq_parent_total")
    assert data["children_closed"] == 11 and total["mean_change"] == -4.33 and total["ci_low"] == -7.56
    assert total["reliable_change"][0] == {"label": "Reliable improvement", "count": "suppressed"}
    audits = AuditEvent.objects.filter(event="measures.outcomes_view", detail__programme="power")
    assert [a.actor_username.startswith("system (continuum report outcomes") for a in audits] == [True, True]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--programme", "nope", "--from", "2026-01-01", "--to", "2026-02-01"], "no programme 'nope'"),
        (["--programme", "power", "--from", "2026-13-01", "--to", "2026-02-01"], "--from '2026-13-01' is not a date"),
        (["--programme", "power", "--from", "2026-03-01", "--to", "2026-02-01"], "is before --from"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line(world, capsys, arguments, message):
    from continuum.measures.management.commands.report import Command

    # As from the command line (run_from_argv would also close the test's database connection).
    command = Command()
    command._called_from_command_line = True
    options = vars(command.create_parser("continuum", "report").parse_args(["outcomes", *arguments]))
    options.pop("args", None)
    options["skip_checks"] = True  # the test settings' static folder warning is not the command's output
    with pytest.raises(SystemExit) as done:
        command.execute(**options)
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and err.startswith("continuum report: ")
    with pytest.raises(CommandError):
        call_command("report", "outcomes", *arguments)


def test_the_system_may_read_the_report_but_not_anonymous_users(world):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    programme_outcomes(viewer=SystemActor("test"), programme="power", start=START, end=TODAY)
    with pytest.raises(PermissionDenied):
        programme_outcomes(viewer=AnonymousUser(), programme="power", start=START, end=TODAY)


def _course(world, stayed: int, left: int) -> None:
    from continuum.casework.models import Cohort, CohortMember

    cohort = Cohort.objects.create(
        programme=w.programme("strengthening-families"),
        name="Spring course",
        venue="Northgate Academy",
        start_date=BEGAN,
        end_date=ENDED,
        planned_sessions=8,
    )
    for n in range(stayed + left):
        ep = w.episode(world, w.child(world, 200 + n), slug="strengthening-families", start=BEGAN)
        left_on = BEGAN + datetime.timedelta(days=14) if n < left else None
        CohortMember.objects.create(cohort=cohort, episode=ep, joined_on=BEGAN, left_on=left_on)


def test_group_retention_against_the_target_and_never_a_rate_that_gives_a_hidden_count_away(world):
    _course(world, stayed=7, left=5)
    report = programme_outcomes(viewer=world.analyst, programme="strengthening-families", start=START, end=TODAY)
    assert [row.count for row in report.retention] == [7, 5] and report.retention_rate == "58%"
    _course(world, stayed=6, left=2)  # now 13 stayed and 7 left of 20
    report = programme_outcomes(viewer=world.analyst, programme="strengthening-families", start=START, end=TODAY)
    assert report.retention_rate == "65%"


def test_a_rate_is_not_shown_when_one_of_its_counts_is_hidden(world):
    _course(world, stayed=6, left=2)
    report = programme_outcomes(viewer=world.analyst, programme="strengthening-families", start=START, end=TODAY)
    assert [row.shown for row in report.retention] == ["suppressed", "suppressed"] and report.retention_rate == ""
