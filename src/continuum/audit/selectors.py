"""Reading the audit trail and break-glass grants, scoped to what the viewer may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.audit.exports import csv_lines
from continuum.audit.models import AuditAction, AuditEvent, BreakGlassGrant
from continuum.audit.services import Subject, audit_record
from continuum.workingdays import add_working_days


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


def audit_trail_page(*, viewer: Viewer, filters: AuditFilter, page: Any, per_page: int = 50) -> Page[AuditEvent]:
    """One page of the audit rows the viewer may read, newest first; reading the trail is itself recorded."""
    access.require(access.audit_scope(viewer) != "none")
    with transaction.atomic():
        shown = Paginator(audit_events(viewer=viewer, filters=filters), per_page).get_page(page)
        shown.object_list = list(shown.object_list)  # read before this read is recorded, so count and rows agree
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("audit_trail"),
            event="audit.trail_view",
            purpose="Reading the audit trail",
            detail={"filters": filters.as_audit(), "page": shown.number},
            person=filters.person_id,
        )
    return shown


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
    """Break-glass grants this viewer reviews, never their own: their own agency's users', those routed to the
    council's designated reviewers when the viewer is one, or everyone's for those who review all."""
    if not access.can_review_break_glass(viewer) or viewer.pk is None:
        return BreakGlassGrant.objects.none()
    grants = BreakGlassGrant.objects.select_related(
        "user", "user__practitioner__agency", "reviewed_by", "person"
    ).exclude(user_id=viewer.pk)
    if access.audit_scope(viewer) != "all":
        profile = access.profile_of(viewer)
        assert profile is not None
        mine = Q(user__practitioner__agency_id=profile.agency_id, routed_to=BreakGlassGrant.Route.AGENCY)
        if profile.agency.kind in access.policy().break_glass.council_reviewers:
            mine |= Q(routed_to=BreakGlassGrant.Route.COUNCIL)
        grants = grants.filter(mine)
    return grants


def break_glass_awaiting_review(*, viewer: Viewer) -> QuerySet[BreakGlassGrant]:
    return break_glass_reviewable(viewer=viewer).filter(reviewed_at__isnull=True)


def break_glass_overdue(*, viewer: Viewer) -> list[BreakGlassGrant]:
    """For administrators (who see every grant): grants nobody has reviewed within the policy's working days."""
    if access.audit_scope(viewer) != "all" or not access.can_review_break_glass(viewer):
        return []
    days = access.policy().break_glass.review_within_working_days
    now = timezone.now()
    waiting = break_glass_awaiting_review(viewer=viewer).order_by("granted_at")
    return [g for g in waiting if add_working_days(timezone.localtime(g.granted_at), days) < now]


def break_glass_active_until(*, viewer: Viewer, person_id: Any) -> datetime.datetime | None:
    """When the viewer's own emergency access to this person ends, if they have one now."""
    if viewer.pk is None:
        return None
    grant = (
        BreakGlassGrant.objects.filter(user_id=viewer.pk, person_id=person_id, expires_at__gt=timezone.now())
        .order_by("-expires_at")
        .first()
    )
    return grant.expires_at if grant else None


@dataclass(frozen=True)
class GrantForReview:
    """What a reviewer needs: who, which child, why, and what they looked at while the access lasted."""

    grant: BreakGlassGrant
    child_name: str
    reason_category: str
    viewed: list[AuditEvent]
    notes: list[Any]


def break_glass_review_detail(*, viewer: Viewer, grant_id: Any) -> GrantForReview:
    """One grant for its reviewer, audited as a read; refused (403) to anyone who does not review it."""
    access.require(access.can_review_break_glass(viewer))
    grant = break_glass_reviewable(viewer=viewer).filter(pk=grant_id).first()
    access.require(grant is not None)
    assert grant is not None
    viewed = list(
        AuditEvent.objects.filter(
            actor_id=grant.user_id,
            person_id=grant.person_id,
            at__gte=grant.granted_at,
            at__lte=max(grant.expires_at, grant.granted_at),
        ).order_by("at", "id")
    )
    reasons = dict(access.policy().break_glass_reasons)
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=grant,
            event="audit.break_glass_review_view",
            purpose="Reading a break-glass access to review it",
            person=grant.person_id,
        )
    return GrantForReview(
        grant=grant,
        child_name=grant.person.display_name,
        reason_category=reasons.get(grant.reason_code, grant.reason_code),
        viewed=viewed,
        notes=list(grant.notes.select_related("author")),
    )
