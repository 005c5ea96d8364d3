"""Reading the audit trail and break-glass grants, scoped to what the viewer may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from continuum.agencies import access
from continuum.audit.models import AuditEvent, BreakGlassGrant


@dataclass(frozen=True)
class AuditFilter:
    since: datetime.date | None = None
    until: datetime.date | None = None
    username: str = ""
    person_id: Any = None
    action: str = ""


def audit_events(*, viewer: Any, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
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


def break_glass_reviewable(*, viewer: Any) -> QuerySet[BreakGlassGrant]:
    """Break-glass grants this viewer reviews: their own agency's users', or everyone's; never their own."""
    if not access.can_review_break_glass(viewer):
        return BreakGlassGrant.objects.none()
    grants = BreakGlassGrant.objects.select_related("user", "user__practitioner__agency", "reviewed_by").exclude(
        user=viewer
    )
    if access.audit_scope(viewer) != "all":
        profile = access.profile_of(viewer)
        assert profile is not None
        grants = grants.filter(Q(user__practitioner__agency_id=profile.agency_id))
    return grants


def break_glass_awaiting_review(*, viewer: Any) -> QuerySet[BreakGlassGrant]:
    return break_glass_reviewable(viewer=viewer).filter(reviewed_at__isnull=True)
