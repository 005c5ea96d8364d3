"""Exact query counts for the pages that show children, so a new module's extra query shows up at once.

Each count is the whole request: session, user, access decision, the record and its sections, the
audit row, the session save. When one changes on purpose, the failure lists every statement.
"""

from __future__ import annotations

from django.urls import reverse

from continuum.people.services import person_create
from tests.queries import assert_database_query_count


def test_opening_a_record_by_relationship_takes_twenty_one_queries(world, client_for):
    client = client_for("alice")
    with assert_database_query_count(21):
        assert client.get(reverse("people:record", args=[world.amy.pk])).status_code == 200


def test_opening_a_record_as_the_front_door_needs_no_relationship_query(world, client_for):
    client = client_for("frontdoor")
    with assert_database_query_count(20):
        assert client.get(reverse("people:record", args=[world.amy.pk])).status_code == 200


def test_the_download_costs_what_the_page_costs(world, client_for):
    client = client_for("alice")
    with assert_database_query_count(21):
        assert client.get(reverse("people:export", args=[world.amy.pk])).status_code == 200


def test_search_results_cost_the_same_for_one_result_or_twenty(world, client_for):
    client = client_for("frontdoor")
    client.post(reverse("people:search"), {"name": "dunmore"})
    with assert_database_query_count(13):
        client.get(reverse("people:search"))
    for i in range(20):
        person_create(actor=world.frontdoor, given_name=f"Sam{i}", family_name="Budget", sex="U")
    client.post(reverse("people:search"), {"name": "budget"})
    with assert_database_query_count(13):
        client.get(reverse("people:search"))


def test_posting_a_search_only_stores_it(world, client_for):
    client = client_for("frontdoor")
    with assert_database_query_count(6):
        assert client.post(reverse("people:search"), {"name": "dunmore"}).status_code == 302


def test_the_population_page_counts_every_breakdown_in_one_query(world, client_for):
    # One grouped query gives every table that adds up to the number of children, so they all add up to
    # the same number (suppression relies on it); one more counts open involvements.
    client = client_for("analyst")
    with assert_database_query_count(12):
        assert client.get(reverse("people:population")).status_code == 200
