"""Reading agencies' records: who reviews break-glass access, and counts of agencies' open work."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from continuum.agencies import access
from continuum.agencies.models import Agency, Involvement, Practitioner


def _reviewing_roles() -> tuple[list[str], list[str]]:
    roles = access.policy().roles.values()
    reviewing = [r.code for r in roles if r.reviews_break_glass]
    everyone = [r.code for r in roles if r.reviews_break_glass and r.audit == "all"]
    return reviewing, everyone


def break_glass_route(user: Any) -> str:
    """Who reviews this user's break-glass access: "agency" (their agency has a reviewing manager) or "council"."""
    profile = access.profile_of(user)
    reviewing, everyone = _reviewing_roles()
    if profile is None:
        return "council"
    own = (
        Practitioner.objects.filter(agency_id=profile.agency_id, user__is_active=True, role__in=reviewing)
        .exclude(role__in=everyone)
        .exclude(user_id=user.pk)
    )
    return "agency" if own.exists() else "council"


def break_glass_reviewers(user: Any, *, route: str | None = None) -> QuerySet[Practitioner]:
    """Who is told of, and reviews, this user's break-glass access: their agency's managers or, where it has
    none, the council's designated reviewers (the reviewing managers of the policy's council_reviewers
    kinds of agency); and, always, those who review everyone's. Never the user themselves."""
    profile = access.profile_of(user)
    if profile is None:
        return Practitioner.objects.none()
    reviewing, everyone = _reviewing_roles()
    if (route or break_glass_route(user)) == "agency":
        group = Q(agency_id=profile.agency_id)
    else:
        group = Q(agency__kind__in=access.policy().break_glass.council_reviewers)
    return (
        Practitioner.objects.filter(user__is_active=True, role__in=reviewing)
        .filter(group | Q(role__in=everyone))
        .exclude(user_id=user.pk)
        .select_related("user")
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


def agencies_of_kind(kind: str) -> QuerySet[Agency]:
    """Every agency of a kind (schools, say), for counts about agencies; no child's data, so not audited."""
    return Agency.objects.filter(kind=kind)
