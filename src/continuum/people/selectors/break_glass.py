"""Finding the child for emergency (break-glass) access: exact identifying details only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.people.models import Person, name_key
from continuum.people.selectors.search import people_visible_to


@dataclass(frozen=True)
class Candidate:
    person: Person
    can_open: bool  # the viewer may already open the record: emergency access is not needed


def break_glass_candidates(
    *, viewer: Viewer, family_name: str, given_name: str, date_of_birth: datetime.date
) -> list[Candidate]:
    """People matching a family name and exact date of birth, for a user about to use break-glass access,
    each saying whether the viewer can open the record already.

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
        openable = set(people_visible_to(viewer).filter(pk__in=[p.pk for p in found]).values_list("pk", flat=True))
        audit_record(
            actor=viewer,
            action=AuditAction.SEARCH,
            obj=Subject("person"),
            event="people.break_glass_search",
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
    return [Candidate(p, p.pk in openable) for p in found]
