"""Reading people's records. Every function takes the viewer, applies the access policy and audits the read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.models import Allocation, Involvement
from continuum.audit.models import AuditAction
from continuum.audit.services import audit_record, audit_refusal
from continuum.people.identifiers import nhs_number_normalise, postcode_normalise
from continuum.people.models import Address, HouseholdMember, Person, Relationship, name_key

SEARCH_LIMIT = 50
SMALL_NUMBER = 5  # counts below this are suppressed in aggregates so no child can be picked out

# How a relationship reads from the other end: if A is parent of B, B's record shows A as "Parent"
# and A's record shows B as "Child".
_INVERSE_LABEL = {
    "parent": "Child",
    "step_parent": "Step-child",
    "grandparent": "Grandchild",
    "carer": "Cared for",
}


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: datetime.date | None = None
    identifier: str = ""
    postcode: str = ""

    def is_empty(self) -> bool:
        return not (name_key(self.name) or self.date_of_birth or self.identifier.strip() or self.postcode.strip())

    def as_audit(self) -> dict[str, str]:
        shown = {
            "name": self.name.strip(),
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "identifier": self.identifier.strip(),
            "postcode": self.postcode.strip(),
        }
        return {k: val for k, val in shown.items() if val}


@dataclass(frozen=True)
class SearchResult:
    people: list[Person]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.people)


@dataclass(frozen=True)
class RelatedPerson:
    person_id: Any
    name: str
    label: str
    can_open: bool
    start_date: datetime.date | None
    end_date: datetime.date | None
    source: str
    confidence: str


@dataclass(frozen=True)
class HouseholdMemberView:
    person_id: Any
    name: str
    role: str
    age: int | None
    can_open: bool


@dataclass
class PersonRecord:
    """What one viewer may read of one person's record."""

    person: Person
    basis: str
    categories: frozenset[str]
    current_address: Address | None = None
    previous_addresses: list[Address] = field(default_factory=list)
    relationships: list[RelatedPerson] = field(default_factory=list)
    household: list[HouseholdMemberView] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)

    def shows(self, category: str) -> bool:
        return category in self.categories

    def as_export(self) -> dict[str, Any]:
        """The record as plain data for a download, holding exactly what the page shows."""
        p = self.person
        out: dict[str, Any] = {
            "id": str(p.pk),
            "given_name": p.given_name,
            "middle_names": p.middle_names,
            "family_name": p.family_name,
            "known_as": p.known_as,
            "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None,
            "dob_approximate": p.dob_approximate,
            "sex": p.sex,
            "ethnicity": p.ethnicity,
            "first_language": p.first_language,
            "nhs_number": p.nhs_number,
            "addresses": [_address_data(a) for a in [self.current_address, *self.previous_addresses] if a],
            "household": [
                {"person_id": str(m.person_id), "name": m.name, "role": m.role, "age": m.age} for m in self.household
            ],
            "relationships": [
                {
                    "person_id": str(r.person_id),
                    "name": r.name,
                    "relationship": r.label,
                    "start_date": _iso(r.start_date),
                    "end_date": _iso(r.end_date),
                    "source": r.source,
                    "confidence": r.confidence,
                }
                for r in self.relationships
            ],
            "involvements": [
                {
                    "kind": i.kind,
                    "agency": i.agency.name,
                    "start_date": _iso(i.start_date),
                    "end_date": _iso(i.end_date),
                }
                for i in self.involvements
            ],
            "allocations": [
                {
                    "kind": a.kind,
                    "practitioner": a.practitioner.name,
                    "agency": a.practitioner.agency.name,
                    "start_date": _iso(a.start_date),
                    "end_date": _iso(a.end_date),
                }
                for a in self.allocations
            ],
        }
        if self.shows("education"):
            out["upn"] = p.upn
            out["send_status"] = p.send_status
        return out


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _address_data(a: Address) -> dict[str, Any]:
    return {
        "address_line": a.address_line,
        "town": a.town,
        "postcode": a.postcode,
        "start_date": _iso(a.start_date),
        "end_date": _iso(a.end_date),
    }


def people_visible_to(viewer: Any) -> QuerySet[Person]:
    """Every person whose record this viewer may open. Not audited: callers audit what they show."""
    return Person.objects.filter(access.visible_people_filter(viewer))


