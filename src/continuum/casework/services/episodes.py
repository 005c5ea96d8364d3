"""Opening an episode of support (from the front door's allocation, or directly by a lead practitioner), the
family and the team around the family, and closing it: stepped down, stepped up (a new referral to the front
door carrying the episode's history), or for another reason.

Closing ends what the episode gave: the lead's allocation, the team members' places (and with them their
working relationship with the child), and the front-door referral it came from.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Actor, SystemActor
from continuum.agencies.selectors import practitioner_get
from continuum.agencies.services import allocation_add, allocation_end, involvement_close, involvement_open
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.models import Episode, EpisodeFamilyMember, TeamMember
from continuum.casework.services._common import locked_episode, still_open
from continuum.frontdoor.selectors import allocated_referral, referral_reasons
from continuum.frontdoor.services import Named, referral_close, referral_create
from continuum.identifiers import record_id

REFERENCE_TRIES = 5


def _profile(actor: Actor) -> Any:
    access.require(access.can_lead_casework(actor))
    profile = access.profile_of(actor)
    assert profile is not None  # can_lead_casework: a signed-in practitioner
    return profile


def episode_open(
    *,
    actor: Actor,
    person_id: Any,
    level: int | None = None,
    programme_id: Any = None,
    start_date: datetime.date | None = None,
) -> Episode:
    """Open an episode of support for a child, led by the actor.

    From the front door when the child's open referral is allocated to the actor: the programme, the team and
    the level of need come from the front door's decision, and the allocation is the episode's. Otherwise
    directly, for a child the actor may open: the actor gives the level (and the programme, if any) and is
    allocated to the child as lead, within their caseload capacity.
    """
    profile = _profile(actor)
    start = start_date or timezone.localdate()
    if start > timezone.localdate():
        raise ValidationError({"start_date": "The start date must be today or in the past"})
    with transaction.atomic():
        person_key = record_id(person_id)
        if person_key is None or access.access_basis(actor, person_key) is None:
            raise Http404("No record you can open has that reference")
        open_one = Episode.objects.current().filter(person_id=person_key).first()
        if open_one is not None:
            raise ValidationError(f"The child already has an open episode of support, {open_one}")
        found = allocated_referral(person_id=person_key, practitioner_id=profile.pk)
        episode = Episode(person_id=person_key, lead_practitioner=profile, team_id=profile.team_id, start_date=start)
        episode.opened_by = actor if not isinstance(actor, SystemActor) else None
        if found is not None and found.decision is not None:
            decision = found.decision
            episode.referral = found.referral
            episode.decision = decision
            episode.allocation = found.referral.allocation
            episode.programme_id = decision.programme_id
            episode.team_id = found.transfer.team_id if found.transfer else profile.team_id
            episode.level_at_start = level if level is not None else decision.level
            how = f"From referral {found.referral.reference}"
        else:
            if level is None:
                raise ValidationError({"level": "Select the level of need at the start"})
            episode.level_at_start = level
            episode.programme_id = record_id(programme_id) if programme_id else None
            person = episode.person
            existing = person.allocations.current().filter(practitioner=profile, kind="lead").first()
            if existing is None:
                try:
                    existing = allocation_add(
                        actor=actor, person=person, practitioner=profile, kind="lead", start_date=start
                    )
                except ValidationError as full:
                    words = (
                        full.message_dict.get("practitioner", full.messages)
                        if hasattr(full, "error_dict")
                        else full.messages
                    )
                    raise ValidationError(f"{words[0]}. Ask your manager to allocate the child") from None
            episode.allocation = existing
            how = "Opened directly by the lead practitioner"
        episode.involvement = _involvement_for(actor, episode, profile)
        episode.full_clean(
            exclude=[
                "reference",
                "person",
                "lead_practitioner",
                "programme",
                "team",
                "referral",
                "decision",
                "allocation",
                "involvement",
                "opened_by",
            ]
        )
        _save_with_reference(episode)
        if episode.referral is not None:
            EpisodeFamilyMember.objects.bulk_create(
                [
                    EpisodeFamilyMember(episode=episode, person_id=m.person_id, relationship=m.relationship)
                    for m in episode.referral.family.all()
                ],
                ignore_conflicts=True,
            )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=episode,
            event="casework.episode_open",
            purpose=how,
            detail={
                "reference": episode.reference,
                "programme": str(episode.programme_id or ""),
                "level": episode.level_at_start,
            },
        )
    return episode


def _involvement_for(actor: Actor, episode: Episode, lead: Any) -> Any:
    """Open the lead agency's early help involvement with the child, unless one is open already (then None): the
    lead's colleagues then work with the child (agency_involvement) for as long as the episode runs."""
    kind = "voluntary_support" if lead.agency.kind == "voluntary" else "early_help"
    person = episode.person
    if person.involvements.current().filter(agency_id=lead.agency_id, kind=kind).exists():
        return None
    return involvement_open(
        actor=actor,
        person=person,
        agency=lead.agency,
        kind=kind,
        start_date=episode.start_date,
        team=episode.team,
        lead_practitioner=lead,
    )


