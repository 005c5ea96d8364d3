"""Reading agencies' records: who reviews break-glass access, counts of agencies' open work, teams, and
practitioners' caseloads against their capacity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from continuum.agencies import access
from continuum.agencies.models import Agency, Allocation, Involvement, Practitioner, Team


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


def team_list(*, agency_kinds: Iterable[str] | None = None) -> QuerySet[Team]:
    """Teams, with their agency, by agency and name; only those of these kinds of agency when given (not audited)."""
    teams = Team.objects.select_related("agency").order_by("agency__name", "name")
    return teams.filter(agency__kind__in=list(agency_kinds)) if agency_kinds is not None else teams


# Roles whose members hold children on a caseload; anyone else in a team holds one only if given a capacity.
CASE_HOLDING_ROLES = ("practitioner", "health_practitioner")


@dataclass(frozen=True)
class Caseload:
    """A practitioner's children allocated today against the most they should hold (None: no maximum recorded)."""

    practitioner: Practitioner
    open: int
    capacity: int | None

    @property
    def room(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.open, 0)

    @property
    def has_room(self) -> bool:
        return self.capacity is None or self.open < self.capacity


def caseloads(*, team: Any) -> list[Caseload]:
    """Each member of a team who holds cases, with their current allocations (of any kind) against their
    caseload capacity, in one query. Counts only, no child: not audited here."""
    practitioners = (
        Practitioner.objects.filter(team=team)
        .filter(Q(role__in=CASE_HOLDING_ROLES) | Q(caseload_capacity__isnull=False))
        .annotate(open=Count("allocations", filter=Q(allocations__in=Allocation.objects.current())))
        .order_by("family_name", "given_name", "pk")
    )
    return [Caseload(p, p.open, p.caseload_capacity) for p in practitioners]


def agencies_of_kind(kind: str) -> QuerySet[Agency]:
    """Every agency of a kind (schools, say), for counts about agencies; no child's data, so not audited."""
    return Agency.objects.filter(kind=kind)


def practitioner_get(practitioner_id: Any) -> Practitioner | None:
    """One practitioner (with their agency) by id, or None: for a service that is told whom to record. No
    child's data, so not audited."""
    from continuum.identifiers import record_id

    wanted = record_id(practitioner_id)
    return None if wanted is None else Practitioner.objects.select_related("agency").filter(pk=wanted).first()


def practitioner_choices(*, roles: Iterable[str], exclude: Iterable[Any] = ()) -> list[tuple[str, str]]:
    """Practitioners of these roles in any agency, as (id, "name, agency") for a select list, by agency and name."""
    rows = (
        Practitioner.objects.filter(role__in=list(roles))
        .exclude(pk__in=list(exclude))
        .select_related("agency")
        .order_by("agency__name", "family_name", "given_name")
    )
    return [(str(p.pk), f"{p.name}, {p.agency.name}") for p in rows]


def team_member_ids(*, team_id: Any) -> list[Any]:
    """The ids of a team's practitioners."""
    return list(Practitioner.objects.filter(team_id=team_id).values_list("pk", flat=True))


def lead_allocations(*, practitioner_ids: Iterable[Any]) -> QuerySet[Allocation]:
    """The current lead allocations of these practitioners, with the child and practitioner: for a caseload, which
    scopes them to the viewer and audits what it shows."""
    return (
        Allocation.objects.current()
        .filter(practitioner_id__in=list(practitioner_ids), kind="lead")
        .select_related("person", "practitioner")
    )


def agencies_for_feeds(*, kinds: Iterable[str], urns: Iterable[str]) -> list[Agency]:
    """The agencies that send the agency feeds, for the single view to name an event's source and whom to contact:
    those of these kinds (the police, the health trust, ...) and the schools with these URNs, by name. One query;
    not audited (agencies' own details, no child's)."""
    kinds, urns = list(kinds), [u for u in urns if u]
    if not kinds and not urns:
        return []
    return list(Agency.objects.filter(Q(kind__in=kinds) | Q(kind="school", urn__in=urns)).order_by("name"))


@dataclass(frozen=True)
class WorkingContact:
    """Someone to tell about a child an agency works with: a named practitioner, or the agency's own address."""

    agency_id: Any
    agency: str
    practitioner_id: Any  # None: the agency's contact address, where nobody is named
    name: str
    email: str


