"""Building casework and questionnaires for the measures tests.

Episodes and sessions are made with casework's models directly: casework's services are being written at the
same time, and these tests are about what measures does with them.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from continuum.casework.models import Episode, Goal, GoalRating, Plan, Session, TeamMember
from continuum.measures.models import Measure, Questionnaire
from continuum.people.services import person_create
from continuum.programmes.models import Programme

_numbers = itertools.count(1)


def programme(slug: str = "power") -> Programme:
    return Programme.objects.get(slug=slug)


def episode(
    world: Any,
    person: Any,
    *,
    lead: str = "alice",
    slug: str = "power",
    start: datetime.date,
    end: datetime.date | None = None,
    reason: str = "needs_met",
) -> Episode:
    return Episode.objects.create(
        reference=f"EH-TEST-{next(_numbers):06d}",
        person=person,
        programme=programme(slug),
        lead_practitioner=world.users[lead].practitioner,
        start_date=start,
        end_date=end,
        level_at_start=2,
        level_at_close=1 if end else None,
        closure_reason=reason if end else "",
    )


def session(
    world: Any, ep: Episode, held_on: datetime.date, attendance: str = "attended", lead: str = "alice"
) -> Session:
    return Session.objects.create(
        episode=ep,
        held_on=held_on,
        kind="one_to_one",
        attendance=attendance,
        practitioner=world.users[lead].practitioner,
    )


def team_member(world: Any, ep: Episode, username: str, start: datetime.date) -> TeamMember:
    return TeamMember.objects.create(
        episode=ep, practitioner=world.users[username].practitioner, role="Attendance support", start_date=start
    )


def child(world: Any, n: int) -> Any:
    return person_create(
        actor=world.frontdoor,
        given_name=f"Child{n}",
        family_name=f"Outcomes{n}",
        date_of_birth=datetime.date(2014, 1, 1 + n % 28),
        sex="F" if n % 2 else "M",
        ethnicity="WBRI",
    )


def sdq_scores(total: int | None, **others: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stored scores and bands of a parent SDQ with this total (the subscales made to add up to it)."""
    from continuum.analytics.sdq import sdq_band

    if total is None:
        return {"total": None}, {"total": None}
    emotional = min(total, 10)
    rest = total - emotional
    conduct = min(rest, 10)
    rest -= conduct
    hyperactivity = min(rest, 10)
    peer = rest - hyperactivity
    scores = {
        "emotional": emotional,
        "conduct": conduct,
        "hyperactivity": hyperactivity,
        "peer": peer,
        "prosocial": 8,
        "total": total,
        **others,
    }
    bands = {name: sdq_band("parent", name, value) for name, value in scores.items() if name != "externalising"}
    return scores, bands


def questionnaire(
    ep: Episode, timepoint: str, total: int | None, *, on: datetime.date, informant: str = "parent"
) -> Questionnaire:
    scores, bands = sdq_scores(total)
    return Questionnaire.objects.create(
        measure=Measure.objects.get(slug="sdq"),
        person=ep.person,
        episode=ep,
        timepoint=timepoint,
        informant=informant,
        version="4-17",
        completed_on=on,
        responses={},
        scores=scores,
        bands=bands,
    )


def goal_ratings(ep: Episode, ratings: list[int], *, on: datetime.date) -> Goal:
    plan, _ = Plan.objects.get_or_create(episode=ep, defaults={"next_review_due": on, "agreed_on": on})
    goal = Goal.objects.create(
        plan=plan,
        description="Get to school on time",
        success_looks_like="On time four days in five",
        who="Child and mum",
        target_date=on,
        agreed_with="child",
    )
    for days, rating in enumerate(ratings):
        GoalRating.objects.create(
            goal=goal, rating=rating, rated_on=on + datetime.timedelta(days=7 * days), rated_by="child"
        )
    return goal
