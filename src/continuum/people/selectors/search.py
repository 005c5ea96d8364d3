"""Finding people by name, date of birth, NHS number or UPN, and postcode, among those the viewer may open."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.identifiers import nhs_number_normalise, postcode_is_valid, postcode_normalise
from continuum.people.models import ADULT_AGE, Address, Person, name_key
from continuum.periods import years_before

PAGE_SIZE = 25
SEARCH_LIMIT = PAGE_SIZE  # kept for callers that read the first page's size
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: datetime.date | None = None
    identifier: str = ""
    postcode: str = ""
    children_only: bool = False

    def is_empty(self) -> bool:
        return not (name_key(self.name) or self.date_of_birth or self.identifier.strip() or self.postcode.strip())

    def as_audit(self) -> dict[str, str]:
        shown = {
            "name": self.name.strip(),
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "identifier": self.identifier.strip(),
            "postcode": self.postcode.strip(),
            "children_only": "yes" if self.children_only else "",
        }
        return {k: val for k, val in shown.items() if val}

    def as_session(self) -> dict[str, Any]:
        """The criteria as the session keeps them between the search and its results (never in a URL)."""
        return {**vars(self), "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None}

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> SearchCriteria:
        born = data.get("date_of_birth")
        return cls(
            name=str(data.get("name", "")),
            date_of_birth=datetime.date.fromisoformat(born) if born else None,
            identifier=str(data.get("identifier", "")),
            postcode=str(data.get("postcode", "")),
            children_only=bool(data.get("children_only", False)),
        )


@dataclass(frozen=True)
class SearchResult:
    page: Page[Person]

    @property
    def people(self) -> list[Person]:
        return list(self.page.object_list)

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def truncated(self) -> bool:
        return self.page.paginator.num_pages > 1


def people_visible_to(viewer: Viewer) -> QuerySet[Person]:
    """Every person whose record this viewer may open. Not audited: callers audit what they show."""
    return Person.objects.filter(access.visible_people_filter(viewer))


def person_search(*, viewer: Viewer, criteria: SearchCriteria, page: Any = 1) -> SearchResult:
    """Find people by any part of a name, date of birth, NHS number or UPN, and whole or part postcode,
    among those the viewer may see; one page of results, each page's read audited as a search."""
    access.require(access.can_search_people(viewer))
    people = people_visible_to(viewer)
    if criteria.is_empty():
        people = people.none()
    for token in name_key(criteria.name).split():
        # Part names match anywhere in a name ("ordon"); one or two letters match the start of a name.
        people = people.filter(search_key__contains=token if len(token) >= 3 else f" {token}")
    if criteria.date_of_birth:
        people = people.filter(date_of_birth=criteria.date_of_birth)
    if identifier := criteria.identifier.strip():
        digits = nhs_number_normalise(identifier)
        people = people.filter(nhs_number=digits) if digits.isdigit() else people.filter(upn=identifier.upper())
    if criteria.postcode.strip():
        people = people.filter(pk__in=Address.objects.filter(_postcode_match(criteria.postcode)).values("person_id"))
    if criteria.children_only:
        people = people.filter(date_of_birth__gt=years_before(timezone.localdate(), ADULT_AGE))
    ordered = people.order_by("family_name_key", "given_name_key", "date_of_birth", "pk").prefetch_related("addresses")
    with transaction.atomic():
        shown = Paginator(ordered, PAGE_SIZE).get_page(page)
        shown.object_list = list(shown.object_list)
        audit_record(
            actor=viewer,
            action=AuditAction.SEARCH,
            obj=Subject("person"),
            event="people.person_search",
            purpose="Search for a person",
            detail={
                "criteria": criteria.as_audit(),
                "results": shown.paginator.count,
                "page": shown.number,
                "shown": [str(p.pk) for p in shown.object_list],
            },
        )
    return SearchResult(page=shown)


def _postcode_match(typed: str) -> Q:
    """A whole postcode matches itself; an outward code ("SF3") or a part ("SF3 4") matches postcodes it starts."""
    spaced = " ".join(typed.upper().split())
    compact = spaced.replace(" ", "")
    if postcode_is_valid(compact):
        return Q(postcode=postcode_normalise(compact))
    if " " not in spaced and _OUTWARD.match(compact):
        return Q(postcode__startswith=f"{compact} ")
    return Q(postcode__startswith=spaced)
