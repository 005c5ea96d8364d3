"""A small front-door year on top of the test world, for figures that can be worked out by hand.

The referral, decision and allocation services are written alongside this module, so the year is written
with the models directly, as the county snapshot loader writes it.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from continuum.agencies.access import SystemActor
from continuum.agencies.models import Agency, Practitioner, Team
from continuum.agencies.services import allocation_add
from continuum.frontdoor.models import Decision, Referral, ReferralReason, SchoolOffer, Transfer, WaitingListEntry
from continuum.people.models import Person
from continuum.programmes.models import Programme

LONDON = ZoneInfo("Europe/London")
JUNE = {
    "since-day": "1",
    "since-month": "6",
    "since-year": "2025",
    "until-day": "30",
    "until-month": "6",
    "until-year": "2025",
}
_serial = itertools.count(1)


def at(day: str, time: str = "10:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def practitioner_of(agency: Agency) -> Practitioner:
    return Practitioner.objects.filter(agency=agency).order_by("family_name", "given_name").first() or (
        Practitioner.objects.create(given_name="Sam", family_name="Referrer", role="practitioner", agency=agency)
    )


def refer(person: Person, agency: Agency, received: datetime.datetime, *reasons: str) -> Referral:
    by = practitioner_of(agency)
    referral = Referral.objects.create(
        reference=f"FD-TEST-{next(_serial):06d}",
        person=person,
        referrer_practitioner=by,
        referrer_name=by.name,
        referrer_agency=agency,
        received_at=received,
        story="What the referrer saw.",
        consent="given",
    )
    ReferralReason.objects.bulk_create(ReferralReason(referral=referral, reason=r) for r in reasons)
    return referral


def decide(
    referral: Referral,
    decided: datetime.datetime,
    level: int,
    route: str,
    programme: Programme | None = None,
    team: Team | None = None,
) -> Decision:
    front_door = Practitioner.objects.get(user__username="frontdoor")
    status = Referral.Status.CLOSED if route in ("no_further_action", "advice", "existing_episode") else "decided"
    Referral.objects.filter(pk=referral.pk).update(status=status)
    return Decision.objects.create(
        referral=referral,
        decided_by=front_door.user,
        decided_by_practitioner=front_door,
        decided_at=decided,
        level=level,
        change="first",
        rationale="Why the front door decided this.",
        route=route,
        programme=programme,
        team=team,
    )


def send(decision: Decision, team: Team, status: str, responded: datetime.datetime | None = None) -> Transfer:
    return Transfer.objects.create(
        decision=decision, team=team, sent_at=decision.decided_at, status=status, responded_at=responded
    )


@dataclass
class June:
    """Five referrals received in June 2025 (and one in January), decided as the tests below expect."""

    referrals: dict[str, Referral] = field(default_factory=dict)


def june(world, catalogue) -> June:
    """Worked out by hand (the working days are those of June 2025; no bank holiday falls in it):

    r0 ben   police     10 Jan        level 2 advice (before the period: makes r2 a re-referral)
    r1 amy   Northgate  Mon 2 Jun     decided the same day (0 working days): level 2, POWER, accepted,
                                      waited 3 to 10 June, then allocated
    r2 ben   police     Fri 6 Jun     decided Mon 9 Jun (1): level 4, step up, accepted
    r3 cara  health     Mon 9 Jun     decided Thu 12 Jun (3): level 3, Staying Together, accepted, waiting since 13 June
    r4 dan   Southgate  Tue 10 Jun    decided Tue 24 Jun (10): level 1, no further action
    r5 amy   police     Fri 20 Jun    not decided (18 days after r1: a possible duplicate)
    """
    a = world.agencies
    eh_team = Team.objects.get(agency=a["eh"])
    csc_team = Team.objects.get(agency=a["csc"])
    system = SystemActor("test set-up")
    out = June()
    r = out.referrals
    r["r0"] = refer(world.ben, a["police"], at("2025-01-10", "09:00"), "domestic_abuse")
    decide(r["r0"], at("2025-01-10", "12:00"), 2, "advice")

    r["r1"] = refer(world.amy, a["northgate"], at("2025-06-02", "10:00"), "school_attendance", "emotional_wellbeing")
    d1 = decide(r["r1"], at("2025-06-02", "15:00"), 2, "programme", catalogue["power"], eh_team)
    send(d1, eh_team, "accepted", at("2025-06-03", "09:30"))
    WaitingListEntry.objects.create(
        referral=r["r1"],
        programme=catalogue["power"],
        team=eh_team,
        start_date=datetime.date(2025, 6, 3),
        end_date=datetime.date(2025, 6, 10),
        outcome="Allocated to a practitioner",
    )
    allocation = allocation_add(
        actor=system,
        person=world.amy,
        practitioner=world.alice.practitioner,
        kind="lead",
        start_date=datetime.date(2025, 6, 10),
    )
    Referral.objects.filter(pk=r["r1"].pk).update(status="allocated", allocation=allocation)

    r["r2"] = refer(world.ben, a["police"], at("2025-06-06", "15:00"), "domestic_abuse")
    d2 = decide(r["r2"], at("2025-06-09", "11:00"), 4, "step_up", team=csc_team)
    send(d2, csc_team, "accepted", at("2025-06-10", "09:00"))

    r["r3"] = refer(world.cara, a["health"], at("2025-06-09", "09:00"), "mental_health", "emotional_wellbeing")
    d3 = decide(r["r3"], at("2025-06-12", "10:00"), 3, "programme", catalogue["staying-together"], eh_team)
    send(d3, eh_team, "accepted", at("2025-06-13", "09:00"))
    WaitingListEntry.objects.create(
        referral=r["r3"], programme=catalogue["staying-together"], team=eh_team, start_date=datetime.date(2025, 6, 13)
    )
    Referral.objects.filter(pk=r["r3"].pk).update(status="waiting")

    r["r4"] = refer(world.dan, a["southgate"], at("2025-06-10", "09:00"), "behaviour")
    decide(r["r4"], at("2025-06-24", "16:00"), 1, "no_further_action")

    r["r5"] = refer(world.amy, a["police"], at("2025-06-20", "13:00"), "domestic_abuse")

    SchoolOffer.objects.create(agency=a["northgate"], offer="training", on=datetime.date(2025, 6, 15))
    SchoolOffer.objects.create(agency=a["northgate"], offer="trauma_workshop", on=datetime.date(2025, 6, 16))
    SchoolOffer.objects.create(agency=a["southgate"], offer="tools", on=datetime.date(2025, 5, 1))  # before June
    return out
