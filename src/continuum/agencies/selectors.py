"""Reading agencies' records: who reviews break-glass access, and counts of agencies' open work."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from continuum.agencies import access
from continuum.agencies.models import Involvement, Practitioner


def break_glass_reviewers(user: Any) -> QuerySet[Practitioner]:
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


def current_involvement_counts(*, people: QuerySet[Any]) -> dict[str, int]:
    """How many of these people each kind of involvement is open for today (for aggregate counts; not audited)."""
    rows = (
        Involvement.objects.current()
        .filter(person__in=people)
        .values_list("kind")
        .annotate(n=Count("person", distinct=True))
        .values_list("kind", "n")
    )
    return dict(rows)
