"""One place decides who may see a child: the policy file, read here, and the helpers every selector uses.

The policy file (access_policy.toml, or the deployment's copy) says for each role which children's
records it may open, through which working relationships, and which categories of information it
may read. Modules add ways a working relationship can arise (a referral, an episode's team around the
family, a panel agenda) with @relationship_source("name") in their own access.py, imported from their
AppConfig.ready(); the policy file names which of them count for each role. Nothing else decides.

The helpers every module uses:
- person_or_404(viewer, person_id, attempted=...)  one person's record, or a 404 that is audited;
- get_or_404(queryset, viewer, attempted=..., pk=...)  any row that belongs to a person, the same way;
- scoped(queryset, viewer)  rows of any model that belongs to a person, limited to what the viewer may open;
- visible_people_filter(viewer), access_basis(viewer, person_id), readable_categories(viewer);
- the role predicates (can_search_people, can_break_glass, ...) and require(allowed).
"""

from __future__ import annotations

import functools
import getpass
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signals import setting_changed
from django.db.models import Model, Q, QuerySet
from django.dispatch import receiver
from django.http import Http404, HttpRequest

from continuum.agencies.models import Allocation, Involvement, Practitioner, User
from continuum.agencies.policy import Policy, PolicyError, RolePolicy, load_policy

if TYPE_CHECKING:
    from continuum.people.models import Person


class SystemActor:
    """The actor for work started outside the web application: a command, a scheduled load.

    It opens no child's record (it has no role); it is named in the audit trail by what started it.
    """

    pk = None
    is_authenticated = False
    is_active = False
    profile = None

    def __init__(self, via: str = "command line") -> None:
        self.username = f"system ({via}, os user {getpass.getuser()})"


# Who changes something: a signed-in user or the system. Who reads: the same, or an anonymous visitor
# (who is refused everything).
type Actor = User | SystemActor
type Viewer = User | AnonymousUser | SystemActor


class SignedInRequest(HttpRequest):
    """The request a view behind @login_required receives: its user is signed in."""

    user: User


# name -> function(practitioner) returning a queryset of a model with a person_id, reduced to .values("person_id"):
# the people the practitioner has that working relationship with.
RelationshipSource = Callable[[Practitioner], QuerySet[Any]]
_SOURCES: dict[str, RelationshipSource] = {}


def relationship_source(name: str) -> Callable[[RelationshipSource], RelationshipSource]:
    """Register a way a working relationship with a child arises; the policy file says for whom it counts."""

    def register(fn: RelationshipSource) -> RelationshipSource:
        if name in _SOURCES and _SOURCES[name] is not fn:
            raise ValueError(f"relationship source {name!r} is registered twice")
        _SOURCES[name] = fn
        return fn

    return register


def registered_sources() -> frozenset[str]:
    return frozenset(_SOURCES)


def load_checked_policy() -> Policy:
    """Read the policy file and check it against the relationship sources the code provides."""
    loaded = load_policy(settings.ACCESS_POLICY_PATH)
    unknown = set(loaded.relationships) - set(_SOURCES)
    if unknown:
        raise PolicyError(
            f"{settings.ACCESS_POLICY_PATH}: [relationships] no installed module provides {sorted(unknown)}"
        )
    return loaded


@functools.cache
def policy() -> Policy:
    """The policy in force (read once; checked at start-up by the system check in agencies/checks.py)."""
    return load_checked_policy()


@receiver(setting_changed)
def _reload_policy(*, setting: str, **kwargs: Any) -> None:
    if setting == "ACCESS_POLICY_PATH":
        policy.cache_clear()


def profile_of(user: Any) -> Practitioner | None:
    """The signed-in user's practitioner profile, or None for anonymous, inactive or profile-less accounts."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    profile: Practitioner | None = user.profile
    return profile


def role_policy(user: Any) -> RolePolicy | None:
    profile = profile_of(user)
    return policy().role(profile.role) if profile else None


NOBODY = Q(pk__in=[])


def _visible(viewer: Any, field: str) -> Q | None:
    """A condition on `field` (a person id) selecting exactly the people this viewer may open; None means all."""
    role = role_policy(viewer)
    if role is None or role.scope == "none":
        return NOBODY
    if role.scope == "all":
        return None
    profile = profile_of(viewer)
    assert profile is not None
    condition = NOBODY
    for name in sorted(role.relationships):
        condition |= Q(**{f"{field}__in": _SOURCES[name](profile)})
    return condition


def visible_people_filter(viewer: Any) -> Q:
    """A filter on Person selecting exactly the records this viewer may open."""
    condition = _visible(viewer, "pk")
    return Q() if condition is None else condition


def scoped[M: Model](queryset: QuerySet[M], viewer: Any, *, person: str = "person") -> QuerySet[M]:
    """Rows of a model that belongs to a person (through the field `person`), limited to people the viewer may open.

    Not audited: the selector that shows the rows audits what it shows.
    """
    condition = _visible(viewer, f"{person}_id")
    return queryset if condition is None else queryset.filter(condition)


@dataclass(frozen=True)
class Basis:
    """Why a viewer may open a record: in the words the viewer reads, and the words the audit trail keeps."""

    source: str  # the relationship source, or "scope" for a role that screens every child
    shown: str
    audit: str

    def __str__(self) -> str:
        return self.audit


def access_basis(viewer: Any, person_id: Any) -> Basis | None:
    """Why this viewer may open this person's record, or None if they may not."""
    role = role_policy(viewer)
    if role is None or role.scope == "none":
        return None
    if role.scope == "all":
        return Basis(
            "scope",
            f"As a {role.label.lower()} you may screen every child's record",
            f"{role.label}: may screen every child's record",
        )
    profile = profile_of(viewer)
    assert profile is not None
    for name in sorted(role.relationships):
        if _SOURCES[name](profile).filter(person_id=person_id).exists():
            words = policy().relationships[name]
            return Basis(name, words.shown, words.audit)
    return None


