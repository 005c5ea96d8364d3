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
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.agencies.selectors import break_glass_reviewers, break_glass_route
from continuum.audit.models import AuditAction, AuditEvent, BreakGlassGrant, BreakGlassNote

if TYPE_CHECKING:
    from continuum.agencies.models import User

__all__ = [
    "AuditAction",
    "Subject",
    "audit_record",
    "audit_refusal",
    "break_glass_note_add",
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
        object_id=str(object_id or "")[:64],
        person_id=getattr(person, "pk", person),
        purpose=purpose[:300],
        detail=detail or {},
        client_ip=client_ip.get(),
    )


def audit_refusal(
    *, actor: Viewer, object_type: str, object_id: Any, why: str, event: str = "", person: Any = None
) -> None:
    """Record an attempt to reach something the actor may not see (kept even though the request fails).

    `person` is the person the refused request was about, where one exists: recorded so the trail
    shows every probe of a child, and never shown to the refused user.
    """
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.REFUSED,
            obj=Subject(object_type, object_id),
            event=event,
            purpose=why,
            person=person,
        )


def _found_by_own_search(actor: User, person_id: Any, *, minutes: int) -> bool:
    """Did the actor's own audited break-glass search, within the last few minutes, return this person?"""
    since = timezone.now() - datetime.timedelta(minutes=minutes)
    searches = AuditEvent.objects.filter(actor_id=actor.pk, event="people.break_glass_search", at__gte=since)
    return any(str(person_id) in (row.get("shown") or []) for row in searches.values_list("detail", flat=True)[:50])


def break_glass_open(*, actor: User, person_id: Any, reason_code: str, reason: str) -> BreakGlassGrant:
    """Give the actor time-limited access to one child's record, audit it and tell the reviewers.

    Only for a person the actor's own break-glass search (family name and exact date of birth) found
    within the policy's search_minutes: the grant endpoint cannot be used to open anyone by id.
    """
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
    if person is None or not _found_by_own_search(actor, person.pk, minutes=policy.break_glass.search_minutes):
        raise ValidationError({"person": "Search for the child again: emergency access is only for a record you found"})
    now = timezone.now()
    route = break_glass_route(actor)
    with transaction.atomic():
        grant = BreakGlassGrant.objects.create(
            user=actor,
            person=person,
            reason_code=reason_code,
            reason=reason.strip(),
            routed_to=route,
            granted_at=now,
            expires_at=now + datetime.timedelta(minutes=policy.break_glass_minutes),
        )
        audit_record(
            actor=actor,
            action=AuditAction.BREAK_GLASS,
            obj=person,
            event="audit.break_glass_open",
            purpose=f"Break-glass: {reasons[reason_code]}",
            detail={
                "grant": str(grant.pk),
                "reason": grant.reason,
                "minutes": policy.break_glass_minutes,
                "reviewed_by": route,
            },
        )
        transaction.on_commit(lambda: _tell_reviewers(grant))
    return grant


def _tell_reviewers(grant: BreakGlassGrant) -> None:
    """Email each reviewer that a break-glass access waits for review. No child's details go in the email.

    Each notice goes on its own: one bad address or a refused message is logged and does not stop the
    others (the grant stands, and the review list shows it whatever the mail does).
    """
    link = reverse("audit:break_glass_review", args=[grant.pk])
    subject = f"{settings.SERVICE_NAME}: a break-glass access needs your review"
    body = f"{grant.user.username} used break-glass access to a child's record. Review it, signed in, at {link}"
    for reviewer in break_glass_reviewers(grant.user, route=grant.routed_to):
        address = reviewer.email or (reviewer.user.email if reviewer.user else "")
        try:
            validate_email(address)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
        except ValidationError:
            log.warning("break-glass notice for grant %s: reviewer %s has no valid email", grant.pk, reviewer.pk)
        except Exception:
            log.exception("break-glass notice for grant %s: could not email reviewer %s", grant.pk, reviewer.pk)


def break_glass_review(*, actor: User, grant_id: Any, outcome: str, note: str) -> BreakGlassGrant:
    """A reviewer records whether a break-glass access was appropriate. A review is final; "not appropriate"
    ends the access at once. Later thoughts are added as notes (break_glass_note_add), never as a new review."""
    from continuum.audit.selectors import break_glass_reviewable

    if outcome not in BreakGlassGrant.Outcome.values:
        raise ValidationError({"outcome": "Select whether the access was appropriate"})
    if outcome == BreakGlassGrant.Outcome.INAPPROPRIATE and not note.strip():
        raise ValidationError({"note": "Say what follow-up is needed"})
    with transaction.atomic():
        grant = break_glass_reviewable(viewer=actor).select_for_update(of=("self",)).filter(pk=grant_id).first()
        if grant is None:
            raise PermissionDenied
        if grant.reviewed_at is not None:
            raise ValidationError({"outcome": "This access has already been reviewed. Add a note instead"})
        now = timezone.now()
        grant.reviewed_by = actor
        grant.reviewed_at = now
        grant.review_outcome = outcome
        grant.review_note = note.strip()
        ended = outcome == BreakGlassGrant.Outcome.INAPPROPRIATE and grant.expires_at > now
        if ended:
            grant.expires_at = now
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome", "review_note", "expires_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=grant,
            event="audit.break_glass_review",
            purpose="Break-glass review",
            detail={"outcome": outcome, "access_ended": ended},
            person=grant.person_id,
        )
    return grant


def break_glass_note_add(*, actor: User, grant_id: Any, note: str) -> BreakGlassNote:
    """Add a note to a reviewed break-glass access (a follow-up, a correction): it appends, never replaces."""
    from continuum.audit.selectors import break_glass_reviewable

    if not note.strip():
        raise ValidationError({"note": "Enter the note"})
    with transaction.atomic():
        grant = break_glass_reviewable(viewer=actor).filter(pk=grant_id, reviewed_at__isnull=False).first()
        if grant is None:
            raise PermissionDenied
        added = BreakGlassNote.objects.create(grant=grant, author=actor, note=note.strip())
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=grant,
            event="audit.break_glass_note",
            purpose="Note added to a break-glass review",
            person=grant.person_id,
        )
    return added
