"""Who may read and change an episode: its lead and her team's manager; the team around the family while their place
lasts; everyone else gets the same audited 404 as an id that does not exist, whether they guess, read or POST."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from continuum.audit.models import AuditEvent
from continuum.casework.models import Assessment, Session
from tests.casework.helpers import TODAY, assess, open_for_amy, plan_with_goal


def _date(name: str) -> dict[str, int]:
    return {f"{name}-day": TODAY.day, f"{name}-month": TODAY.month, f"{name}-year": TODAY.year}


SESSION = {**_date("held_on"), "kind": "family", "attendance": "attended", "duration_minutes": "30"}


@pytest.mark.parametrize("username", ["alice", "manager"])
def test_the_lead_and_her_teams_manager_read_the_episode(world, client_for, username):
    episode = open_for_amy(world)
    response = client_for(username).get(reverse("casework:episode", args=[episode.pk]))
    assert response.status_code == 200 and episode.reference in response.content.decode()
    assert (
        AuditEvent.objects.filter(event="casework.episode_view", object_id=str(episode.pk), action="view").count() == 1
    )


@pytest.mark.parametrize("username", ["bob", "cscmanager", "dsl_south", "nurse", "analyst", "admin", "nobody"])
def test_strangers_get_the_same_audited_404_as_a_guess(world, client_for, username):
    episode = open_for_amy(world)
    goal = plan_with_goal(world, episode)
    assessment = assess(world, episode)
    client = client_for(username)
    for url in (
        reverse("casework:episode", args=[episode.pk]),
        reverse("casework:assessment", args=[assessment.pk]),
        reverse("casework:session_new", args=[episode.pk]),
        reverse("casework:goal_rate", args=[goal.pk]),
        reverse("casework:close", args=[episode.pk]),
    ):
        real = client.get(url)
        assert real.status_code in (403, 404), url
        assert b"Ashdown" not in real.content
    guessed = client.get(reverse("casework:episode", args=[uuid.uuid4()]))
    real = client.get(reverse("casework:episode", args=[episode.pk]))
    assert guessed.status_code == real.status_code == 404
    assert AuditEvent.objects.filter(action="refused", object_id=str(episode.pk)).exists()


@pytest.mark.parametrize("username", ["bob", "dsl_north", "police", "camhs"])
def test_posts_to_another_practitioners_episode_change_nothing(world, client_for, username):
    """dsl_north, police and camhs may open amy's record (and so read the episode), but they do not work on it."""
    episode = open_for_amy(world)
    client = client_for(username, csrf=False)
    for name, data in (
        ("session_new", SESSION),
        ("close", {**_date("closed_on"), "level_at_close": "1", "closure_reason": "needs_met"}),
        ("assessment_new", _date("completed_on")),
        ("team", {"practitioner": str(world.users[username].practitioner.pk), "role": "Me"}),
        ("extend", {"extra_sessions": "5", "reason": "More"}),
    ):
        response = client.post(reverse(f"casework:{name}", args=[episode.pk]), data)
        assert response.status_code in (403, 404), name
    episode.refresh_from_db()
    assert episode.end_date is None and not Session.objects.exists() and not Assessment.objects.exists()
    assert not episode.team_around_family.exists()


def test_the_caseload_is_for_those_who_lead_casework(world, client_for):
    for username in ("dsl_north", "police", "analyst", "admin", "nobody", "frontdoor"):
        assert client_for(username).get(reverse("casework:caseload")).status_code == 403, username
    assert client_for("alice").get(reverse("casework:team_caseload")).status_code == 403


def test_a_practitioner_sees_her_own_caseload_and_not_another_teams(world, client_for):
    episode = open_for_amy(world)
    assert episode.reference in client_for("alice").get(reverse("casework:caseload")).content.decode()
    assert episode.reference in client_for("manager").get(reverse("casework:team_caseload")).content.decode()
    assert episode.reference not in client_for("bob").get(reverse("casework:caseload")).content.decode()
    assert episode.reference not in client_for("cscmanager").get(reverse("casework:team_caseload")).content.decode()


def test_a_practitioner_sees_her_teams_episodes_while_they_run(world, client_for, django_user_model):
    """An episode opens the lead agency's early help involvement (when none is open), so the lead's colleagues work
    with the child too; it closes with the episode."""
    from continuum.agencies.models import Involvement, Practitioner
    from continuum.casework import services
    from tests.casework.helpers import allocated_from_front_door

    colleague = django_user_model.objects.create(username="colleague")
    Practitioner.objects.create(
        user=colleague,
        given_name="Col",
        family_name="League",
        role="practitioner",
        agency=world.agencies["eh"],
        team=world.alice.practitioner.team,
    )
    world.users["colleague"] = colleague
    r = allocated_from_front_door(world, client_for)
    episode = services.episode_open(actor=world.alice, person_id=r.person_id)
    assert episode.involvement is not None and episode.involvement.kind == "early_help"
    assert client_for("colleague").get(reverse("casework:episode", args=[episode.pk])).status_code == 200
    assert client_for("bob").get(reverse("casework:episode", args=[episode.pk])).status_code == 404
    services.episode_close(
        actor=world.alice, episode_id=episode.pk, closed_on=TODAY, level_at_close=1, closure_reason="needs_met"
    )
    assert not Involvement.objects.current().filter(pk=episode.involvement_id).exists()
    assert client_for("colleague").get(reverse("casework:episode", args=[episode.pk])).status_code == 404


def test_opening_for_a_child_the_agency_already_works_with_adds_no_involvement(world):
    from continuum.agencies.models import Involvement

    before = Involvement.objects.count()
    assert open_for_amy(world).involvement is None
    assert Involvement.objects.count() == before
