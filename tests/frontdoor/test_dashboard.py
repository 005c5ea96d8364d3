"""The front door's figures and school engagement, worked out by hand on a small year, for each kind of reader."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from continuum.audit.models import AuditEvent
from continuum.frontdoor.models import Referral
from continuum.programmes.models import Programme
from continuum.workingdays import working_days_between
from tests.frontdoor.figures_world import JUNE, at, decide, june, refer
from tests.frontdoor.page import Figures, csv_rows
from tests.queries import assert_database_query_count

DASHBOARD = reverse("frontdoor:dashboard")
CSV = reverse("frontdoor:dashboard_csv")
SCHOOLS = reverse("frontdoor:schools")
ZERO_SOURCES = ("Children's social care", "Early help", "CAMHS", "Youth justice", "Voluntary sector")


@pytest.fixture
def year(world, catalogue):
    return june(world, catalogue)


def test_the_june_working_days_are_as_the_world_says():
    assert working_days_between(datetime.date(2025, 6, 2), datetime.date(2025, 6, 2)) == 0
    assert working_days_between(datetime.date(2025, 6, 6), datetime.date(2025, 6, 9)) == 1
    assert working_days_between(datetime.date(2025, 6, 9), datetime.date(2025, 6, 12)) == 3
    assert working_days_between(datetime.date(2025, 6, 10), datetime.date(2025, 6, 24)) == 10
    assert working_days_between(datetime.date(2025, 4, 17), datetime.date(2025, 4, 22)) == 1  # Easter


def test_the_front_door_sees_every_figure_in_full(year, client_for, catalogue):
    page = Figures(client_for("frontdoor").get(DASHBOARD, JUNE).content.decode())
    assert (page.spans["referrals-total"], page.spans["decisions-total"]) == ("5", "4")
    sources = page.counts("Referrals by the kind of agency that made them")
    assert (sources["School"], sources["Police"], sources["Health"]) == ("2", "2", "1")
    assert all(sources[kind] == "0" for kind in ZERO_SOURCES)
    reasons = page.counts("Referrals by reason")
    assert {k: v for k, v in reasons.items() if v != "0"} == {
        "Emotional wellbeing": "2",
        "School attendance": "1",
        "Domestic abuse": "2",
        "Mental health": "1",
        "Behaviour": "1",
    }
    assert page.counts("Decisions by route") == {
        "No further action": "1",
        "Advice and signposting": "0",
        "An early-help programme": "2",
        "Step up to children's social care": "1",
        "Add to an existing episode of support": "0",
    }
    assert list(page.counts("Decisions by level of need").values()) == ["1", "1", "1", "1"]
    assert list(page.counts("Time from referral to first decision, against the target of 1 working day").values()) == [
        "2",
        "1",
        "1",
        "1",
    ]
    assert list(page.counts("Re-referrals within 12 months").values()) == ["3", "1", "1"]
    assert list(page.counts("Decided referrals that went on to a programme").values()) == ["1", "1", "0", "2"]
    waits = {row[0]: row[1:] for row in page.tables["Waiting lists"][1:]}
    power, staying_together = catalogue["power"].name, catalogue["staying-together"].name
    assert waits == {power: ["0", "1", "1", "7"], staying_together: ["1", "1", "0", "none ended"]}


def test_each_chart_says_what_its_table_says(year, client_for):
    page = Figures(client_for("frontdoor").get(DASHBOARD, JUNE).content.decode())
    first = page.charts[0]
    assert list(zip(first[0::2], first[1::2], strict=True)) == list(
        page.counts("Referrals by the kind of agency that made them").items()
    )
    assert len(page.charts) == 8  # seven tables and the waiting lists


def test_a_target_of_three_working_days_moves_the_bands(year, client_for, settings):
    settings.DECISION_TARGET_WORKING_DAYS = 3
    page = Figures(client_for("frontdoor").get(DASHBOARD, JUNE).content.decode())
    times = page.counts("Time from referral to first decision, against the target of 3 working days")
    assert list(times.values()) == ["3", "0", "1", "1"]  # 10 working days is 7 over the target


def test_the_default_period_is_the_last_twelve_months(year, client_for):
    today = timezone.localdate()
    recent = refer(year.referrals["r1"].person, year.referrals["r1"].referrer_agency, at(today.isoformat(), "00:30"))
    decide(recent, at(today.isoformat(), "01:00"), 1, "advice")
    html = client_for("frontdoor").get(DASHBOARD).content.decode()
    page = Figures(html)
    assert page.spans["referrals-total"] == "1"
    assert f"to {today.day} {today:%B %Y}" in html


def test_an_analyst_sees_small_numbers_suppressed(year, client_for):
    page = Figures(client_for("analyst").get(DASHBOARD, JUNE).content.decode())
    assert page.spans["referrals-total"] == "5" and page.spans["decisions-total"] == "fewer than 5"
    sources = page.counts("Referrals by the kind of agency that made them")
    assert (sources["School"], sources["Police"], sources["Health"]) == ("suppressed",) * 3
    assert all(sources[kind] == "0" for kind in ZERO_SOURCES)
    assert set(page.counts("Referrals by reason").values()) == {"0", "fewer than 5"}
    assert "suppressed" not in page.counts("Referrals by reason").values()
    # One child waiting now, on one list: no choice of hidden counts protects that table.
    assert "Waiting lists" not in page.tables


def test_a_team_manager_sees_the_figures_suppressed_too(year, client_for):
    page = Figures(client_for("manager").get(DASHBOARD, JUNE).content.decode())
    assert page.counts("Decisions by route")["An early-help programme"] == "suppressed"


@pytest.mark.parametrize("username", ["alice", "dsl_north", "police", "nurse", "admin", "nobody"])
def test_those_without_the_figures_role_are_refused(year, client_for, username):
    client = client_for(username)
    for url in (DASHBOARD, CSV, SCHOOLS):
        assert client.get(url, JUNE).status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(year, client):
    for url in (DASHBOARD, CSV, SCHOOLS):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", ["frontdoor", "analyst", "manager"])
def test_no_child_is_named_or_identified_on_the_pages_or_in_the_download(year, world, client_for, username):
    client = client_for(username)
    for url in (DASHBOARD, CSV, SCHOOLS):
        body = client.get(url, JUNE).content.decode()
        for person in world.people.values():
            assert person.family_name not in body and str(person.pk) not in body
        for referral in Referral.objects.all():
            assert referral.reference not in body and str(referral.pk) not in body


def test_the_download_holds_the_figures_the_page_shows_and_is_audited(year, client_for):
    client = client_for("analyst")
    page = Figures(client.get(DASHBOARD, JUNE).content.decode())
    response = client.get(CSV, JUNE)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="front-door-figures-2025-06-01-to-2025-06-30.csv"' in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert rows[0] == ["figure", "group", "value"]
    assert ["period", "small numbers suppressed", "yes"] in rows
    by_source = {group: value for figure, group, value in rows if figure == "referrals_by_source"}
    assert by_source == page.counts("Referrals by the kind of agency that made them")
    routes = {group: value for figure, group, value in rows if figure == "decisions_by_route"}
    assert routes == page.counts("Decisions by route")
    assert ["waiting_now", "", "not shown: too few to show without identifying someone"] in rows
    events = AuditEvent.objects.filter(event__startswith="frontdoor.dashboard").order_by("at")
    assert [(e.event, e.action) for e in events] == [
        ("frontdoor.dashboard_view", "view"),
        ("frontdoor.dashboard_export", "export"),
    ]
    assert events[1].detail == {"from": "2025-06-01", "to": "2025-06-30", "suppressed": True}


def test_a_label_that_looks_like_a_formula_stays_text_in_the_download(year, client_for, catalogue):
    Programme.objects.filter(pk=catalogue["power"].pk).update(name='=HYPERLINK("http://example.org")')
    rows = csv_rows(client_for("frontdoor").get(CSV, JUNE).content)
    assert ["median_days_waited", '\'=HYPERLINK("http://example.org")', "7"] in rows
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({**JUNE, "since-month": "13"}, "From must be a real date"),
        ({**JUNE, "until-day": "", "until-month": "", "until-year": "", "since-year": "2099"}, "must be today or"),
        ({**JUNE, "since-month": "7"}, "The end date must be the same as or after the start date"),
        ({"since-day": "1", "since-month": "6"}, "From must include a year"),
    ],
)
def test_a_period_that_makes_no_sense_is_explained_and_nothing_is_counted(year, client_for, query, message):
    client = client_for("frontdoor")
    for url in (DASHBOARD, CSV, SCHOOLS):
        response = client.get(url, query)
        body = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in body and message in body
        assert response["Content-Type"].startswith("text/html")
        assert "referrals-total" not in body and "Traceback" not in body
    assert not AuditEvent.objects.filter(event__startswith="frontdoor.dashboard").exists()


def test_the_dashboard_takes_the_same_queries_however_many_referrals(year, world, client_for):
    client = client_for("analyst")
    client.get(DASHBOARD, JUNE)  # the session, once
    with assert_database_query_count(14):
        client.get(DASHBOARD, JUNE)
    for day in range(2, 28):
        referral = refer(world.cara, world.agencies["health"], at(f"2025-06-{day:02d}", "11:00"), "parenting")
        decide(referral, at(f"2025-06-{day:02d}", "12:00"), 2, "advice")
    with assert_database_query_count(14):
        client.get(DASHBOARD, JUNE)


def test_the_schools_page_takes_the_same_queries_however_many_schools_and_referrals(year, world, client_for):
    from continuum.agencies.models import Agency

    client = client_for("frontdoor")
    client.get(SCHOOLS, JUNE)
    with assert_database_query_count(12):
        client.get(SCHOOLS, JUNE)
    for i in range(5):
        school = Agency.objects.create(name=f"School {i}", kind="school")
        refer(world.cara, school, at("2025-06-05"), "behaviour")
    with assert_database_query_count(12):
        client.get(SCHOOLS, JUNE)


# --- school engagement ------------------------------------------------------------------------------------


def test_each_school_shows_what_it_sent_what_was_accepted_and_what_it_took_up(year, client_for):
    html = client_for("frontdoor").get(SCHOOLS, JUNE).content.decode()
    page = Figures(html)
    (caption,) = page.tables
    assert caption == "2 schools, sorted by school name"
    rows = {row[0]: row[1:] for row in page.tables[caption][1:]}
    days = (timezone.localdate() - datetime.date(2025, 6, 10)).days
    since_northgate = (timezone.localdate() - datetime.date(2025, 6, 2)).days
    assert rows["Northgate Academy"] == [
        "1",
        "1",
        f"{since_northgate:,} days (2 June 2025)",
        "Training for staff, Trauma-awareness workshop",
    ]
    assert rows["Southgate Primary"] == ["1", "0", f"{days:,} days (10 June 2025)", "None"]
    assert "routed it to an early-help programme or stepped it up to children's social care" in html


def test_a_transfer_a_team_accepted_counts_as_accepted(year, world, client_for, catalogue):
    from continuum.agencies.models import Team
    from tests.frontdoor.figures_world import send

    referral = refer(world.dan, world.agencies["southgate"], at("2025-06-16"), "behaviour")
    decision = decide(referral, at("2025-06-16", "15:00"), 2, "advice")
    send(decision, Team.objects.get(agency=world.agencies["eh"]), "accepted", at("2025-06-17"))
    page = Figures(client_for("frontdoor").get(SCHOOLS, JUNE).content.decode())
    rows = {row[0]: row[1:] for row in next(iter(page.tables.values()))[1:]}
    assert rows["Southgate Primary"][:2] == ["2", "1"]


def test_schools_sort_by_a_column_chosen_in_the_address(year, world, client_for):
    refer(world.ben, world.agencies["southgate"], at("2025-06-11"), "behaviour")
    client = client_for("frontdoor")

    def order(sort: str) -> list[str]:
        page = Figures(client.get(SCHOOLS, {**JUNE, "sort": sort}).content.decode())
        return [row[0] for row in next(iter(page.tables.values()))[1:]]

    assert order("name") == ["Northgate Academy", "Southgate Primary"]
    assert order("sent") == ["Southgate Primary", "Northgate Academy"]
    assert order("accepted") == ["Northgate Academy", "Southgate Primary"]
    assert order("last") == ["Southgate Primary", "Northgate Academy"]
    assert order("<script>") == ["Northgate Academy", "Southgate Primary"]
    html = client.get(SCHOOLS, {**JUNE, "sort": "sent"}).content.decode()
    assert 'aria-sort="descending"' in html and "sort=accepted" in html and "since-year=2025" in html


def test_an_analyst_is_not_shown_schools_counts_that_nothing_could_protect(year, client_for):
    html = client_for("analyst").get(SCHOOLS, JUNE).content.decode()
    assert not Figures(html).tables  # two schools with one referral each: subtraction would give them away
    assert "Not shown: there are too few referrals" in html and "2 June 2025" not in html
