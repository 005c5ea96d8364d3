"""The gap finder's pages: the front door's list with the evidence, the cohort view in full and in counts only,
access for every role, small numbers suppressed, bad filters, and exact query counts."""

from __future__ import annotations

import re

import pytest

from continuum.audit.models import AuditEvent
from continuum.signals.models import GapFlag
from continuum.signals.services.gap import run_gap_finder
from tests.conftest import ACCOUNTS, TODAY
from tests.linkage.services_world import fake_engine
from tests.queries import assert_database_query_count
from tests.signals.gap_world import SYSTEM, load_signals

LIST = "/multi-agency/gap/"
COHORT = "/multi-agency/gap/cohort/"
RECORD_LINK = re.compile(r'href="/children/[0-9a-f-]{36}/')
LIST_LINK = re.compile(r'href="/multi-agency/gap/(\?[^"]*)?"')


@pytest.fixture(autouse=True)
def linkage_dir(settings, tmp_path):
    settings.LINKAGE_DIR = tmp_path / "linkage"


@pytest.fixture
def flagged(world, tmp_path, monkeypatch):
    load_signals(world, tmp_path, fake_engine(monkeypatch))
    run_gap_finder(actor=SYSTEM, as_of=TODAY)
    assert GapFlag.objects.count() == 2
    return world


def names(world) -> list[str]:
    return [p.family_name for p in world.people.values()]


# --- Who may see what ------------------------------------------------------------------------------------------------

FULL = {"frontdoor"}
COUNTS_ONLY = {"manager", "cscmanager", "chair", "analyst"}  # roles that see aggregates


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_every_role_sees_what_its_policy_allows(flagged, client_for, username):
    client = client_for(username)
    listed = client.get(LIST)
    cohort = client.get(COHORT)
    assert listed.status_code == (200 if username in FULL else 403)
    assert cohort.status_code == (200 if username in FULL | COUNTS_ONLY else 403)


def test_signed_out_users_are_sent_to_sign_in_and_a_user_without_a_profile_is_refused(flagged, client, client_for):
    for path in (LIST, COHORT):
        assert client.get(path).url.startswith("/accounts/login/")
        assert client_for("nobody").get(path).status_code == 403


def test_the_front_door_sees_each_child_with_the_rule_the_agencies_and_the_evidence(flagged, client_for):
    page = client_for("frontdoor").get(LIST).content.decode()
    assert "2 flags, as at" in page
    for key in ("cara", "dan"):
        person = flagged.people[key]
        assert f'href="/children/{person.pk}/"' in page
        assert person.display_name in page
    assert "Ashdown" not in page  # amy: early help and CAMHS are working with her
    assert "Signals from two or more agencies in the last 90 days, and nobody working with the child" in page
    assert "Health, Police" in page
    assert "A&amp;E attendance for self-harm" in page and "Self-harm; Poisoning, including overdose" in page
    assert "Police incidents" in page and "A&amp;E attendances" in page
    assert "<title>Children falling through the gap - " in page  # the title names the page, never a child
    audit = AuditEvent.objects.get(event="signals.gap_list")
    assert (audit.action, audit.detail["results"], audit.detail["filters"]) == ("search", 2, {})
    assert sorted(audit.detail["shown"]) == sorted(str(flagged.people[k].pk) for k in ("cara", "dan"))


def test_the_list_filters_by_the_cohort_s_groups(flagged, client_for):
    client = client_for("frontdoor")
    girls = client.get(LIST, {"sex": "Female"}).content.decode()
    assert "Dunmore" in girls and "Ellery" not in girls
    assert "1 flag, as at" in girls
    young = client.get(LIST, {"age_band": "5 to 10"}).content.decode()
    assert "Ellery" in young and "Dunmore" not in young
    none = client.get(LIST, {"ethnicity": "Asian"}).content.decode()
    assert "No child matches these filters." in none
    filters = [a.detail["filters"] for a in AuditEvent.objects.filter(event="signals.gap_list")]
    assert sorted(filters, key=str) == [{"age_band": "5 to 10"}, {"ethnicity": "Asian"}, {"sex": "Female"}]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"sex": "Q"}, "Choose a sex from the list"),
        ({"rule": "<script>"}, "Choose a rule from the list"),
        ({"age_band": "0 to 4"}, "Choose an age band from the list"),
    ],
)
def test_a_filter_that_is_not_one_of_its_choices_is_an_error_and_nothing_is_read(flagged, client_for, query, message):
    for path in (LIST, COHORT):
        response = client_for("frontdoor").get(path, query)
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page and message in page
        assert "<title>Error: " in page
        assert "<script>" not in page
    assert not AuditEvent.objects.filter(event__in=["signals.gap_list", "signals.gap_cohort"]).exists()


def test_a_page_number_beyond_the_end_shows_the_last_page(flagged, client_for):
    assert client_for("frontdoor").get(LIST, {"page": "99"}).status_code == 200
    assert client_for("frontdoor").get(LIST, {"page": "x"}).status_code == 200


# --- The cohort view -------------------------------------------------------------------------------------------------


def test_an_analyst_sees_counts_only_no_names_no_links_to_children_no_evidence(flagged, client_for):
    page = client_for("analyst").get(COHORT).content.decode()
    assert "Who the gap finder flags" in page
    assert not RECORD_LINK.search(page)
    assert not LIST_LINK.search(page)  # no way into the list of children
    for name in names(flagged):
        assert name not in page
    assert "Police incidents" not in page and "self-harm" not in page.lower().replace("how to read", "")
    audit = AuditEvent.objects.get(event="signals.gap_cohort")
    assert (audit.action, audit.actor_username) == ("view", "analyst")


def test_small_numbers_are_suppressed_and_so_are_the_rates_and_indexes_worked_out_from_them(flagged, client_for):
    page = client_for("frontdoor").get(COHORT).content.decode()
    # Four school-age children, two flagged: each total is too small to print.
    assert 'id="cohort-children">fewer than 5<' in page
    assert 'id="cohort-flagged">fewer than 5<' in page
    # Every child lives in one locality ("No locality recorded"): that table cannot be protected and is not shown.
    assert page.count("Not shown: there are too few to show this table without identifying someone.") == 1
    # In the others every count is hidden (two flagged children, one per group, cannot be protected at all),
    # and so is every rate and index worked out from them.
    assert 'id="table-sex"' in page and 'id="table-locality"' not in page
    assert not re.search(r'govuk-table__cell--numeric"[^>]*>\s*\d', page)
    assert "per 1,000" not in page.split("How to read")[0]
    assert not re.search(r"\d\.\d\d \(\d", page)


def test_the_front_door_clicks_through_from_a_group_to_its_children(flagged, client_for, monkeypatch):
    from continuum.signals.selectors import gap as selectors

    monkeypatch.setattr(selectors, "suppress_table", lambda rows, total: [selectors.CountRow(r[0], r[1]) for r in rows])
    page = client_for("frontdoor").get(COHORT).content.decode()
    assert f'href="{LIST}?sex=Female"' in page
    analyst = client_for("analyst").get(COHORT).content.decode()
    assert not LIST_LINK.search(analyst) and "Female" in analyst


# --- Query counts ----------------------------------------------------------------------------------------------------


def test_the_list_reads_a_page_of_children_in_a_fixed_number_of_queries(flagged, client_for):
    client = client_for("frontdoor")
    client.get(LIST)
    with assert_database_query_count(14):
        client.get(LIST)


def test_the_cohort_view_counts_in_a_fixed_number_of_queries(flagged, client_for):
    client = client_for("analyst")
    client.get(COHORT)
    with assert_database_query_count(13):
        client.get(COHORT)
