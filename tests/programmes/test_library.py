"""The "what works here" library: filters by need, age, modality and evidence; each programme's page."""

from __future__ import annotations

import html
import re

import pytest

from continuum.audit.models import AuditEvent
from continuum.programmes.models import Programme
from continuum.programmes.selectors import programme_list
from tests.queries import assert_database_query_count

pytestmark = pytest.mark.django_db


def _count(response) -> str:
    return html.unescape(re.search(r'id="results-heading">([^<]*)</h2>', response.content.decode())[1])


def _listed(response) -> list[str]:
    return re.findall(r'class="govuk-link" href="/programmes/([a-z0-9-]+)/"', response.content.decode())


def test_every_signed_in_user_sees_the_whole_catalogue(client_for):
    for username in ("alice", "dsl_north", "analyst", "nobody"):
        response = client_for(username).get("/programmes/")
        assert response.status_code == 200
        assert _count(response) == f"{programme_list().count()} programmes"
        assert _listed(response) == list(programme_list().values_list("slug", flat=True))


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get("/programmes/").url.startswith("/accounts/login/")
    assert client.get("/programmes/power/").url.startswith("/accounts/login/")


def test_the_library_is_not_about_a_child_so_it_is_not_audited(client_for):
    client = client_for("alice")
    client.get("/programmes/?need=exploitation")
    client.get("/programmes/power/")
    assert not AuditEvent.objects.filter(event__startswith="programmes.").exists()


def test_filtering_by_age_keeps_programmes_that_take_that_age(client_for):
    listed = _listed(client_for("alice").get("/programmes/?age=14"))
    assert "inside-out" in listed and "functional-family-therapy" in listed
    assert "power" not in listed and "harmony-groups" not in listed
    assert "kooth" in listed  # no age band: takes any age
    assert "harmony-groups" in _listed(client_for("alice").get("/programmes/?age=0"))


def test_filtering_by_need_takes_any_of_the_needs_ticked(client_for):
    response = client_for("alice").get("/programmes/?need=substance_misuse&need=housing_poverty")
    expected = [p.slug for p in programme_list() if {"substance_misuse", "housing_poverty"} & set(p.needs)]
    assert _listed(response) == expected
    assert _count(response) == f"{len(expected)} programmes match your filters"
    assert "family-drug-and-alcohol-court" in expected and "no-recourse-early-action" in expected


def test_filters_of_different_kinds_all_apply(client_for):
    response = client_for("alice").get("/programmes/?need=exploitation&modality=family&evidence=emerging&age=12")
    assert _listed(response) == ["empower-contextual-safeguarding", "functional-family-therapy"]
    assert _count(response) == "2 programmes match your filters"
    page = response.content.decode()
    assert 'value="exploitation" checked' in page and 'value="family" checked' in page
    assert 'name="age" type="text" value="12"' in page or 'value="12"' in page


def test_a_filter_nothing_matches_says_so(client_for):
    response = client_for("alice").get("/programmes/?evidence=strong")
    assert _count(response) == "0 programmes match your filters"
    assert "No programme matches all of these filters" in response.content.decode()


def test_one_match_is_counted_in_the_singular(client_for):
    response = client_for("alice").get("/programmes/?need=substance_misuse&evidence=promising")
    assert _count(response) == "1 programme matches your filters"
    assert _listed(response) == ["family-drug-and-alcohol-court"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("age=eleven", "age", "Age must be a whole number from 0 to 25"),
        ("age=-1", "age", "Age must be a whole number from 0 to 25"),
        ("age=99", "age", "Age must be a whole number from 0 to 25"),
        ("need=witchcraft", "need", "Choose needs from the list"),
        ("modality=carrier-pigeon", "modality", "Choose how programmes are delivered from the list"),
        ("evidence=anecdote", "evidence", "Choose evidence ratings from the list"),
    ],
)
def test_a_bad_filter_gets_an_error_summary_and_the_other_filters_still_apply(client_for, query, field, message):
    response = client_for("alice").get(f"/programmes/?{query}&modality=online")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert f'<a href="#{field}">{message}</a>' in page
    if field != "modality":
        assert set(_listed(response)) == {p.slug for p in programme_list() if "online" in p.modalities}


def test_the_library_takes_a_fixed_number_of_queries(client_for):
    client = client_for("alice")
    client.get("/programmes/")
    # session, user, the catalogue, practitioner (navigation), the session saved (three statements)
    with assert_database_query_count(7):
        client.get("/programmes/?need=exploitation&age=12")
    with assert_database_query_count(7):
        client.get("/programmes/")


def test_a_programme_page_shows_the_entry_its_rules_in_words_its_evidence_and_source(client_for):
    response = client_for("dsl_north").get("/programmes/inside-out/")
    page = html.unescape(response.content.decode())
    assert "<title>Inside Out - What works here - " in page
    for text in (
        "The Children's Society (DfE funded)",
        "One-to-one, Family, Group",
        "14 to 17",
        "18 months, 25 hours a week",
        "Aged 14 to 17, in completed years on the date asked about.",
        "Looked after: an open involvement (looked after).",
        "Promising: an evaluation with a comparison found positive results",
        "For every £1 spent, £2.50 of benefit",
        "Seed 003 (003_17170b9a77f0906f.txt)",
        "version 1 of the rules",
        "From seed 003: ages 14 to 17, in care with unstable placements.",
    ):
        assert text in page, text


def test_a_programme_page_shows_a_cost_with_its_year_and_every_version(client_for):
    from continuum.agencies.access import SystemActor
    from continuum.programmes.services import rules_version_add

    turnaround = Programme.objects.get(slug="turnaround-contextual-mentoring")
    rules_version_add(
        actor=SystemActor("test"), programme_id=turnaround.pk, rules=[{"kind": "age", "min": 10}], note="Test: ages"
    )
    page = html.unescape(client_for("alice").get("/programmes/turnaround-contextual-mentoring/").content.decode())
    assert "£1,023,397.83: Total Ministry of Justice grant to March 2025 (given in 2024)" in page
    assert "version 2 of the rules" in page
    assert "Aged 10 or over, in completed years on the date asked about." in page
    assert "Test: ages" in page and "From seed 004" in page  # both versions listed


def test_a_programme_page_takes_a_fixed_number_of_queries(client_for):
    client = client_for("alice")
    client.get("/programmes/power/")
    # session, user, the programme, its rule sets, practitioner (navigation), the session saved (three)
    with assert_database_query_count(8):
        client.get("/programmes/power/")


def test_an_unknown_programme_is_page_not_found(client_for):
    assert client_for("alice").get("/programmes/no-such-thing/").status_code == 404


def test_a_programme_no_longer_offered_still_has_its_page_but_leaves_the_library(client_for):
    Programme.objects.filter(slug="allichat").update(active=False)
    client = client_for("alice")
    assert "allichat" not in _listed(client.get("/programmes/"))
    assert "no longer offered" in client.get("/programmes/allichat/").content.decode()
