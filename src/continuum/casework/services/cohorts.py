"""Group programmes: a course (cohort) with a venue, facilitators from several agencies, planned sessions,
members (children, through their episodes) and attendance at each session."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from continuum.agencies import access
from continuum.agencies.access import Actor
from continuum.agencies.selectors import practitioner_get
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.models import Cohort, CohortAttendance, CohortFacilitator, CohortMember, CohortSession
from continuum.casework.services._common import locked_episode
from continuum.identifiers import record_id


def _locked_cohort(actor: Actor, cohort_id: Any) -> Cohort:
    access.require(access.can_lead_casework(actor))
    wanted = record_id(cohort_id)
    cohort = (
        Cohort.objects.select_for_update().select_related("programme").filter(pk=wanted).first() if wanted else None
    )
    if cohort is None:
        raise Http404("No course has that reference")
    return cohort


def cohort_create(
    *,
    actor: Actor,
    programme_id: Any,
    name: str,
    venue: str,
    start_date: datetime.date | None,
    planned_sessions: int | None,
) -> Cohort:
    """Set up a course of a group programme; the actor is its first facilitator."""
    access.require(access.can_lead_casework(actor))
    profile = access.profile_of(actor)
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Name the course"
    if not venue.strip():
        errors["venue"] = "Say where the course meets"
    if start_date is None:
        errors["start_date"] = "Enter the date the course starts"
    if planned_sessions is None or not 1 <= planned_sessions <= 52:
        errors["planned_sessions"] = "Plan between 1 and 52 sessions"
    if record_id(programme_id) is None:
        errors["programme"] = "Choose the programme"
    if errors:
        raise ValidationError(errors)
    programme_key = record_id(programme_id)
    assert programme_key is not None and start_date is not None and planned_sessions is not None and profile
    with transaction.atomic():
        cohort = Cohort(
            programme_id=programme_key,
            name=name.strip()[:200],
            venue=venue.strip()[:200],
            start_date=start_date,
            planned_sessions=planned_sessions,
        )
        cohort.full_clean(exclude=["programme"])
        cohort.save()
        CohortFacilitator.objects.create(cohort=cohort, practitioner=profile)
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=cohort, event="casework.cohort_save", purpose="Course set up"
        )
    return cohort


def cohort_facilitator_add(*, actor: Actor, cohort_id: Any, practitioner_id: Any) -> CohortFacilitator:
    """Add a facilitator, from any agency."""
    with transaction.atomic():
        cohort = _locked_cohort(actor, cohort_id)
        wanted = record_id(practitioner_id)
        practitioner = practitioner_get(wanted) if wanted else None
        if practitioner is None:
            raise ValidationError({"practitioner": "Choose a practitioner from the list"})
        try:
            with transaction.atomic():
                made = CohortFacilitator.objects.create(cohort=cohort, practitioner=practitioner)
        except IntegrityError:
            raise ValidationError({"practitioner": f"{practitioner.name} already facilitates the course"}) from None
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=cohort,
            event="casework.cohort_save",
            purpose=f"{practitioner.name} facilitates the course",
        )
    return made


def cohort_member_add(*, actor: Actor, cohort_id: Any, episode_id: Any, joined_on: datetime.date) -> CohortMember:
    """Put a child on the course through their episode of the same programme (the actor must lead the episode)."""
    with transaction.atomic():
        cohort = _locked_cohort(actor, cohort_id)
        episode = locked_episode(actor, episode_id)
        if episode.end_date is not None:
            raise ValidationError({"episode": "The episode is closed"})
        if episode.programme_id != cohort.programme_id:
            raise ValidationError({"episode": f"The episode is not for {cohort.programme.name}"})
        try:
            with transaction.atomic():
                member = CohortMember.objects.create(cohort=cohort, episode=episode, joined_on=joined_on)
        except IntegrityError:
            raise ValidationError({"episode": "The child is already on the course"}) from None
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=member,
            person=episode.person_id,
            event="casework.cohort_save",
            purpose=f"Joined the course {cohort.name}",
        )
    return member


def cohort_member_leave(*, actor: Actor, member_id: Any, left_on: datetime.date) -> CohortMember:
    """Record that a child stopped coming before the end of the course."""
    with transaction.atomic():
        member = (
            CohortMember.objects.select_for_update().filter(pk=member_id).first() if str(member_id).isdigit() else None
        )
        if member is None:
            raise Http404("No member of a course has that reference")
        episode = locked_episode(actor, member.episode_id)
        if left_on < member.joined_on:
            raise ValidationError({"left_on": "They cannot leave before they joined"})
        member.left_on = left_on
        member.save(update_fields=["left_on"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=member,
            person=episode.person_id,
            event="casework.cohort_save",
            purpose="Left the course before the end",
        )
    return member


def cohort_session_record(
    *, actor: Actor, cohort_id: Any, held_on: datetime.date | None, attended_member_ids: Collection[Any]
) -> CohortSession:
    """Record the course's next session and who attended: every member still on the course is marked present or
    absent. Only the course's facilitators record attendance."""
    with transaction.atomic():
        cohort = _locked_cohort(actor, cohort_id)
        profile = access.profile_of(actor)
        if not cohort.facilitators.filter(practitioner=profile).exists():
            raise ValidationError("Only the course's facilitators record its sessions")
        if held_on is None:
            raise ValidationError({"held_on": "Enter the date of the session"})
        if held_on < cohort.start_date:
            raise ValidationError({"held_on": "The session cannot be before the course starts"})
        number = cohort.sessions.count() + 1
        if number > cohort.planned_sessions:
            raise ValidationError(f"All {cohort.planned_sessions} planned sessions have been recorded")
        members = list(cohort.members.filter(joined_on__lte=held_on).exclude(left_on__lte=held_on))
        attended = {str(m) for m in attended_member_ids}
        unknown = attended - {str(m.pk) for m in members}
        if unknown:
            raise ValidationError({"attended": "Mark attendance only for members on the course"})
        session = CohortSession.objects.create(cohort=cohort, number=number, held_on=held_on)
        CohortAttendance.objects.bulk_create(
            [CohortAttendance(session=session, member=m, attended=str(m.pk) in attended) for m in members]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=session,
            event="casework.cohort_attendance",
            purpose=f"Session {number} of {cohort.name}: {len(attended)} of {len(members)} attended",
            detail={"attended": sorted(attended)},
        )
    return session
