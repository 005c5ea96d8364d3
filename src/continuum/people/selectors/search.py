"""Finding people by name, date of birth, NHS number or UPN, and postcode, among those the viewer may open."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.identifiers import nhs_number_normalise, postcode_normalise
from continuum.people.models import Address, Person, name_key

SEARCH_LIMIT = 50


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


def people_visible_to(viewer: Viewer) -> QuerySet[Person]:
    """Every person whose record this viewer may open. Not audited: callers audit what they show."""
    return Person.objects.filter(access.visible_people_filter(viewer))


def person_search(*, viewer: Viewer, criteria: SearchCriteria) -> SearchResult:
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
            obj=Subject("person"),
            event="people.person_search",
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
