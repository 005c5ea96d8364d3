"""Allocating a referred child to a practitioner of the team that accepted them, within caseload capacity;
the waiting list when nobody there has room.

A practitioner's caseload is their allocations current today (agencies' Allocation, of any kind), and their
caseload capacity is a hard maximum: an allocation beyond it is refused (SHiFT's guides, for example, hold at
most five young people each: seed 003). Practitioners with no capacity recorded have no maximum.

Re-allocation keeps the history: the old allocation is ended today and a new one made, both audited by the
agencies' services. Only a programme keeps a waiting list (a waiting list entry names the programme); a child
joins it only when nobody in the team has room, and leaves it when allocated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.agencies.access import Actor
from continuum.agencies.selectors import caseloads
from continuum.agencies.services import allocation_add, allocation_end
from continuum.audit.services import AuditAction, audit_record
from continuum.frontdoor.models import Referral, WaitingListEntry
from continuum.frontdoor.selectors.screening import accepted_transfer, may_allocate
from continuum.identifiers import record_id

if TYPE_CHECKING:
    from continuum.frontdoor.models import Transfer

ALLOCATABLE = (Referral.Status.DECIDED, Referral.Status.WAITING, Referral.Status.ALLOCATED)


def _referral(referral_id: Any) -> Referral:
    wanted = record_id(referral_id)
    if wanted is None:
        raise ValidationError("No referral has that reference")
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person", "allocation__practitioner")
        .filter(pk=wanted)
        .first()
    )
    if referral is None:
        raise ValidationError("No referral has that reference")
    return referral


def _accepted(actor: Actor, referral: Referral) -> Transfer:
    """The accepted transfer, if the actor may allocate for it: the front door or the accepting team's manager."""
    transfer = accepted_transfer(referral)
    if not may_allocate(actor, transfer):
        raise PermissionDenied("Only the front door or the manager of the team that accepted the child allocates")
    if transfer is None or referral.status not in ALLOCATABLE:
        raise ValidationError(
            f"Referral {referral.reference} is not ready for allocation: no team has accepted it "
            f"({referral.get_status_display().lower()})"
        )
    return transfer


def _leave_waiting_list(actor: Actor, referral: Referral, outcome: str) -> None:
    today = timezone.localdate()
    for entry in WaitingListEntry.objects.select_for_update().current().filter(referral=referral):
        entry.end_date = max(today, entry.start_date)
        entry.outcome = outcome[:200]
        entry.save(update_fields=["end_date", "outcome"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=entry,
            person=referral.person_id,
            event="frontdoor.waiting_list_remove",
            purpose=outcome,
            detail={"referral": str(referral.pk), "days_waited": (today - entry.start_date).days},
        )


def referral_allocate(*, actor: Actor, referral_id: Any, practitioner_id: Any) -> Referral:
    """Allocate the child to a practitioner of the team that accepted them, as lead, within the practitioner's
    caseload capacity; a re-allocation ends the previous allocation. Ends the child's wait on a waiting list."""
    with transaction.atomic():
        referral = _referral(referral_id)
        transfer = _accepted(actor, referral)
        team = transfer.team
        wanted = record_id(practitioner_id)
        load = next((c for c in caseloads(team=team.pk) if c.practitioner.pk == wanted), None)
        if load is None:
            raise ValidationError({"practitioner": f"Choose a practitioner in {team.name}"})
        practitioner = load.practitioner
        current = referral.allocation if referral.allocation and referral.allocation.is_current() else None
        if current is not None and current.practitioner_id == practitioner.pk:
            raise ValidationError({"practitioner": f"The child is already allocated to {practitioner.name}"})
        if referral.person.allocations.current().filter(practitioner_id=practitioner.pk).exists():
            raise ValidationError(
                {"practitioner": f"{practitioner.name} is already allocated to the child: choose someone else"}
            )
        today = timezone.localdate()
        previous = None
        if current is not None:
            previous = current.practitioner.name
            allocation_end(actor=actor, allocation=current, end_date=max(today, current.start_date))
        try:  # allocation_add holds the caseload maximum, under a lock on the practitioner
            allocation = allocation_add(
                actor=actor, person=referral.person, practitioner=practitioner, kind="lead", start_date=today
            )
        except ValidationError as full:
            if transfer.decision.programme_id and "practitioner" in getattr(full, "error_dict", {}):
                raise ValidationError(
                    {"practitioner": f"{full.message_dict['practitioner'][0]}, or put the child on the waiting list"}
                ) from None
            raise
        _leave_waiting_list(actor, referral, f"Allocated to {practitioner.name}")
        referral.allocation = allocation
        referral.status = Referral.Status.ALLOCATED
        referral.save(update_fields=["allocation", "status"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            event="frontdoor.referral_allocate",
            purpose=(
                f"Re-allocated from {previous} to {practitioner.name}"
                if previous
                else f"Allocated to {practitioner.name}"
            )
            + f" ({team.name})",
            detail={
                "allocation": str(allocation.pk),
                "practitioner": str(practitioner.pk),
                "team": str(team.pk),
                "caseload_before": load.open,
                "capacity": load.capacity,
                "reallocated_from": str(current.pk) if current else None,
            },
        )
    return referral


def waiting_list_add(*, actor: Actor, referral_id: Any) -> WaitingListEntry:
    """Put an accepted child on the waiting list for their programme with the team, when nobody there has room."""
    with transaction.atomic():
        referral = _referral(referral_id)
        transfer = _accepted(actor, referral)
        if referral.status == Referral.Status.WAITING:
            raise ValidationError(f"Referral {referral.reference} is already on the waiting list")
        if referral.status != Referral.Status.DECIDED:
            raise ValidationError(f"Referral {referral.reference} is already allocated")
        decision = transfer.decision
        if decision.programme_id is None:
            raise ValidationError(
                f"Only a programme keeps a waiting list: allocate a practitioner in {transfer.team.name}"
            )
        with_room = [c.practitioner.name for c in caseloads(team=transfer.team_id) if c.has_room]
        if with_room:
            names = ", ".join(with_room[:3]) + (f" and {len(with_room) - 3} more" if len(with_room) > 3 else "")
            raise ValidationError(
                f"{names} {'has' if len(with_room) == 1 else 'have'} room: allocate the child instead"
            )
        entry = WaitingListEntry(
            referral=referral,
            programme_id=decision.programme_id,
            team_id=transfer.team_id,
            start_date=timezone.localdate(),
        )
        entry.full_clean(exclude=["referral", "programme", "team"])
        entry.save()
        referral.status = Referral.Status.WAITING
        referral.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=entry,
            person=referral.person_id,
            event="frontdoor.waiting_list_add",
            purpose=f"Waiting for {decision.programme} with {transfer.team.name}: nobody in the team has room",
            detail={"referral": str(referral.pk)},
        )
    return entry
