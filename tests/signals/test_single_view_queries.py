"""The single view's cost: a fixed set of indexed queries, whatever the child's history or the county's size.

The whole request is counted (session, user, access decision, the reads, the audit row, the session save), as in
tests/people/test_query_counts.py; when a count changes on purpose, the failure lists every statement.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from continuum.agencies.access import SystemActor
from continuum.agencies.services import allocation_add
from continuum.linkage.models import Record
from continuum.signals.selectors.single_view import single_view
from tests.queries import assert_database_query_count
from tests.signals import single_view_world
from tests.signals.feed_files import police_row, write

# With the child's indicators (one query) and causes for concern (one) on the page.
QUERIES_FRONT_DOOR = 23
QUERIES_BY_RELATIONSHIP = 24  # one more: which relationship admits the school


@pytest.fixture
def picture(world, tmp_path):
    return single_view_world.build(world, tmp_path)


def url(person) -> str:
    return reverse("signals:single_view", args=[person.pk])


def test_the_front_door_opens_the_view_in_a_fixed_number_of_queries(world, picture, client_for):
    client = client_for("frontdoor")
    with assert_database_query_count(QUERIES_FRONT_DOOR):
        assert client.get(url(world.amy)).status_code == 200


def test_a_school_opens_the_view_in_a_fixed_number_of_queries(world, picture, client_for):
    client = client_for("dsl_north")
    with assert_database_query_count(QUERIES_BY_RELATIONSHIP):
        assert client.get(url(world.amy)).status_code == 200


def test_more_events_records_and_workers_cost_no_more_queries(world, picture, client_for, tmp_path):
    rows = [
        police_row(
            f"INC-{n}", f"N{300 + n % 3}", given_name="Amy", family_name="Ashdown", occurred_on=f"2026-01-{n:02d}"
        )
        for n in range(1, 25)
    ]
    single_view_world._load("police", write(tmp_path / "more.csv", single_view_world.POLICE_COLUMNS, rows))
    amy = Record.objects.get(person=world.amy).identity
    for ref in ("N300", "N301", "N302"):
        single_view_world._place(
            single_view_world.SourcePerson.objects.get(feed="police", ref=ref), amy, how="auto", probability=0.99
        )
    allocation_add(
        actor=SystemActor("test"),
        person=world.amy,
        practitioner=world.nurse.practitioner,
        kind="team_around_family",
        start_date=world.amy.date_of_birth,
    )
    client = client_for("frontdoor")
    with assert_database_query_count(QUERIES_FRONT_DOOR):
        html = client.get(url(world.amy)).content.decode()
    assert html.count("moj-timeline__item") > 24


def test_the_event_query_uses_the_index_on_source_person_and_day(world, picture):
    """The SQL plan of the one query that grows with a child's history, on this database."""
    with CaptureQueriesContext(connection) as ran:
        single_view(viewer=world.frontdoor, person_id=world.amy.pk)
    sql = next(q["sql"] for q in ran.captured_queries if 'FROM "signals_signalevent"' in q["sql"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")  # a test table is tiny: ask which index the planner would use
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "signals_sig_source__" in plan or "source_person" in plan, plan
    assert "SCAN signals_signalevent " not in plan + " ", plan  # never the whole table