def person_search(*, viewer: Any, criteria: SearchCriteria) -> SearchResult:
    """Find people by name, date of birth, NHS number or UPN, and postcode, among those the viewer may see."""
    access.require(access.can_search_people(viewer))
    if criteria.is_empty():
        return SearchResult(people=[], total=0)
    people = people_visible_to(viewer)
    for token in name_key(criteria.name).split():
        people = people.filter(
            _starts_with("given_name_key", token)
            | _starts_with("family_name_key", token)
            | _starts_with("known_as_key", token)
        )
    if criteria.date_of_birth:
        people = people.filter(date_of_birth=criteria.date_of_birth)
    if identifier := criteria.identifier.strip():
        digits = nhs_number_normalise(identifier)
        people = people.filter(nhs_number=digits) if digits.isdigit() else people.filter(upn=identifier.upper())
    if criteria.postcode.strip():
        postcode = postcode_normalise(criteria.postcode)
        people = people.filter(pk__in=Address.objects.filter(postcode=postcode).values("person_id"))
    with transaction.atomic():
        total = people.count()
        found = list(
            people.order_by("family_name_key", "given_name_key", "date_of_birth").prefetch_related("addresses")[
                :SEARCH_LIMIT
            ]
        )
        audit_record(
            actor=viewer,
            action=AuditAction.SEARCH,
            object_type="person",
            purpose="Search for a person",
            detail={
                "criteria": criteria.as_audit(),
                "results": total,
                "shown": [str(p.pk) for p in found],
            },
        )
    return SearchResult(people=found, total=total)


def _starts_with(field_name: str, prefix: str) -> Q:
    """A prefix match that an ordinary index answers.

    SQLite's LIKE ignores case and so uses no index; its default binary collation orders strings by
    their UTF-8 bytes, so the range [prefix, prefix + U+10FFFF) is the same match and uses the index.
    PostgreSQL's LIKE 'x%' uses the pattern-ops index Django adds beside each indexed CharField, and a
    range would be wrong under a linguistic collation.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field_name}__startswith": prefix})


def _visible_or_404(viewer: Any, person_id: Any, *, attempted: str) -> tuple[Person, str]:
    """The person and the basis of access, or Http404 alike for 'no such record' and 'not yours'."""
    person = Person.objects.select_related("household").filter(pk=person_id).first()
    basis = access.access_basis(viewer, person_id) if person else None
    if person is None or basis is None:
        audit_refusal(
            actor=viewer,
            object_type="person",
            object_id=person_id,
            why=f"{attempted}: {'no working relationship' if person else 'no such record'}",
        )
        raise Http404("No record you can open has that reference")
    return person, basis


def _record(viewer: Any, person: Person, basis: str) -> PersonRecord:
    policy = access.policy()
    categories = access.readable_categories(viewer)
    addresses = list(person.addresses.all())
    current = next((a for a in addresses if a.end_date is None), None)
    record = PersonRecord(
        person=person,
        basis=basis,
        categories=categories,
        current_address=current,
        previous_addresses=[a for a in addresses if a is not current],
    )
    record.involvements = [
        i
        for i in person.involvements.select_related("agency", "team", "lead_practitioner").order_by(
            "end_date", "-start_date"
        )
        if policy.category_of(i.kind) in categories
    ]
    record.allocations = [
        a
        for a in person.allocations.select_related("practitioner__agency").order_by("end_date", "-start_date")
        if policy.category_of_agency_kind(a.practitioner.agency.kind) in categories
    ]
    members = (
        list(
            HouseholdMember.objects.filter(household_id=person.household_id, end_date__isnull=True)
            .select_related("person")
            .order_by("person__date_of_birth")
        )
        if person.household_id
        else []
    )
    links = list(
        Relationship.objects.filter(Q(from_person=person) | Q(to_person=person)).select_related(
            "from_person", "to_person"
        )
    )
    # One visibility query for everyone the record names, so links go only to records the viewer may open.
    named = (
        {m.person_id for m in members} | {link.from_person_id for link in links} | {link.to_person_id for link in links}
    )
    openable = set(people_visible_to(viewer).filter(pk__in=named - {person.pk}).values_list("pk", flat=True))
    record.household = _household(person, members, openable)
    record.relationships = _relationships(person, links, openable)
    return record


def _household(person: Person, members: list[HouseholdMember], openable: set[Any]) -> list[HouseholdMemberView]:
    """Everyone living in the person's current household now, the person first."""
    shown = [
        HouseholdMemberView(
            person_id=m.person_id,
            name=m.person.display_name,
            role=m.get_household_role_display(),
            age=m.person.age(),
            can_open=m.person_id in openable,
        )
        for m in members
    ]
    return sorted(shown, key=lambda m: m.person_id != person.pk)


def _relationships(person: Person, links: list[Relationship], openable: set[Any]) -> list[RelatedPerson]:
    related = []
    for link in links:
        outgoing = link.from_person_id == person.pk
        other = link.to_person if outgoing else link.from_person
        kind_label = v.label(v.RELATIONSHIP_KIND, link.kind)
        label = _INVERSE_LABEL.get(link.kind, kind_label) if outgoing else kind_label
        related.append(
            RelatedPerson(
                person_id=other.pk,
                name=other.display_name,
                label=label,
                can_open=other.pk in openable,
                start_date=link.start_date,
                end_date=link.end_date,
                source=link.source,
                confidence=v.label(v.CONFIDENCE, link.confidence),
            )
        )
    return sorted(related, key=lambda r: (r.end_date is not None, r.label, r.name))