class RecordRefused(Http404):
    """A record the viewer may not open, or that does not exist: the two look the same to the viewer."""


class Granted[M: Model](NamedTuple):
    """A row the viewer may open, and why (the basis goes into the audit row of the read)."""

    obj: M
    basis: Basis


def get_or_404[M: Model](
    queryset: QuerySet[M], viewer: Any, *, attempted: str, event: str = "", person: str = "person", **lookup: Any
) -> Granted[M]:
    """The one row matching `lookup` if the viewer may open the person it belongs to; otherwise Http404.

    'No such row' and 'not yours' are refused alike, so a guessed id tells nothing, and every refusal
    is written to the audit trail (in its own transaction: it stays although the request fails).
    """
    try:
        obj = queryset.filter(**lookup).first()
    except ValidationError:  # not even the shape of a reference (a posted id that is not a UUID): no such row
        obj = None
    person_id = None if obj is None else (obj.pk if person == "pk" else getattr(obj, f"{person}_id"))
    basis = access_basis(viewer, person_id) if obj is not None else None
    if obj is None or basis is None:
        from continuum.audit.services import audit_refusal, record_type

        audit_refusal(
            actor=viewer,
            object_type=record_type(queryset.model),
            object_id=lookup.get("pk", ""),
            why=f"{attempted}: {'no working relationship' if obj is not None else 'no such record'}",
            event=event,
            person=person_id,
        )
        raise RecordRefused("No record you can open has that reference")
    return Granted(obj, basis)


def person_or_404(viewer: Any, person_id: Any, *, attempted: str, event: str = "") -> Granted[Person]:
    """A person's record and the basis of access, or an audited Http404 alike for 'no such record' and 'not yours'."""
    people = apps.get_model("people", "Person")._default_manager.select_related("household")
    return get_or_404(people, viewer, attempted=attempted, event=event, person="pk", pk=person_id)


def readable_categories(user: Any) -> frozenset[str]:
    """The categories of information this user may read: their role's, narrowed by their kind of agency."""
    profile = profile_of(user)
    if profile is None:
        return frozenset()
    return policy().categories_for(profile.role, profile.agency.kind)


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
    """Whose audit rows the user may read: "all", "agency" or "none". Commands (the system) read all."""
    if isinstance(user, SystemActor):
        return "all"
    role = role_policy(user)
    return role.audit if role else "none"


def can_manage_accounts(user: Any) -> bool:
    role = role_policy(user)
    return role is not None and role.manages_accounts


def can_review_break_glass(user: Any) -> bool:
    role = role_policy(user)
    return role is not None and role.reviews_break_glass


def can_refer(user: Any) -> bool:
    """May make referrals to the front door."""
    role = role_policy(user)
    return role is not None and role.refers


def can_screen(user: Any) -> bool:
    """Works the front door's queue: screens referrals and decides them."""
    role = role_policy(user)
    return role is not None and role.screens


def can_manage_team(user: Any) -> bool:
    """Manages a team: its caseloads, waiting lists, and the referrals sent to it."""
    role = role_policy(user)
    return role is not None and role.manages_team


def can_lead_casework(user: Any) -> bool:
    """Leads episodes of support: opens them, assesses, plans, records sessions and closes them."""
    role = role_policy(user)
    return role is not None and role.leads_casework


def can_review_linkage(user: Any) -> bool:
    """Decides record linkage's clerical review: whether two records are the same person; undoes merges."""
    role = role_policy(user)
    return role is not None and role.reviews_linkage


def can_raise_concerns(user: Any) -> bool:
    """May mark a child they may open as a cause for concern, and call for a triangulation discussion."""
    role = role_policy(user)
    return role is not None and role.raises_concerns


def can_find_gaps(user: Any) -> bool:
    """Lists children with signals from several agencies and no open involvement, with the evidence."""
    role = role_policy(user)
    return role is not None and role.finds_gaps


def can_see_gap_cohort(user: Any) -> bool:
    """The cohort view of the gap finder: in full for those who find gaps, in counts for those who see
    aggregates (analysts)."""
    return can_find_gaps(user) or can_see_aggregates(user)


def can_see_front_door_figures(user: Any) -> bool:
    """The front door's dashboard: front-door workers (who may open every child's record) in full; those who
    see aggregates (analysts, team managers, panel chairs) with small numbers suppressed."""
    return can_screen(user) or can_see_aggregates(user)


# The working relationships agencies' own records create. Other modules register theirs in their access.py.


@relationship_source("agency_involvement")
def _agency_involvement(practitioner: Practitioner) -> QuerySet[Any]:
    return Involvement.objects.current().filter(agency_id=practitioner.agency_id).values("person_id")


@relationship_source("allocated")
def _allocated(practitioner: Practitioner) -> QuerySet[Any]:
    return Allocation.objects.current().filter(practitioner=practitioner).values("person_id")


@relationship_source("team_allocated")
def _team_allocated(practitioner: Practitioner) -> QuerySet[Any]:
    if practitioner.team_id is None:
        return Allocation.objects.none().values("person_id")
    return Allocation.objects.current().filter(practitioner__team_id=practitioner.team_id).values("person_id")
