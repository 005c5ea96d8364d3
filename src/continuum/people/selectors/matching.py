"""Records that may be the person a practitioner is describing, so a new record is made only when none is.

It reads across every person, whether or not the viewer may open them (the point is to find duplicates),
and returns what a matcher needs to score them. The caller shows details only of those the viewer may
open (people_visible_to), and audits the search with every candidate's id.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.identifiers import record_id
from continuum.people.models import Address, Person, Relationship


@dataclass(frozen=True)
class RecordToMatch:
    person: Person
    postcodes: tuple[str, ...]  # where they live now
    earlier_postcodes: tuple[str, ...]
    in_family: bool  # related to, or living with, the person the search is on behalf of


def records_to_match(
    *,
    viewer: Viewer,
    dates_of_birth: Collection[datetime.date] = (),
    family_name_key: str = "",
    given_name_keys: Collection[str] = (),
    postcode: str = "",
    family_of: Any = None,
) -> list[RecordToMatch]:
    """Everyone with one of these dates of birth, or this family name with one of these given names (or
    known-as names), or living at this postcode, or in the family of `family_of`. Not audited: the caller
    audits what it searched for and what it found."""
    access.require(access.can_search_people(viewer))
    in_family = _family_ids(family_of)
    condition = Q(pk__in=[])
    if dates_of_birth:
        condition |= Q(date_of_birth__in=list(dates_of_birth))
    if family_name_key and given_name_keys:
        condition |= Q(family_name_key=family_name_key) & (
            Q(given_name_key__in=list(given_name_keys)) | Q(known_as_key__in=list(given_name_keys))
        )
    if postcode:
        condition |= Q(pk__in=Address.objects.filter(postcode=postcode).values("person_id"))
    if in_family:
        condition |= Q(pk__in=in_family)
    people = list(
        Person.objects.filter(condition).only(
            "id", "given_name", "family_name", "known_as", "middle_names", "date_of_birth", "dob_approximate"
        )
    )
    now: dict[Any, list[str]] = {p.pk: [] for p in people}
    before: dict[Any, list[str]] = {p.pk: [] for p in people}
    for address in Address.objects.filter(person_id__in=list(now)).only(
        "person_id", "postcode", "start_date", "end_date"
    ):
        (now if address.is_current() else before)[address.person_id].append(address.postcode)
    return [RecordToMatch(p, tuple(now[p.pk]), tuple(before[p.pk]), p.pk in in_family) for p in people]


def _family_ids(person_id: Any) -> set[Any]:
    """The people recorded as related to this person, either way round, or living in their household."""
    wanted = record_id(person_id)
    if wanted is None:
        return set()
    links = Relationship.objects.filter(Q(from_person_id=wanted) | Q(to_person_id=wanted))
    related = {pk for pair in links.values_list("from_person_id", "to_person_id") for pk in pair}
    household = Person.objects.filter(pk=wanted).values("household_id")
    related |= set(
        Person.objects.filter(household_id__isnull=False, household_id__in=household).values_list("pk", flat=True)
    )
    return related - {wanted}