def _save_with_reference(episode: Episode) -> None:
    """Number the episode EH-YYYY-NNNNNN, the next in its year (the next again if another took it meanwhile)."""
    prefix = f"EH-{episode.start_date.year}-"
    for _ in range(REFERENCE_TRIES):
        last = (
            Episode.objects.filter(reference__startswith=prefix)
            .order_by("-reference")
            .values_list("reference", flat=True)
            .first()
        )
        episode.reference = f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:06d}"
        try:
            with transaction.atomic():
                episode.save(force_insert=True)
            return
        except IntegrityError:
            continue
    raise ValidationError("Could not number the episode: try again")


def family_member_add(*, actor: Actor, episode_id: Any, person_id: Any, relationship: str) -> EpisodeFamilyMember:
    """Add someone the actor may open to the family the episode works with."""
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        still_open(episode, what="family member")
        person_key = record_id(person_id)
        if person_key is None or access.access_basis(actor, person_key) is None:
            raise ValidationError({"person": "No record you can open has that reference"})
        if relationship not in v.codes(v.RELATIONSHIP_KIND):
            raise ValidationError({"relationship": "Select how they are related to the child"})
        if person_key == episode.person_id or episode.family.filter(person_id=person_key).exists():
            raise ValidationError({"person": "They are already in the episode"})
        member = EpisodeFamilyMember.objects.create(episode=episode, person_id=person_key, relationship=relationship)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=episode,
            event="casework.episode_open",
            purpose="Added a family member to the episode",
            detail={"family_member": str(person_key)},
        )
    return member


def team_member_add(
    *, actor: Actor, episode_id: Any, practitioner_id: Any, role: str, start_date: datetime.date | None = None
) -> TeamMember:
    """Add a practitioner (of any agency) to the team around the family: while their place lasts they have a
    working relationship with the child (team_around_family)."""
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        start = start_date or timezone.localdate()
        still_open(episode, what="team member", on=start, field="start_date")
        wanted = record_id(practitioner_id)
        practitioner = practitioner_get(wanted) if wanted else None
        if practitioner is None:
            raise ValidationError({"practitioner": "Choose a practitioner from the list"})
        if practitioner.pk == episode.lead_practitioner_id:
            raise ValidationError({"practitioner": f"{practitioner.name} leads the episode already"})
        if episode.team_around_family.current().filter(practitioner=practitioner).exists():
            raise ValidationError({"practitioner": f"{practitioner.name} is already in the team around the family"})
        if not role.strip():
            raise ValidationError({"role": "Say what they do for the family"})
        member = TeamMember(episode=episode, practitioner=practitioner, role=role.strip()[:200], start_date=start)
        member.full_clean(exclude=["episode", "practitioner"])
        member.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=member,
            person=episode.person_id,
            event="casework.team_member_add",
            purpose=f"{practitioner.name} ({practitioner.agency.name}) joined the team around the family",
        )
    return member