def person_record(*, viewer: Any, person_id: Any) -> PersonRecord:
    """Open a person's record: refused (404) unless the policy allows it; audited as a view."""
    person, basis = _visible_or_404(viewer, person_id, attempted="view")
    with transaction.atomic():
        record = _record(viewer, person, basis)
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            purpose=basis,
            detail={"categories": sorted(record.categories)},
        )
    return record


def person_export(*, viewer: Any, person_id: Any) -> dict[str, Any]:
    """A person's record as data for download: the same rules as viewing, audited as an export."""
    person, basis = _visible_or_404(viewer, person_id, attempted="export")
    with transaction.atomic():
        record = _record(viewer, person, basis)
        audit_record(
            actor=viewer,
            action=AuditAction.EXPORT,
            object_type="person",
            object_id=person.pk,
            person_id=person.pk,
            purpose=basis,
            detail={"format": "json", "categories": sorted(record.categories)},
        )
    return {"exported_at": timezone.now().isoformat(), "basis": basis, "record": record.as_export()}


def break_glass_candidates(
    *, viewer: Any, family_name: str, given_name: str, date_of_birth: datetime.date
) -> list[Person]:
    """People matching a family name and exact date of birth, for a user about to use break-glass access.

    Only these identifying details are shown until a grant is made; the search itself is audited.
    """
    access.require(access.can_break_glass(viewer))
    people = Person.objects.filter(family_name_key=name_key(family_name), date_of_birth=date_of_birth).order_by(
        "given_name_key"
    )
    if given := name_key(given_name):
        people = people.filter(Q(given_name_key__startswith=given) | Q(known_as_key__startswith=given))
    with transaction.atomic():
        found = list(people[:10])
        audit_record(
            actor=viewer,
            action=AuditAction.SEARCH,
            object_type="person",
            purpose="Break-glass search",
            detail={
                "criteria": {
                    "family_name": family_name,
                    "given_name": given_name,
                    "date_of_birth": date_of_birth.isoformat(),
                },
                "results": len(found),
                "shown": [str(p.pk) for p in found],
            },
        )
    return found


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None  # None when suppressed

    @property
    def shown(self) -> str:
        return f"fewer than {SMALL_NUMBER}" if self.count is None else f"{self.count:,}"


@dataclass(frozen=True)
class PopulationSummary:
    as_of: datetime.date
    children: int
    by_age: list[CountRow]
    by_sex: list[CountRow]
    by_ethnicity: list[CountRow]
    by_send: list[CountRow]
    open_involvements: list[CountRow]


AGE_BANDS = ((0, 4), (5, 10), (11, 15), (16, 17))


def _suppress(label: str, count: int) -> CountRow:
    return CountRow(label, count if count == 0 or count >= SMALL_NUMBER else None)


def population_summary(*, viewer: Any) -> PopulationSummary:
    """Counts of the county's children, with small numbers suppressed: no name, date or identifier leaves."""
    access.require(access.can_see_aggregates(viewer))
    today = timezone.localdate()

    def born_after(years: int) -> datetime.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    children = Person.objects.filter(date_of_birth__gt=born_after(18), date_of_birth__lte=today)
    with transaction.atomic():
        by_age = [
            _suppress(
                f"{low} to {high}",
                children.filter(date_of_birth__gt=born_after(high + 1), date_of_birth__lte=born_after(low)).count(),
            )
            for low, high in AGE_BANDS
        ]

        def grouped(field_name: str, code_list: v.Codes) -> list[CountRow]:
            counts = dict(children.values_list(field_name).annotate(n=Count("pk")).values_list(field_name, "n"))
            return [_suppress(label, counts.get(code, 0)) for code, label in code_list]

        group_counts: dict[str, int] = {}
        for code, n in children.values_list("ethnicity").annotate(n=Count("pk")).values_list("ethnicity", "n"):
            group = v.ETHNICITY_GROUP.get(code, "Not known")
            group_counts[group] = group_counts.get(group, 0) + n
        by_ethnicity = [
            _suppress(g, group_counts.get(g, 0)) for g in ("White", "Mixed", "Asian", "Black", "Other", "Not known")
        ]
        involvement_counts = dict(
            Involvement.objects.filter(end_date__isnull=True, person__in=children)
            .values_list("kind")
            .annotate(n=Count("person", distinct=True))
            .values_list("kind", "n")
        )
        summary = PopulationSummary(
            as_of=today,
            children=children.count(),
            by_age=by_age,
            by_sex=grouped("sex", v.SEX),
            by_ethnicity=by_ethnicity,
            by_send=grouped("send_status", v.SEND_STATUS),
            open_involvements=[_suppress(label, involvement_counts.get(code, 0)) for code, label in v.INVOLVEMENT_KIND],
        )
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            object_type="population_summary",
            purpose="Aggregate counts (small numbers suppressed)",
        )
    return summary
