"""One place decides who may see a child: the policy file, read here, and the helpers every selector uses.

Modules add ways a working relationship can arise (a referral, a panel agenda) with
@relationship_source("name"); the policy file names which of them count for each role.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.utils import timezone

from continuum.agencies.models import Allocation, Involvement, Practitioner
from continuum.agencies.policy import Policy, RolePolicy, load_policy

# name -> function(practitioner) returning a queryset of person ids the practitioner is related to
RelationshipSource = Callable[[Practitioner], QuerySet[Any]]
_SOURCES: dict[str, RelationshipSource] = {}


def relationship_source(name: str) -> Callable[[RelationshipSource], RelationshipSource]:
    def register(fn: RelationshipSource) -> RelationshipSource:
        _SOURCES[name] = fn
        return fn

    return register


@functools.cache
def policy() -> Policy:
    loaded = load_policy(settings.ACCESS_POLICY_PATH)
    unknown = set(loaded.relationships) - set(_SOURCES)
    if unknown:
        raise ValueError(f"{settings.ACCESS_POLICY_PATH}: no code provides relationships {sorted(unknown)}")
    return loaded


@receiver(setting_changed)
def _reload_policy(*, setting: str, **kwargs: Any) -> None:
    if setting == "ACCESS_POLICY_PATH":
        policy.cache_clear()


def profile_of(user: Any) -> Practitioner | None:
    """The signed-in user's practitioner profile, or None for anonymous, inactive or profile-less accounts."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.profile


def role_policy(user: Any) -> RolePolicy | None:
    profile = profile_of(user)
    return policy().role(profile.role) if profile else None


@relationship_source("agency_involvement")
def _agency_involvement(practitioner: Practitioner) -> QuerySet[Any]:
    return Involvement.objects.filter(agency_id=practitioner.agency_id, end_date__isnull=True).values("person_id")


@relationship_source("allocated")
def _allocated(practitioner: Practitioner) -> QuerySet[Any]:
    return Allocation.objects.filter(practitioner=practitioner, end_date__isnull=True).values("person_id")


@relationship_source("team_allocated")
def _team_allocated(practitioner: Practitioner) -> QuerySet[Any]:
    if practitioner.team_id is None:
        return Allocation.objects.none().values("person_id")
    return Allocation.objects.filter(practitioner__team_id=practitioner.team_id, end_date__isnull=True).values(
        "person_id"
    )


@relationship_source("break_glass")
def _break_glass(practitioner: Practitioner) -> QuerySet[Any]:
    from continuum.audit.models import BreakGlassGrant

    if practitioner.user_id is None:
        return BreakGlassGrant.objects.none().values("person_id")
    return BreakGlassGrant.objects.filter(user_id=practitioner.user_id, expires_at__gt=timezone.now()).values(
        "person_id"
    )


NOBODY = Q(pk__in=[])


def visible_people_filter(user: Any) -> Q:
    """A filter on Person selecting exactly the records this user may open."""
    role = role_policy(user)
    if role is None or role.scope == "none":
        return NOBODY
    if role.scope == "all":
        return Q()
    profile = profile_of(user)
    assert profile is not None
    condition = NOBODY
    for name in sorted(role.relationships):
        condition |= Q(pk__in=_SOURCES[name](profile))
    return condition


def access_basis(user: Any, person_id: Any) -> str | None:
    """Why this user may open this person's record (for the audit trail), or None if they may not."""
    role = role_policy(user)
    if role is None or role.scope == "none":
        return None
    if role.scope == "all":
        return f"{role.label}: may screen every child's record"
    profile = profile_of(user)
    assert profile is not None
    for name in sorted(role.relationships):
        if _SOURCES[name](profile).filter(person_id=person_id).exists():
            return policy().relationships[name]
    return None


def readable_categories(user: Any) -> frozenset[str]:
    role = role_policy(user)
    return role.categories if role else frozenset()


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless allowed: the one way views refuse a role."""
    if not allowed:
        raise PermissionDenied


def can_search_people(user: Any) -> bool:
    role = role_policy(user)
    return role is not None and role.scope != "none"


def can_break_glass(user: Any) -> bool:
    role = role_policy(user)
    return role is not None and role.break_glass


def can_see_aggregates(user: Any) -> bool:
    role = role_policy(user)
    return role is not None and role.aggregates


def audit_scope(user: Any) -> str:
    role = role_policy(user)
    return role.audit if role else "none"


def can_manage_accounts(user: Any) -> bool:
    role = role_policy(user)
    return role is not None and role.manages_accounts


def can_review_break_glass(user: Any) -> bool:
    role = role_policy(user)
    return role is not None and role.reviews_break_glass
