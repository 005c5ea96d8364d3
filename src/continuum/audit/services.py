"""Writing to the audit trail, and break-glass access."""

from __future__ import annotations

import contextvars
import datetime
import getpass
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.models import Practitioner
from continuum.audit.models import AuditAction, AuditEvent, BreakGlassGrant

log = logging.getLogger(__name__)

# The client address of the request being served, set by AuditContextMiddleware.
client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


class SystemActor:
    """The actor for work started outside the web application: a command, a scheduled load."""

    pk = None
    is_authenticated = False
    is_active = False
    profile = None

    def __init__(self, via: str = "command line") -> None:
        self.username = f"system ({via}, os user {getpass.getuser()})"


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any = "",
    person_id: Any = None,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. Must run inside the transaction of the read or write it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("write the audit row inside the transaction of the access it records")
    profile = access.profile_of(actor)
    return AuditEvent.objects.create(
        actor_id=actor.pk,
        actor_username=actor.username,
        actor_role=profile.role if profile else "",
        actor_agency_id=profile.agency_id if profile else None,
        actor_agency=profile.agency.name if profile else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        person_id=person_id,
        purpose=purpose[:300],
        detail=detail or {},
        client_ip=client_ip.get(),
    )


def audit_refusal(*, actor: Any, object_type: str, object_id: Any, why: str) -> None:
    """Record an attempt to reach something the actor may not see (kept even though the request fails)."""
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.REFUSED, object_type=object_type, object_id=object_id, purpose=why)


def break_glass_open(*, actor: Any, person_id: Any, reason_code: str, reason: str) -> BreakGlassGrant:
    """Give the actor time-limited access to one child's record, audit it and tell their managers."""
    from continuum.people.models import Person

    access.require(access.can_break_glass(actor))
    policy = access.policy()
    reasons = dict(policy.break_glass_reasons)
    errors = {}
    if reason_code not in reasons:
        errors["reason_code"] = "Select why you need emergency access"
    if len(reason.strip()) < 10:
        errors["reason"] = "Explain why you need emergency access (at least 10 characters)"
    if errors:
        raise ValidationError(errors)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"person": "That record does not exist"})
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=actor,
            person=person,
            reason_code=reason_code,
            reason=reason.strip(),
            granted_at=now,
            expires_at=now + datetime.timedelta(minutes=policy.break_glass_minutes),
        )
        audit_record(
            actor=actor,
            action=AuditAction.BREAK_GLASS,
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            purpose=f"Break-glass: {reasons[reason_code]}",
            detail={"grant": str(grant.pk), "reason": grant.reason, "minutes": policy.break_glass_minutes},
        )
        transaction.on_commit(lambda: _tell_reviewers(grant))
    return grant


def _reviewers_for(user: Any) -> QuerySet[Practitioner]:
    """Managers who review this user's break-glass access: their agency's reviewers, and those who review all."""
    profile = access.profile_of(user)
    if profile is None:
        return Practitioner.objects.none()
    roles = access.policy().roles.values()
    reviewing = [r.code for r in roles if r.reviews_break_glass]
    everyone = [r.code for r in roles if r.reviews_break_glass and r.audit == "all"]
    return (
        Practitioner.objects.filter(user__is_active=True, role__in=reviewing)
        .filter(Q(agency_id=profile.agency_id) | Q(role__in=everyone))
        .exclude(user=user)
    )


def _tell_reviewers(grant: BreakGlassGrant) -> None:
    """Email each reviewer that a break-glass access waits for review. No child's details go in the email."""
    link = reverse("audit:break_glass_review", args=[grant.pk])
    messages = [
        (
            f"{settings.SERVICE_NAME}: a break-glass access needs your review",
            f"{grant.user.username} used break-glass access to a child's record. Review it, signed in, at {link}",
            settings.DEFAULT_FROM_EMAIL,
            [p.email],
        )
        for p in _reviewers_for(grant.user)
        if p.email
    ]
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError:
        # The grant stands and the review list still shows it; a mail outage must not hide that.
        log.exception("could not email break-glass reviewers for grant %s", grant.pk)


def break_glass_review(*, actor: Any, grant_id: Any, outcome: str, note: str) -> BreakGlassGrant:
    """A manager records whether a break-glass access was appropriate."""
    from continuum.audit.selectors import break_glass_reviewable

    grant = break_glass_reviewable(viewer=actor).filter(pk=grant_id).first()
    if grant is None:
        raise PermissionDenied
    if outcome not in BreakGlassGrant.Outcome.values:
        raise ValidationError({"outcome": "Select whether the access was appropriate"})
    if outcome == BreakGlassGrant.Outcome.INAPPROPRIATE and not note.strip():
        raise ValidationError({"note": "Say what follow-up is needed"})
    with transaction.atomic():
        grant.reviewed_by = actor
        grant.reviewed_at = timezone.now()
        grant.review_outcome = outcome
        grant.review_note = note.strip()
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome", "review_note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="break_glass_grant",
            object_id=grant.pk,
            person_id=grant.person_id,
            purpose="Break-glass review",
            detail={"outcome": outcome},
        )
    return grant
