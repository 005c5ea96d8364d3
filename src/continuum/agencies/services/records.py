"""Agencies' records about children: involvements and allocations; and the demo's accounts."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from continuum.agencies.access import Actor, SystemActor
from continuum.agencies.models import Agency, Allocation, Involvement, Practitioner, Team, User
from continuum.audit.services import AuditAction, audit_record

if TYPE_CHECKING:
    from continuum.people.models import Person


def practitioner_account_set(*, actor: Actor, practitioner: Practitioner, username: str) -> tuple[User, str]:
    """Give a practitioner a user account with a random password, shown once: for the demonstration and for
    setting up the first administrator from the command line only. In the service, administrators use
    account_create and account_password_reset, which never let them know anyone's password.
    """
    if not isinstance(actor, SystemActor):
        raise PermissionDenied("Accounts with a known password are set up from the command line only")
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        accounts = User.objects.select_for_update()
        user = (
            (accounts.filter(pk=practitioner.user_id).first() if practitioner.user_id else None)
            or accounts.filter(username=username).first()
            or User(username=username)
        )
        user.username = username
        user.first_name = practitioner.given_name
        user.last_name = practitioner.family_name
        user.email = practitioner.email
        user.is_active = True
        user.is_staff = practitioner.role == "administrator"
        validate_password(password, user)
        user.set_password(password)
        user.save()
        if practitioner.user_id != user.pk:
            Practitioner.objects.filter(user=user).exclude(pk=practitioner.pk).update(user=None)
            practitioner.user = user
            practitioner.save(update_fields=["user"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            event="agencies.account_set",
            purpose="Account set up or password reset",
            detail={"username": username, "role": practitioner.role, "agency": practitioner.agency.name},
        )
    return user, password


def _create(record: Involvement | Allocation, *, actor: Actor, event: str, purpose: str) -> None:
    """Validate a child's involvement or allocation, save it and write its audit row in one transaction."""
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=record, event=event, purpose=purpose)


def _end[R: (Involvement, Allocation)](record: R, *, actor: Actor, end_date: datetime.date, event: str) -> R:
    """Set the end date of an involvement or allocation, its row locked while it changes, and audit it."""
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        locked.end_date = end_date
        locked.full_clean()
        locked.save(update_fields=["end_date"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, event=event, purpose=_ended(locked))
    record.end_date = end_date
    return locked


def _ended(record: Involvement | Allocation) -> str:
    if isinstance(record, Involvement):
        return f"{record.agency.name} closed {record.get_kind_display()}"
    return f"{record.practitioner.name} allocation ended"


def involvement_open(
    *,
    actor: Actor,
    person: Person,
    agency: Agency,
    kind: str,
    start_date: datetime.date,
    team: Team | None = None,
    lead_practitioner: Practitioner | None = None,
) -> Involvement:
    """Record that an agency has started a service with a child."""
    involvement = Involvement(
        person=person,
        agency=agency,
        kind=kind,
        start_date=start_date,
        team=team,
        lead_practitioner=lead_practitioner,
    )
    purpose = f"{agency.name} opened {involvement.get_kind_display()}"
    _create(involvement, actor=actor, event="agencies.involvement_open", purpose=purpose)
    return involvement


def involvement_close(*, actor: Actor, involvement: Involvement, end_date: datetime.date) -> Involvement:
    """Record that an agency's service with a child ended (the end date is the first day it no longer runs)."""
    return _end(involvement, actor=actor, end_date=end_date, event="agencies.involvement_close")


def allocation_add(
    *, actor: Actor, person: Person, practitioner: Practitioner, kind: str, start_date: datetime.date
) -> Allocation:
    """Allocate a practitioner to a child, as lead or in the team around the family, within the
    practitioner's caseload capacity (a hard maximum; none recorded means no maximum)."""
    allocation = Allocation(person=person, practitioner=practitioner, kind=kind, start_date=start_date)
    purpose = f"{practitioner.name} allocated ({allocation.get_kind_display()})"
    with transaction.atomic():
        # The practitioner's row is locked while their caseload is counted, so two allocations made at
        # once cannot both take the last place.
        held = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
        if held.caseload_capacity is not None:
            holding = Allocation.objects.current().filter(practitioner=held).count()
            if holding >= held.caseload_capacity:
                raise ValidationError(
                    {
                        "practitioner": f"{held.name} already holds {holding} children, their maximum of "
                        f"{held.caseload_capacity}: choose someone with room"
                    }
                )
        _create(allocation, actor=actor, event="agencies.allocation_add", purpose=purpose)
    return allocation


def allocation_end(*, actor: Actor, allocation: Allocation, end_date: datetime.date) -> Allocation:
    """End an allocation (the end date is the first day the practitioner is no longer allocated)."""
    return _end(allocation, actor=actor, end_date=end_date, event="agencies.allocation_end")
