"""Reading the audit trail and break-glass grants, scoped to what the viewer may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.audit.exports import csv_lines
from continuum.audit.models import AuditAction, AuditEvent, BreakGlassGrant
from continuum.audit.services import Subject, audit_record


@dataclass(frozen=True)
class AuditFilter:
    since: datetime.date | None = None
    until: datetime.date | None = None
    username: str = ""
    person_id: Any = None
    action: str = ""

    def as_audit(self) -> dict[str, str]:
        return {k: str(val) for k, val in vars(self).items() if val}


def audit_events(*, viewer: Viewer, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """The audit rows this viewer may read: all of them, their own agency's, or none."""
    scope = access.audit_scope(viewer)
    if scope == "none":
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if scope == "agency":
        profile = access.profile_of(viewer)
        assert profile is not None
        events = events.filter(actor_agency_id=profile.agency_id)
    f = filters or AuditFilter()
    if f.since:
        events = events.filter(at__date__gte=f.since)
    if f.until:
        events = events.filter(at__date__lte=f.until)
    if f.username:
        events = events.filter(actor_username=f.username)
    if f.person_id:
        events = events.filter(person_id=f.person_id)
    if f.action:
        events = events.filter(action=f.action)
    return events


def audit_csv(*, viewer: Viewer, filters: AuditFilter, purpose: str) -> Iterator[str]:
    """The audit rows this viewer may read as CSV lines, oldest first: the page's download and the command's export.

    The export is recorded before the rows are read, so it appears in the export itself and in later ones.
    """
    access.require(access.audit_scope(viewer) != "none")
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.EXPORT,
            obj=Subject("audit_trail"),
            event="audit.trail_export",
            purpose=purpose,
            detail={"filters": filters.as_audit()},
        )
    return csv_lines(audit_events(viewer=viewer, filters=filters).order_by("at", "id"))


def break_glass_reviewable(*, viewer: Viewer) -> QuerySet[BreakGlassGrant]:
    """Break-glass grants this viewer reviews: their own agency's users', or everyone's; never their own."""
    if not access.can_review_break_glass(viewer):
        return BreakGlassGrant.objects.none()
    grants = BreakGlassGrant.objects.select_related("user", "user__practitioner__agency", "reviewed_by")
    if viewer.pk is not None:
        grants = grants.exclude(user_id=viewer.pk)
    if access.audit_scope(viewer) != "all":
        profile = access.profile_of(viewer)
        assert profile is not None
        grants = grants.filter(Q(user__practitioner__agency_id=profile.agency_id))
    return grants


def break_glass_awaiting_review(*, viewer: Viewer) -> QuerySet[BreakGlassGrant]:
    return break_glass_reviewable(viewer=viewer).filter(reviewed_at__isnull=True)
