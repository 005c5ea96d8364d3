"""The indicators' pages (what each means, for any signed-in user) and a child's indicators in the single view, shown
only to viewers who may read their category."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from continuum.agencies import access
from continuum.people.selectors import RecordContext
from continuum.signals.models import ChildIndicator, IndicatorRun
from continuum.signals.selectors.indicators import child_indicators, indicator_definitions
from tests.conftest import ACCOUNTS
from tests.queries import assert_database_query_count

AS_OF = datetime.date(2025, 3, 14)


@pytest.fixture
def computed(world):
    """A run with amy's persistent absence and police contacts, as refresh_indicators writes them."""
    now = timezone.now()
    run = IndicatorRun.objects.create(
        as_of=AS_OF, started_at=now, finished_at=now, definitions_sha256="0" * 64, children=1, rows=3, marks=20
    )
    rows = [
        ("persistent_absence", "last_90_days", 3, 20, 15.0, True, [["2024-09-16", 5.0], ["2024-12-15", 8.25]]),
        ("attendance_rate", "school_year", 180, 200, 90.0, None, []),
        ("police_contacts", "last_12_months", 2, None, 2.0, None, [["2023-03-15", 0], ["2024-03-15", 1]]),
        ("ae_attendances", "last_90_days", 1, None, 1.0, None, []),
    ]
    for indicator, window, numerator, denominator, value, met, trend in rows:
        ChildIndicator.objects.create(
            person=world.amy,
            indicator=indicator,
            window=window,
            as_of=AS_OF,
            numerator=numerator,
            denominator=denominator,
            value=value,
            met=met,
            trend=trend,
            run=run,
        )
    return run


def context(world, username: str) -> RecordContext:
    viewer = world.users[username]
    return RecordContext(
        viewer=viewer, person=world.amy, categories=access.readable_categories(viewer), policy=access.policy()
    )


# --- the definition pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/multi-agency/indicators/", "/multi-agency/indicators/persistent_absence/"])
def test_anonymous_visitors_are_sent_to_sign_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("username", list(ACCOUNTS))
def test_every_signed_in_user_may_read_what_the_indicators_mean(world, client_for, username):
    client = client_for(username)
    listing = client.get(reverse("signals:indicators"))
    assert listing.status_code == 200
    for indicator in indicator_definitions().indicators.values():
        assert escape(indicator.label) in listing.content.decode()
    page = client.get(reverse("signals:indicator", args=["persistent_absence"]))
    assert page.status_code == 200


def test_an_indicators_page_says_its_definition_denominator_periods_source_and_readers(world, client_for, computed):
    html = client_for("dsl_north").get(reverse("signals:indicator", args=["persistent_absence"])).content.decode()
    assert "<title>Persistent absence - Indicators - " in html
    assert "missed 10% or more of their possible sessions" in html
    assert "Exactly 10% counts as persistent absence." in html
    assert "whether the rate is 10% or more" in html
    assert "From 1 August (the start of the school year" in html
    assert "The 90 days up to and including" in html
    assert "School attendance marks: authorised absence; unauthorised absence" in html
    assert "Education: school, pupil number, SEND" in html
    assert "with every window ending on 14 March 2025" in html
    assert 'style="' not in html and "<script>" not in html


def test_a_police_indicator_says_who_may_read_a_childs_value(world, client_for):
    html = client_for("alice").get(reverse("signals:indicator", args=["police_as_suspect"])).content.decode()
    assert "Police intelligence" in html
    assert "Front-door worker" in html and "in police agencies" not in html
    assert "Police incident where role is SUSPECT" in html


def test_an_indicator_the_definitions_do_not_have_is_not_found(world, client_for):
    assert client_for("alice").get("/multi-agency/indicators/no_such_thing/").status_code == 404


def test_the_pages_before_any_run_say_how_to_compute_them(world, client_for):
    html = client_for("alice").get(reverse("signals:indicators")).content.decode()
    assert "have not been computed yet" in html


def test_the_pages_take_an_exact_number_of_queries(world, client_for, computed):
    client = client_for("alice")
    client.get(reverse("signals:indicators"))  # the definitions read and checked once
    # The session and the user, the latest run, the practitioner (navigation), and the session saved again (three).
    with assert_database_query_count(7):
        assert client.get(reverse("signals:indicators")).status_code == 200
    with assert_database_query_count(7):
        assert client.get(reverse("signals:indicator", args=["severe_absence"])).status_code == 200


def test_the_pages_show_no_childs_data(world, client_for, computed):
    for path in (reverse("signals:indicators"), reverse("signals:indicator", args=["persistent_absence"])):
        html = client_for("frontdoor").get(path).content.decode()
        assert "Ashdown" not in html and str(world.amy.pk) not in html


# --- a child's indicators in the single view ----------------------------------------------------------------------


def test_a_school_sees_the_childs_attendance_but_not_police_or_health_indicators(world, computed):
    ctx = context(world, "dsl_north")
    with assert_database_query_count(1):
        shown = child_indicators(ctx)
    assert [(s.name, s.window) for s in shown] == [
        ("attendance_rate", "school_year"),
        ("persistent_absence", "last_90_days"),
    ]
    persistent = shown[1]
    assert persistent.display == "Yes: 15.0% missed"
    assert (persistent.numerator, persistent.denominator, persistent.met) == (3, 20, True)
    assert persistent.trend == [(datetime.date(2024, 9, 16), 5.0), (datetime.date(2024, 12, 15), 8.25)]
    assert persistent.definition_url == "/multi-agency/indicators/persistent_absence/"
    assert persistent.window_label == "Last 90 days" and persistent.as_of == AS_OF


def test_the_front_door_sees_police_contacts_and_a_health_practitioner_sees_a_and_e(world, computed):
    front = {s.name for s in child_indicators(context(world, "frontdoor"))}
    assert "police_contacts" in front and "ae_attendances" not in front
    assert {s.name for s in child_indicators(context(world, "nurse"))} >= {"ae_attendances", "attendance_rate"}
    police = next(s for s in child_indicators(context(world, "frontdoor")) if s.name == "police_contacts")
    assert police.display == "2" and police.trend_display == [("15 Mar 2023", "0"), ("15 Mar 2024", "1")]


def test_the_partial_shows_each_indicator_with_its_windows_and_earlier_periods(world, computed):
    shown = child_indicators(context(world, "frontdoor"))
    html = render_to_string("signals/single_view_indicators.html", {"indicators": shown})
    assert 'href="/multi-agency/indicators/persistent_absence/"' in html
    assert "Yes: 15.0% missed" in html
    assert "Earlier: 5.0% from 16 Sep 2024; 8.2% from 15 Dec 2024" in html or "8.3% from 15 Dec 2024" in html
    assert "Indicators as at 14 March 2025" in html
    assert 'style="' not in html and "<script" not in html
    empty = render_to_string("signals/single_view_indicators.html", {"indicators": []})
    assert "No indicators for this child that you may read" in empty