def team_member_end(*, actor: Actor, team_member_id: Any, end_date: datetime.date | None = None) -> TeamMember:
    """End a practitioner's place in the team around the family (and with it their working relationship)."""
    with transaction.atomic():
        wanted = record_id(team_member_id)
        member = (
            TeamMember.objects.select_for_update().select_related("practitioner").filter(pk=wanted).first()
            if wanted
            else None
        )
        if member is None:
            raise Http404("No team member has that reference")
        episode = locked_episode(actor, member.episode_id)
        if not member.is_current():
            raise ValidationError("Their place in the team around the family has already ended")
        member.end_date = max(end_date or timezone.localdate(), member.start_date)
        member.full_clean(exclude=["episode", "practitioner"])
        member.save(update_fields=["end_date"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=member,
            person=episode.person_id,
            event="casework.team_member_end",
            purpose=f"{member.practitioner.name}'s place in the team around the family ended",
        )
    return member


def episode_history(episode: Episode) -> str:
    """The episode's story for a step-up referral: dates, programme, the assessment, sessions, the last review."""
    lines = [
        f"Stepped up from early help episode {episode.reference}, "
        f"open from {episode.start_date:%-d %B %Y} to {episode.end_date or timezone.localdate():%-d %B %Y}, "
        f"led by {episode.lead_practitioner.name}.",
        f"Programme: {episode.programme.name if episode.programme else 'none'}. "
        f"Level of need at the start: {episode.get_level_at_start_display()}; "
        f"at close: {episode.get_level_at_close_display() or 'not given'}.",
    ]
    assessment = episode.assessments.order_by("-completed_on", "-created_at").first()
    if assessment is not None:
        lines.append(f"Early help assessment ({assessment.completed_on:%-d %B %Y}): {assessment.summary}")
    sessions = list(episode.sessions.values_list("attendance", flat=True))
    attended = sum(1 for a in sessions if a == "attended")
    lines.append(f"Sessions: {len(sessions)} recorded, {attended} attended.")
    review = episode.reviews.order_by("-held_on").first()
    if review is not None:
        lines.append(f"Last review ({review.held_on:%-d %B %Y}): {review.summary}")
    if episode.closure_note:
        lines.append(f"Why it is stepped up: {episode.closure_note}")
    return "\n\n".join(lines)


def episode_close(
    *,
    actor: Actor,
    episode_id: Any,
    closed_on: datetime.date,
    level_at_close: int | None,
    closure_reason: str,
    closure_note: str = "",
    step_down_to: str = "",
    step_down_note: str = "",
    step_up_reasons: Sequence[str] = (),
    step_up_consent: str = "",
    step_up_consent_reason: str = "",
) -> Episode:
    """Close an episode. A step down records where the child went; a step up sends a referral to the front door
    carrying the episode's history. Ends the lead's allocation, the team members' places and the referral the
    episode came from."""
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        still_open(episode, what="close", field="closed_on")
        if closed_on > timezone.localdate():
            raise ValidationError({"closed_on": "The date it closed must be today or in the past"})
        if closed_on < episode.start_date:
            raise ValidationError(
                {"closed_on": f"The episode started on {episode.start_date:%-d %B %Y}: it cannot close before"}
            )
        last_session = episode.sessions.order_by("-held_on").values_list("held_on", flat=True).first()
        if last_session is not None and closed_on < last_session:
            raise ValidationError({"closed_on": f"A session was recorded on {last_session:%-d %B %Y}, after that date"})
        if closure_reason not in v.codes(v.CLOSURE_REASON):
            raise ValidationError({"closure_reason": "Select the reason the episode closed"})
        episode.end_date = closed_on
        episode.level_at_close = level_at_close
        episode.closure_reason = closure_reason
        episode.closure_note = closure_note.strip()
        episode.step_down_to = step_down_to if closure_reason == "stepped_down" else ""
        episode.step_down_note = step_down_note.strip()[:300] if closure_reason == "stepped_down" else ""
        episode.full_clean(
            exclude=[
                "person",
                "lead_practitioner",
                "programme",
                "team",
                "referral",
                "decision",
                "allocation",
                "involvement",
                "opened_by",
                "step_up_referral",
            ]
        )
        if closure_reason == "stepped_up":
            reasons = list(step_up_reasons) or (
                referral_reasons(referral_id=episode.referral_id) if episode.referral_id else []
            )
            try:
                referral = referral_create(
                    actor=actor,
                    child=Named(person_id=episode.person_id),
                    reasons=reasons,
                    story=episode_history(episode),
                    consent=step_up_consent,
                    consent_reason=step_up_consent_reason,
                )
            except ValidationError as problem:
                renamed = {
                    "reasons": "step_up_reasons",
                    "consent": "step_up_consent",
                    "consent_reason": "step_up_consent_reason",
                }
                raise ValidationError(
                    {renamed.get(k, "__all__"): msgs for k, msgs in problem.message_dict.items()}
                ) from None
            episode.step_up_referral = referral
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=episode,
                event="casework.episode_step_up",
                purpose=f"Stepped up: referral {referral.reference} to the front door",
                detail={"referral": str(referral.pk)},
            )
        episode.save()
        _end_what_the_episode_gave(actor, episode, closed_on)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=episode,
            event="casework.episode_close",
            purpose=f"Closed: {episode.get_closure_reason_display()}",
            detail={"level_at_close": level_at_close, "step_down_to": episode.step_down_to},
        )
    return episode


def _end_what_the_episode_gave(actor: Actor, episode: Episode, closed_on: datetime.date) -> None:
    involvement = episode.involvement
    if involvement is not None and involvement.is_current():
        involvement_close(
            actor=actor, involvement=involvement, end_date=max(closed_on, involvement.start_date or closed_on)
        )
    allocation = episode.allocation
    if allocation is not None and allocation.is_current():
        allocation_end(actor=actor, allocation=allocation, end_date=max(closed_on, allocation.start_date))
    for member in (
        TeamMember.objects.select_for_update().current().filter(episode=episode).select_related("practitioner")
    ):
        member.end_date = max(closed_on, member.start_date)
        member.save(update_fields=["end_date"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=member,
            person=episode.person_id,
            event="casework.team_member_end",
            purpose=f"{member.practitioner.name}'s place ended: the episode closed",
        )
    if episode.referral is not None and episode.referral.is_open:
        # The front door closes referrals; a lead practitioner closing the episode is not the front door, so the
        # referral is closed in the system's name, on the episode's closure (which is audited as theirs).
        closer: Actor = (
            actor
            if access.can_screen(actor) or access.can_manage_team(actor)
            else SystemActor(f"episode {episode.reference} closed by {getattr(actor, 'username', 'the system')}")
        )
        referral_close(
            actor=closer,
            referral_id=episode.referral_id,
            reason=f"Episode of support {episode.reference} closed: {episode.get_closure_reason_display()}",
        )
