"""Helpers for the screening and allocation tests: referrals made directly (the referral journey has its own
services and tests), a POWER-like programme with its rules, and caseload capacities.

Not fixtures in tests/conftest.py: the world there is shared by every module's tests.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from continuum.agencies.access import SystemActor
from continuum.agencies.models import Practitioner, Team
from continuum.agencies.services import involvement_open
from continuum.frontdoor.models import Referral, ReferralReason
from continuum.people.models import Person
from continuum.people.services import person_create
from continuum.programmes.models import Programme, RuleSet
from tests.conftest import World, years_ago

_numbers = itertools.count(1)

# The POWER rule set of seed 000 as data: aged 8–13, known to police, not open to youth justice, CAMHS or
# children's social care.
POWER_RULES: list[dict[str, Any]] = [
    {"kind": "age", "min": 8, "max": 13},
    {
        "kind": "known_to",
        "label": "known to police",
        "involvements": ["police_contact"],
        "events": ["police_incident", "asb", "arrest", "domestic_abuse_notification"],
        "months": 12,
    },
    {
        "kind": "not_open",
        "label": "not open to youth justice, CAMHS or social care",
        "involvements": ["youth_justice", "camhs", "cin", "cp_plan", "looked_after"],
    },
]


def power(*, name: str = "POWER", slug: str = "test-power", rules: list[dict[str, Any]] | None = None) -> Programme:
    """A programme of the tests' own (slugs start "test-"); the catalogue's own programmes are set aside, so each
    test sees exactly the programmes it made."""
    Programme.objects.exclude(slug__startswith="test-").update(active=False)
    programme = Programme.objects.create(
        slug=slug,
        name=name,
        category="preventative",
        modalities=["one_to_one"],
        summary="One-to-one sessions for children known to police (test programme)",
        min_age=8,
        max_age=13,
        source="Test: after seed 000",
    )
    RuleSet.objects.create(programme=programme, version=1, rules=POWER_RULES if rules is None else rules)
    return programme


def referral(
    world: World,
    person: Person,
    *,
    by: str = "dsl_north",
    received_at: datetime.datetime | None = None,
    reasons: tuple[str, ...] = ("behaviour",),
    duplicate_of: Referral | None = None,
    story: str = "Getting into trouble after school; police brought him home twice.",
) -> Referral:
    """A referral as the referral journey would leave it: status new, waiting for the front door."""
    referrer = world.users[by]
    made = Referral.objects.create(
        reference=f"FD-TEST-{next(_numbers):06d}",
        person=person,
        referrer=referrer,
        referrer_name=referrer.get_full_name(),
        referrer_agency=referrer.practitioner.agency,
        received_at=received_at or timezone.now(),
        story=story,
        child_wants="To stay at this school",
        family_wants="Help at home in the evenings",
        consent="given",
        possible_duplicate_of=duplicate_of,
    )
    for reason in reasons:
        ReferralReason.objects.create(referral=made, reason=reason)
    return made


def child_known_to_police(world: World, *, age: int, given_name: str = "Kit", family_name: str = "Fenwick") -> Person:
    """A child of this age with an open police involvement and nothing else."""
    child = person_create(
        actor=world.frontdoor,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=years_ago(age),
        sex="M",
        ethnicity="WBRI",
    )
    involvement_open(
        actor=SystemActor("test set-up"),
        person=child,
        agency=world.agencies["police"],
        kind="police_contact",
        start_date=years_ago(0, 40),
    )
    return child


def team(world: World, key: str) -> Team:
    """The test world's team of an agency (one each): "eh", "csc", ..."""
    return Team.objects.get(agency=world.agencies[key])


def capacity(world: World, username: str, most: int | None) -> Practitioner:
    practitioner = world.users[username].practitioner
    practitioner.caseload_capacity = most
    practitioner.save(update_fields=["caseload_capacity"])
    return practitioner


def eh_practitioner(world: World, given_name: str, *, most: int | None) -> Practitioner:
    """Another case-holding practitioner in early help's team, without an account."""
    return Practitioner.objects.create(
        given_name=given_name,
        family_name="Worker",
        role="practitioner",
        agency=world.agencies["eh"],
        team=team(world, "eh"),
        caseload_capacity=most,
    )
