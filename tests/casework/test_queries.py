"""Exact query counts for the caseload and episode pages: they do not grow with the number of episodes."""

from __future__ import annotations

from django.urls import reverse

from continuum.agencies.access import SystemActor
from continuum.agencies.services import allocation_add
from continuum.casework import services
from continuum.people.services import person_create
from tests.casework.helpers import assess, days_ago, open_for_amy, plan_with_goal, power, session
from tests.conftest import years_ago
from tests.queries import assert_database_query_count

# Session, user and profile; the caseload (episodes, questionnaires recorded, allocations to open); the audit row
# (with the actor's agency) in its savepoint; the session saved. The team's adds one: who is in the team.
CASELOAD_QUERIES = 13
EPISODE_QUERIES = 23  # with the questionnaires recorded in the episode


def _more_episodes(world, n: int) -> None:
    for i in range(n):
        child = person_create(
            actor=world.frontdoor, given_name=f"Child{i}", family_name="Extra", date_of_birth=years_ago(9)
        )
        allocation_add(
            actor=SystemActor("test"),
            person=child,
            practitioner=world.alice.practitioner,
            kind="lead",
            start_date=days_ago(40),
        )
        episode = services.episode_open(
            actor=world.alice, person_id=child.pk, level=2, programme_id=power().pk, start_date=days_ago(30)
        )
        plan_with_goal(world, episode)
        session(world, episode)


def _caseload_count(client_for, url: str, expected: int) -> str:
    client = client_for("alice" if "team" not in url else "manager")
    client.get(url)  # warm the session
    with assert_database_query_count(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_caseload_takes_the_same_queries_for_one_episode_or_many(world, client_for):
    open_for_amy(world)
    one = _caseload_count(client_for, reverse("casework:caseload"), CASELOAD_QUERIES)
    assert one.count("EH-") >= 1
    _more_episodes(world, 3)
    many = _caseload_count(client_for, reverse("casework:caseload"), CASELOAD_QUERIES)
    assert "Child2 Extra" in many


def test_the_team_caseload_takes_the_same_queries_for_one_episode_or_many(world, client_for):
    open_for_amy(world)
    _caseload_count(client_for, reverse("casework:team_caseload"), CASELOAD_QUERIES + 1)
    _more_episodes(world, 3)
    _caseload_count(client_for, reverse("casework:team_caseload"), CASELOAD_QUERIES + 1)


def test_the_episode_page_takes_the_same_queries_however_much_is_recorded(world, client_for):
    episode = open_for_amy(world)
    assess(world, episode)
    plan_with_goal(world, episode)
    session(world, episode)
    client = client_for("alice")
    url = reverse("casework:episode", args=[episode.pk])
    client.get(url)
    with assert_database_query_count(EPISODE_QUERIES):
        client.get(url)
    assess(world, episode, on=3)
    services.goal_add(
        actor=world.alice,
        episode_id=episode.pk,
        description="Second",
        success_looks_like="s",
        who="w",
        target_date=days_ago(-30),
        agreed_with="parent",
        first_rating=2,
        rated_by="parent",
    )
    session(world, episode, on=2)
    with assert_database_query_count(EPISODE_QUERIES):
        client.get(url)


ASSESSMENT_QUERIES = 16
COHORT_QUERIES = 16


def test_the_assessment_page_has_a_fixed_query_count(world, client_for):
    episode = open_for_amy(world)
    assess(world, episode, on=10)
    again = assess(world, episode, on=3)
    client = client_for("alice")
    url = reverse("casework:assessment", args=[again.pk])
    client.get(url)
    with assert_database_query_count(ASSESSMENT_QUERIES):
        assert client.get(url).status_code == 200


def test_the_course_page_takes_the_same_queries_for_one_member_or_many(world, client_for):
    episode = open_for_amy(world)
    cohort = services.cohort_create(
        actor=world.alice,
        programme_id=power().pk,
        name="Course",
        venue="Hall",
        start_date=days_ago(20),
        planned_sessions=6,
    )
    services.cohort_member_add(actor=world.alice, cohort_id=cohort.pk, episode_id=episode.pk, joined_on=days_ago(20))
    services.cohort_session_record(actor=world.alice, cohort_id=cohort.pk, held_on=days_ago(14), attended_member_ids=[])
    client = client_for("alice")
    url = reverse("casework:cohort", args=[cohort.pk])
    client.get(url)
    with assert_database_query_count(COHORT_QUERIES):
        assert client.get(url).status_code == 200
    _more_episodes(world, 2)
    for other in services_episodes(world):
        services.cohort_member_add(actor=world.alice, cohort_id=cohort.pk, episode_id=other, joined_on=days_ago(20))
    services.cohort_session_record(actor=world.alice, cohort_id=cohort.pk, held_on=days_ago(7), attended_member_ids=[])
    with assert_database_query_count(COHORT_QUERIES):
        assert "Child1 Extra" in client.get(url).content.decode()


def services_episodes(world) -> list:
    from continuum.casework.models import Episode

    return list(Episode.objects.filter(person__family_name="Extra").values_list("pk", flat=True))
