"""Opening episodes (from the front door's allocation and directly), the team around the family, and closing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from continuum.agencies.models import Allocation
from continuum.audit.models import AuditEvent
from continuum.casework import services
from continuum.casework.models import Episode, Session, TeamMember
from continuum.frontdoor.models import Referral
from tests.casework.helpers import (
    TODAY,
    allocated_from_front_door,
    assess,
    days_ago,
    open_for_amy,
    plan_with_goal,
    power,
    session,
)
from tests.frontdoor import screening_world as sw


def test_a_lead_practitioner_opens_an_episode_directly_and_keeps_her_allocation(world):
    before = Allocation.objects.current().filter(person=world.amy, practitioner=world.alice.practitioner).count()
    episode = open_for_amy(world)
    assert episode.reference == f"EH-{episode.start_date.year}-000001"
    assert episode.lead_practitioner == world.alice.practitioner and episode.level_at_start == 2
    assert episode.allocation is not None and episode.allocation.practitioner == world.alice.practitioner
    after = Allocation.objects.current().filter(person=world.amy, practitioner=world.alice.practitioner).count()
    assert before == after == 1
    assert AuditEvent.objects.filter(event="casework.episode_open", object_id=str(episode.pk)).count() == 1


def test_a_child_with_an_open_episode_cannot_have_a_second(world):
    open_for_amy(world)
    with pytest.raises(ValidationError, match="already has an open episode"):
        open_for_amy(world)


def test_nobody_opens_an_episode_for_a_child_they_may_not_open(world, client_for):
    with pytest.raises(Http404):
        services.episode_open(actor=world.alice, person_id=world.cara.pk, level=2)
    assert client_for("alice").post(reverse("casework:open", args=[world.cara.pk]), {"level": "2"}).status_code == 404
    assert client_for("bob").get(reverse("casework:open", args=[world.amy.pk])).status_code == 404
    assert not Episode.objects.exists()


def test_a_practitioner_at_their_caseload_maximum_is_told_on_the_form(world, client_for):
    sw.capacity(world, "manager", 0)  # the manager opens for amy, whom he may open, but holds no room
    response = client_for("manager").post(reverse("casework:open", args=[world.amy.pk]), {"level": "2"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "their maximum of 0" in body and "Ask your manager" in body
    assert not Episode.objects.exists()


def test_opening_from_the_front_door_takes_the_decision_and_closing_closes_the_referral(world, client_for):
    r = allocated_from_front_door(world, client_for)
    page = client_for("alice").get(reverse("casework:caseload")).content.decode()
    assert "Kit Fenwick" in page and reverse("casework:open", args=[r.person_id]) in page
    form = client_for("alice").get(reverse("casework:open", args=[r.person_id])).content.decode()
    assert f"From referral {r.reference}" in form
    response = client_for("alice").post(reverse("casework:open", args=[r.person_id]), {})
    assert response.status_code == 302, response.content.decode()
    episode = Episode.objects.get(person_id=r.person_id)
    assert (episode.referral, episode.programme, episode.level_at_start) == (r, power(), 2)
    assert episode.allocation_id == r.allocation_id and episode.decision is not None
    services.episode_close(
        actor=world.alice, episode_id=episode.pk, closed_on=TODAY, level_at_close=1, closure_reason="needs_met"
    )
    r.refresh_from_db()
    assert r.status == Referral.Status.CLOSED and episode.reference in r.close_reason


def test_the_team_around_the_family_can_open_the_child_while_their_place_lasts(world, client_for):
    episode = open_for_amy(world)
    nurse = client_for("nurse")
    assert nurse.get(reverse("people:record", args=[world.amy.pk])).status_code == 404
    response = client_for("alice").post(
        reverse("casework:team", args=[episode.pk]),
        {"practitioner": str(world.nurse.practitioner.pk), "role": "School nursing"},
    )
    assert response.status_code == 302
    record = nurse.get(reverse("people:record", args=[world.amy.pk]))
    assert record.status_code == 200
    body = record.content.decode().replace("\n", "")
    # The episode (early help) is shared with them; police intelligence is not, though the lead agency reads it.
    assert episode.reference in body and ">Known to police<" not in body
    exported = nurse.get(reverse("people:export", args=[world.amy.pk])).json()["record"]
    assert [e["reference"] for e in exported["episodes_of_support"]] == [episode.reference]
    assert "police_contact" not in {i["kind"] for i in exported["involvements"]}
    assert nurse.get(reverse("casework:episode", args=[episode.pk])).status_code == 200
    member = TeamMember.objects.get(episode=episode)
    client_for("alice").post(reverse("casework:team", args=[episode.pk]), {"end": str(member.pk)})
    assert nurse.get(reverse("casework:episode", args=[episode.pk])).status_code == 404
    assert nurse.get(reverse("people:record", args=[world.amy.pk])).status_code == 404


def test_a_team_member_records_a_session_but_does_not_lead(world, client_for):
    episode = open_for_amy(world)
    services.team_member_add(
        actor=world.alice, episode_id=episode.pk, practitioner_id=world.camhs.practitioner.pk, role="Therapy"
    )
    session(world, episode, actor="camhs")
    assert Session.objects.get(episode=episode).practitioner == world.camhs.practitioner
    assert client_for("camhs").get(reverse("casework:close", args=[episode.pk])).status_code == 403
    with pytest.raises(Http404):
        services.episode_close(
            actor=world.camhs, episode_id=episode.pk, closed_on=TODAY, level_at_close=1, closure_reason="needs_met"
        )


def test_stepping_down_needs_where_the_child_went(world, client_for):
    episode = open_for_amy(world)
    response = client_for("alice").post(
        reverse("casework:close", args=[episode.pk]),
        {
            "closed_on-day": TODAY.day,
            "closed_on-month": TODAY.month,
            "closed_on-year": TODAY.year,
            "level_at_close": "1",
            "closure_reason": "stepped_down",
        },
    )
    assert response.status_code == 200 and "Say where the child went" in response.content.decode()
    episode.refresh_from_db()
    assert episode.end_date is None


def test_closing_ends_the_allocation_and_the_team_around_the_family(world, client_for):
    episode = open_for_amy(world)
    services.team_member_add(
        actor=world.alice, episode_id=episode.pk, practitioner_id=world.nurse.practitioner.pk, role="Nursing"
    )
    response = client_for("alice").post(
        reverse("casework:close", args=[episode.pk]),
        {
            "closed_on-day": TODAY.day,
            "closed_on-month": TODAY.month,
            "closed_on-year": TODAY.year,
            "level_at_close": "1",
            "closure_reason": "stepped_down",
            "step_down_to": "school",
            "step_down_note": "Pastoral lead at Northgate knows Amy",
        },
    )
    assert response.status_code == 302, response.content.decode()
    episode.refresh_from_db()
    assert (episode.end_date, episode.step_down_to) == (TODAY, "school")
    assert not Allocation.objects.current().filter(person=world.amy, practitioner=world.alice.practitioner).exists()
    assert not TeamMember.objects.current().filter(episode=episode).exists()
    assert client_for("nurse").get(reverse("people:record", args=[world.amy.pk])).status_code == 404


def test_stepping_up_sends_a_referral_carrying_the_episodes_history(world):
    episode = open_for_amy(world)
    assess(world, episode)
    plan_with_goal(world, episode)
    session(world, episode)
    services.review_record(
        actor=world.alice,
        episode_id=episode.pk,
        held_on=days_ago(2),
        child_views="Still scared",
        family_views="Worse at home",
        summary="Concerns about neglect are growing",
    )
    closed = services.episode_close(
        actor=world.alice,
        episode_id=episode.pk,
        closed_on=TODAY,
        level_at_close=4,
        closure_reason="stepped_up",
        closure_note="Neglect concerns",
        step_up_reasons=["neglect"],
        step_up_consent="given",
    )
    referral = closed.step_up_referral
    assert referral is not None and referral.person_id == world.amy.pk and referral.status == "new"
    for words in (
        episode.reference,
        "POWER",
        "Things are hard at home",
        "1 recorded, 1 attended",
        "Concerns about neglect are growing",
        "Neglect concerns",
    ):
        assert words in referral.story, words
    assert AuditEvent.objects.filter(event="casework.episode_step_up", object_id=str(episode.pk)).count() == 1


def test_a_step_up_without_consent_says_so_and_closes_nothing(world):
    episode = open_for_amy(world)
    with pytest.raises(ValidationError) as refused:
        services.episode_close(
            actor=world.alice,
            episode_id=episode.pk,
            closed_on=TODAY,
            level_at_close=4,
            closure_reason="stepped_up",
            step_up_reasons=["neglect"],
        )
    assert "step_up_consent" in refused.value.message_dict
    episode.refresh_from_db()
    assert episode.end_date is None and not Referral.objects.exists()


def test_a_closed_episode_takes_no_more_sessions_or_ratings(world):
    episode = open_for_amy(world)
    goal = plan_with_goal(world, episode)
    services.episode_close(
        actor=world.alice, episode_id=episode.pk, closed_on=days_ago(3), level_at_close=1, closure_reason="needs_met"
    )
    # alice's allocation ended: the manager of her team still leads (through agency involvement he may open amy).
    with pytest.raises(ValidationError, match="is after it closed"):
        session(world, episode, actor="manager", on=1)
    with pytest.raises(ValidationError, match="closed on"):
        services.goal_rate(actor=world.manager, goal_id=goal.pk, rating=5, rated_by="child", rated_on=TODAY)
    assert not Session.objects.exists()


def test_family_members_are_people_the_lead_may_open(world):
    from continuum.agencies.access import SystemActor
    from continuum.agencies.services import involvement_open
    from continuum.people.services import person_create
    from tests.conftest import years_ago

    episode = open_for_amy(world)
    with pytest.raises(ValidationError, match="No record you can open"):
        services.family_member_add(
            actor=world.alice, episode_id=episode.pk, person_id=world.mum.pk, relationship="parent"
        )
    sister = person_create(actor=world.frontdoor, given_name="Sal", family_name="Ashdown", date_of_birth=years_ago(13))
    involvement_open(
        actor=SystemActor("test"), person=sister, agency=world.agencies["eh"], kind="early_help", start_date=days_ago(9)
    )
    services.family_member_add(actor=world.alice, episode_id=episode.pk, person_id=sister.pk, relationship="sibling")
    with pytest.raises(ValidationError, match="already in the episode"):
        services.family_member_add(
            actor=world.alice, episode_id=episode.pk, person_id=sister.pk, relationship="sibling"
        )
    assert [m.person for m in episode.family.all()] == [sister]
