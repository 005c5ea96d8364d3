"""Writing to the audit trail, and break-glass access.

Every row carries one of eight verbs (view, search, create, update, export, import, break-glass,
refused) for data-protection reports, and an event named by the module that wrote it
("people.person_view", "frontdoor.referral_decide"). Modules declare their events on their AppConfig:

    class FrontdoorConfig(AppConfig):
        audit_events = {"referral_decide": "Decided the level of need for a referral"}
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.agencies.selectors import break_glass_reviewers
from continuum.audit.models import AuditAction, AuditEvent, BreakGlassGrant

if TYPE_CHECKING:
    from continuum.agencies.models import User

__all__ = [
    "AuditAction",
    "Subject",
    "audit_record",
    "audit_refusal",
    "break_glass_open",
    "break_glass_review",
    "declared_events",
    "record_type",
]

log = logging.getLogger(__name__)

# The client address of the request being served, set by AuditContextMiddleware.
client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Subject:
    """What an audit row is about when it is not one stored row: a search, a download of the trail, a load."""

    kind: str
    id: Any = ""


def record_type(model: type[models.Model] | models.Model) -> str:
    """How the audit trail names a kind of record: the model name in snake case (break_glass_grant)."""
    name = model.__name__ if isinstance(model, type) else type(model).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@functools.cache
def declared_events() -> dict[str, str]:
    """Every audit event the installed modules declare, "<app label>.<name>" -> what it records."""
    events: dict[str, str] = {}
    for config in apps.get_app_configs():
        for name, label in getattr(config, "audit_events", {}).items():
            events[f"{config.label}.{name}"] = label
    return events


def audit_record(
    *,
    actor: Viewer,
    action: str,
    obj: models.Model | Subject | None = None,
    event: str = "",
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    person: Any = None,
) -> AuditEvent:
    """Append one audit row. Must run inside the transaction of the read or write it records.

    The object's type and id come from `obj`, and the person concerned too when `obj` is a person
    or belongs to one; `person` (an id or a Person) names them where `obj` does not.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("write the audit row inside the transaction of the access it records")
    if event and event not in declared_events():
        raise ValueError(f"audit event {event!r} is not declared by any installed module")
    if isinstance(obj, models.Model):
        object_type, object_id = record_type(obj), obj.pk
        if person is None:
            person = obj.pk if obj._meta.label == "people.Person" else getattr(obj, "person_id", None)
    elif isinstance(obj, Subject):
        object_type, object_id = obj.kind, obj.id
    else:
        object_type, object_id = "", ""
    profile = access.profile_of(actor)
    return AuditEvent.objects.create(
        actor_id=actor.pk,
        actor_username=str(getattr(actor, "username", "")) or "anonymous",
        actor_role=profile.role if profile else "",
        actor_agency_id=profile.agency_id if profile else None,
        actor_agency=profile.agency.name if profile else "",
        action=action,
        event=event,
        object_type=object_type,
        object_id=str(object_id or ""),
        person_id=getattr(person, "pk", person),
        purpose=purpose[:300],
        detail=detail or {},
        client_ip=client_ip.get(),
    )


def audit_refusal(*, actor: Viewer, object_type: str, object_id: Any, why: str, event: str = "") -> None:
    """Record an attempt to reach something the actor may not see (kept even though the request fails)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.REFUSED,
            obj=Subject(object_type, object_id),
            event=event,
            purpose=why,
        )


def break_glass_open(*, actor: User, person_id: Any, reason_code: str, reason: str) -> BreakGlassGrant:
    """Give the actor time-limited access to one child's record, audit it and tell their managers."""
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
    person = apps.get_model("people", "Person")._default_manager.filter(pk=person_id).first()
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
            obj=person,
            event="audit.break_glass_open",
            purpose=f"Break-glass: {reasons[reason_code]}",
            detail={"grant": str(grant.pk), "reason": grant.reason, "minutes": policy.break_glass_minutes},
        )
        transaction.on_commit(lambda: _tell_reviewers(grant))
    return grant


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
        for p in break_glass_reviewers(grant.user)
        if p.email
    ]
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError:
        # The grant stands and the review list still shows it; a mail outage must not hide that.
        log.exception("could not email break-glass reviewers for grant %s", grant.pk)


def break_glass_review(*, actor: User, grant_id: Any, outcome: str, note: str) -> BreakGlassGrant:
    """A manager records whether a break-glass access was appropriate."""
    from continuum.audit.selectors import break_glass_reviewable

    if outcome not in BreakGlassGrant.Outcome.values:
        raise ValidationError({"outcome": "Select whether the access was appropriate"})
    if outcome == BreakGlassGrant.Outcome.INAPPROPRIATE and not note.strip():
        raise ValidationError({"note": "Say what follow-up is needed"})
    with transaction.atomic():
        grant = break_glass_reviewable(viewer=actor).select_for_update(of=("self",)).filter(pk=grant_id).first()
        if grant is None:
            raise PermissionDenied
        grant.reviewed_by = actor
        grant.reviewed_at = timezone.now()
        grant.review_outcome = outcome
        grant.review_note = note.strip()
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome", "review_note"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=grant,
            event="audit.break_glass_review",
            purpose="Break-glass review",
            detail={"outcome": outcome},
        )
    return grant
