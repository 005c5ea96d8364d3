"""Practitioners' accounts, agencies' involvements with children, and allocations."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from continuum.agencies.models import Agency, Allocation, Involvement, Practitioner, Team, User
from continuum.audit.models import AuditAction
from continuum.audit.services import audit_record


def practitioner_account_set(*, actor: Any, practitioner: Practitioner, username: str) -> tuple[User, str]:
    """Give a practitioner a user account (or a new password for theirs); returns the account and password.

    The password is random and shown once; administrators hand it over and the user changes it.
    """
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = practitioner.user or User.objects.filter(username=username).first() or User(username=username)
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
            object_type="user",
            object_id=user.pk,
            purpose="Account set up or password reset",
            detail={"username": username, "role": practitioner.role, "agency": practitioner.agency.name},
        )
    return user, password


def _save_with_audit(
    record: Involvement | Allocation, *, actor: Any, action: str, purpose: str, fields: list[str] | None = None
) -> None:
    """Validate a child's involvement or allocation, save it and write its audit row in one transaction."""
    record.full_clean()
    with transaction.atomic():
        record.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=action,
            object_type=record._meta.model_name or "",
            object_id=record.pk,
            person_id=record.person_id,
            purpose=purpose,
        )


def involvement_open(
    *,
    actor: Any,
    person: Any,
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
    _save_with_audit(involvement, actor=actor, action=AuditAction.CREATE, purpose=purpose)
    return involvement


def involvement_close(*, actor: Any, involvement: Involvement, end_date: datetime.date) -> Involvement:
    involvement.end_date = end_date
    purpose = f"{involvement.agency.name} closed {involvement.get_kind_display()}"
    _save_with_audit(involvement, actor=actor, action=AuditAction.UPDATE, purpose=purpose, fields=["end_date"])
    return involvement


def allocation_add(
    *, actor: Any, person: Any, practitioner: Practitioner, kind: str, start_date: datetime.date
) -> Allocation:
    """Allocate a practitioner to a child, as lead or in the team around the family."""
    allocation = Allocation(person=person, practitioner=practitioner, kind=kind, start_date=start_date)
    purpose = f"{practitioner.name} allocated ({allocation.get_kind_display()})"
    _save_with_audit(allocation, actor=actor, action=AuditAction.CREATE, purpose=purpose)
    return allocation


def allocation_end(*, actor: Any, allocation: Allocation, end_date: datetime.date) -> Allocation:
    allocation.end_date = end_date
    purpose = f"{allocation.practitioner.name} allocation ended"
    _save_with_audit(allocation, actor=actor, action=AuditAction.UPDATE, purpose=purpose, fields=["end_date"])
    return allocation
