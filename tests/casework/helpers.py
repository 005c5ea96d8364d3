"""Casework's tests build state through the services, as production does (see tests/conftest.py for the world)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from continuum import vocabulary as v
from continuum.casework import services
from continuum.casework.models import Episode
from continuum.programmes.models import Programme
from tests.frontdoor import screening_world as sw

TODAY = datetime.date.today()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def power(*, limit: int | None = 12, measures: list[str] | None = None) -> Programme:
    """A programme with a session limit, as POWER has (12 sessions)."""
    programme, _ = Programme.objects.update_or_create(
        slug="test-power",
        defaults={
            "name": "POWER",
            "category": "preventative",
            "modalities": ["one_to_one"],
            "summary": "One-to-one sessions (test programme)",
            "source": "Test: after seed 000",
            "session_limit": limit,
            "measures": measures if measures is not None else ["SDQ"],
        },
    )
    return programme


def open_for_amy(world: Any, *, programme: Programme | None = None, start: int = 30) -> Episode:
    """alice (allocated to amy already) opens an episode for her directly."""
    return services.episode_open(
        actor=world.alice,
        person_id=world.amy.pk,
        level=2,
        programme_id=(programme or power()).pk,
        start_date=days_ago(start),
    )


def domains(**concern: int) -> dict[str, services.DomainAnswer]:
    return {
        code: services.DomainAnswer(
            concern=concern.get(code, 1),
            strengths=f"Strengths in {code}",
            needs=f"Needs in {code}",
            areas=[v.ASSESSMENT_AREA[code][0][0]],
        )
        for code, _ in v.ASSESSMENT_DOMAIN
    }


def assess(world: Any, episode: Episode, *, on: int = 20, **concern: int) -> Any:
    return services.assessment_record(
        actor=world.alice,
        episode_id=episode.pk,
        completed_on=days_ago(on),
        domains=domains(**concern),
        child_words="I want to stop getting into fights",
        parent_words="We need help with mornings",
        summary="Things are hard at home in the mornings",
        proposed_level=2,
    )


def plan_with_goal(world: Any, episode: Episode, *, agreed: int = 20, weeks: int = 6) -> Any:
    services.plan_save(
        actor=world.alice,
        episode_id=episode.pk,
        agreed_on=days_ago(agreed),
        review_every_weeks=weeks,
        child_views="I want to go to school",
        family_views="",
    )
    return services.goal_add(
        actor=world.alice,
        episode_id=episode.pk,
        description="Amy gets to school on time",
        success_looks_like="On time four days a week",
        who="Mum wakes Amy at 7",
        target_date=TODAY + datetime.timedelta(days=60),
        agreed_with="child",
        first_rating=3,
        rated_by="child",
    )


def session(world: Any, episode: Episode, *, attendance: str = "attended", on: int = 5, actor: str = "alice") -> Any:
    return services.session_record(
        actor=world.users[actor],
        episode_id=episode.pk,
        held_on=days_ago(on),
        kind="one_to_one",
        attendance=attendance,
        duration_minutes=60 if attendance == "attended" else None,
        case_note="Talked about school",
    )


def allocated_from_front_door(world: Any, client_for: Any) -> Any:
    """A child referred, decided for POWER with early help's team, accepted and allocated to alice: the front door's
    journey up to the allocation, through its pages."""
    programme = power()
    child = sw.child_known_to_police(world, age=9)
    r = sw.referral(world, child)
    response = client_for("frontdoor").post(
        reverse("frontdoor:decide", args=[r.pk]),
        {
            "level": "2",
            "rationale": "Known to police, aged 9, nobody else involved",
            "route": "programme",
            "programme": str(programme.pk),
            "programme_team": str(sw.team(world, "eh").pk),
            "outcome_for_referrer": "Offered POWER",
        },
    )
    assert response.status_code == 302, response.content.decode()
    from continuum.frontdoor.models import Transfer

    transfer = Transfer.objects.get(decision__referral=r, status="pending")
    assert (
        client_for("manager").post(reverse("frontdoor:transfer", args=[transfer.pk]), {"action": "accept"}).status_code
        == 302
    )
    response = client_for("manager").post(
        reverse("frontdoor:allocate", args=[r.pk]),
        {"action": "allocate", "practitioner": str(world.alice.practitioner.pk)},
    )
    assert response.status_code == 302
    r.refresh_from_db()
    return r