def _address(practitioner: Practitioner) -> str:
    return practitioner.email or (practitioner.user.email if practitioner.user else "")


def contacts_working_with(*, person_id: Any) -> list[WorkingContact]:
    """Who works with a child today, for a notice that carries no child's details: the lead practitioner of each
    current involvement and each practitioner currently allocated, one row each; and for an agency with a current
    involvement but nobody named, its contact address. Two queries; not audited (nothing about the child is read
    but that these agencies work with them, and nothing is shown)."""
    found: dict[Any, WorkingContact] = {}
    unnamed: dict[Any, WorkingContact] = {}
    involvements = (
        Involvement.objects.current().filter(person_id=person_id).select_related("agency", "lead_practitioner__user")
    )
    for i in involvements:
        lead = i.lead_practitioner
        if lead is not None:
            found[lead.pk] = WorkingContact(i.agency_id, i.agency.name, lead.pk, lead.name, _address(lead))
        else:
            unnamed[i.agency_id] = WorkingContact(i.agency_id, i.agency.name, None, "", i.agency.contact_email)
    for a in (
        Allocation.objects.current()
        .filter(person_id=person_id)
        .select_related("practitioner__agency", "practitioner__user")
    ):
        p = a.practitioner
        found[p.pk] = WorkingContact(p.agency_id, p.agency.name, p.pk, p.name, _address(p))
    named_agencies = {c.agency_id for c in found.values()}
    contacts = [*found.values(), *(c for agency, c in unnamed.items() if agency not in named_agencies)]
    return sorted(contacts, key=lambda c: (c.agency, c.name))


def open_involvement_workers(*, kinds: Iterable[str], on: Any = None) -> dict[Any, Any | None]:
    """Each person with a current involvement of one of these kinds, and the practitioner who works with them: the
    practitioner of their current lead allocation (the latest begun), else the lead practitioner of their
    involvement of the earliest kind in `kinds` that names one (the latest begun); None when neither does. Two
    queries, whatever the number of people. For the attendance protocol's nightly run (a system read of who is
    allocated to whom, not of a child's record): not audited here."""
    order = {kind: n for n, kind in enumerate(kinds)}
    involvements = (
        Involvement.objects.current(on=on)
        .filter(kind__in=list(order))
        .values_list("person_id", "kind", "lead_practitioner_id", "start_date", "pk")
    )
    workers: dict[Any, Any | None] = {}
    ranked: dict[Any, tuple[Any, ...]] = {}
    for person_id, kind, lead_id, start, pk in involvements.iterator(chunk_size=20_000):
        workers.setdefault(person_id, None)
        if lead_id is None:
            continue
        rank = (order[kind], -start.toordinal(), str(pk))
        if person_id not in ranked or rank < ranked[person_id]:
            ranked[person_id], workers[person_id] = rank, lead_id
    leads = (
        Allocation.objects.current(on=on)
        .filter(
            kind="lead",
            person_id__in=Involvement.objects.current(on=on).filter(kind__in=list(order)).values("person_id"),
        )
        .order_by("person_id", "start_date", "pk")
        .values_list("person_id", "practitioner_id")
    )
    for person_id, practitioner_id in leads.iterator(chunk_size=20_000):
        workers[person_id] = practitioner_id  # in order of start: the latest begun stays
    return workers


def practitioner_addresses(*, practitioner_ids: Iterable[Any]) -> dict[Any, str]:
    """Where to email each of these practitioners: their own address, else their account's ("" when neither). One
    query; no child's data, so not audited."""
    rows = Practitioner.objects.filter(pk__in=list(practitioner_ids)).values_list("pk", "email", "user__email")
    return {pk: (email or account or "") for pk, email, account in rows}


def involvement_periods(*, kinds: Iterable[str]) -> list[tuple[Any, str, Any, Any]]:
    """(person_id, kind, start_date, end_date) of every involvement of these kinds, open or not: for whole-county
    work over a date (the gap finder asks which are open on its day). The system's own read: not audited."""
    return list(
        Involvement.objects.filter(kind__in=list(kinds)).values_list("person_id", "kind", "start_date", "end_date")
    )


def current_school_rolls(*, on: Any) -> QuerySet[Involvement]:
    """School-roll involvements open on a date (the child's school is the agency): for a subquery picking a child's
    school in counts. Not audited: callers count, and audit what they show."""
    return Involvement.objects.current(on=on).filter(kind="school_roll")
