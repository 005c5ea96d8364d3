"""A year of the front door's work up to the as-of date.

Who is referred, by whom and why; what the front door decides (level of need and route); the teams that
accept or decline what is sent to them; allocation of programme work to early-help practitioners within
their caseload capacity, or a place on a waiting list until someone has room; and what schools take up
besides referring. The figures are in _distributions ("The front door").

It runs after the existing cases are allocated and adds the programme work it allocates to the
involvements (an early-help episode led by the practitioner) and the allocations, so the county at the
as-of date holds the front door's year as well as everything before it. Times are seconds since
1970-01-01 UTC; the work happens in working hours, England's bank holidays excluded, in UK local time.
"""

from __future__ import annotations

import datetime
import heapq
from collections import deque
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from continuum import vocabulary as vocab
from continuum.synth import _arrays as arr
from continuum.synth import _distributions as dist
from continuum.synth._agencies import ROLES, VOLUNTARY, Organisation, Staff
from continuum.synth._families import STRUCTURES, Population
from continuum.synth._geography import TOWN_DEPRIVATION, Addresses
from continuum.synth._relationships import KINDS as RELATIONSHIP_KINDS
from continuum.synth._relationships import Relationships
from continuum.synth._services import ALLOCATION_KINDS, Allocations, Services
from continuum.synth._services import K as INVOLVEMENT

SOURCES = list(dist.REFERRAL_SOURCE)
REASONS = [c for c, _ in vocab.REFERRAL_REASON]
ROUTES = [c for c, _ in vocab.ROUTE]
NFA, ADVICE, PROGRAMME, STEP_UP, EXISTING = (
    ROUTES.index(r) for r in ("no_further_action", "advice", "programme", "step_up", "existing_episode")
)
CONSENTS = [c for c, _ in vocab.CONSENT]
GIVEN, REFUSED, NOT_SOUGHT = (CONSENTS.index(c) for c in ("given", "refused", "not_sought"))
CHANGES = ["first", "same", "step_up", "step_down"]
PROGRAMMES = list(dist.PROGRAMMES)
OFFERS = [c for c, _ in vocab.SCHOOL_OFFER]
TRANSFER_STATUSES = ["pending", "accepted", "declined"]
PENDING, ACCEPTED, DECLINED = range(3)
STATUSES = ["new", "decided", "transferred", "allocated", "waiting", "closed"]
NEW, DECIDED, TRANSFERRED, ALLOCATED, WAITING, CLOSED = range(6)

DAY = 86_400
_LONDON = ZoneInfo("Europe/London")

# Words the synthetic records use. Stories never name the child: the record says who they are.
STORIES = {
    "emotional_wellbeing": (
        "Staff have noticed the child has become withdrawn and tearful over the last half term.",
        "The child says they worry all the time and find it hard to sleep.",
        "Since a family bereavement the child has stopped joining in and seems very low.",
    ),
    "behaviour": (
        "Several incidents this term of the child lashing out at other pupils; parents are struggling at home too.",
        "The child has been excluded from lessons repeatedly for disruptive behaviour.",
        "Police were called after the child damaged property near the home.",
    ),
    "school_attendance": (
        "Attendance has fallen below 85% this term with no explanation from home.",
        "The child has missed most Mondays this half term and arrives late on other days.",
        "Attendance has dropped sharply since the move to secondary school.",
    ),
    "exploitation": (
        "The child has been seen with older young people and has new phones and clothes.",
        "The child went missing overnight twice this month and will not say where they were.",
        "Concerns the child is being asked to carry items for older associates.",
    ),
    "domestic_abuse": (
        "Police attended an incident of domestic abuse at the home; the child was present.",
        "The child told a teacher about arguments and violence between the adults at home.",
        "A second domestic abuse notification this year involving the child's household.",
    ),
    "neglect": (
        "The child often comes in hungry and in the same clothes for several days.",
        "Home conditions are poor and health appointments have been missed.",
        "Younger siblings are being looked after by the child for long periods.",
    ),
    "parenting": (
        "The parent has asked for help managing the child's behaviour at home.",
        "The family is under strain since the parents separated and routines have broken down.",
        "The parent feels unable to cope and has asked for support.",
    ),
    "mental_health": (
        "The child has talked about self-harm and is waiting for a CAMHS assessment.",
        "A&E attendance after the child said they wanted to hurt themselves.",
        "The child is anxious about leaving the house and has stopped seeing friends.",
    ),
    "substance_misuse": (
        "The child was found with cannabis and says they use it most days.",
        "Concerns about a parent's alcohol use and the effect on the child.",
        "The child was brought home by police after drinking heavily in the park.",
    ),
    "housing_poverty": (
        "The family has been served notice on their tenancy and may be homeless within weeks.",
        "The family is relying on food banks and the home is cold and damp.",
        "The family is living in one room of temporary accommodation.",
    ),
    "other": (
        "The referrer is worried about the child but finds it hard to say exactly why.",
        "A change in the child's circumstances that the referrer thinks needs a closer look.",
        "The child has asked for someone to talk to outside school.",
    ),
}
CHILD_WANTS = (
    "",
    "I want things at home to calm down.",
    "I want someone to talk to who is not a teacher.",
    "I want to stop getting into trouble.",
    "I want to go back to my old school.",
    "I don't want to move again.",
    "I want my mum to be OK.",
    "I want to feel less worried.",
)
FAMILY_WANTS = (
    "",
    "We want help with routines and getting to school on time.",
    "We want support as a family, not just for the child.",
    "Help to find somewhere safe to live.",
    "Someone to help us understand what is going on.",
    "We want the child to have someone they trust.",
)
NOT_SOUGHT_REASONS = (
    "Telling the adults at home could put the child at risk from the person causing harm.",
    "The child fears what will happen if their family finds out they spoke to us.",
    "Suspected exploitation: alerting the adults involved could endanger the child.",
)
RATIONALES = {
    NFA: ("Needs are being met by universal services; no further action.",),
    ADVICE: (
        "Needs can be met with advice and signposting to community support.",
        "The family can use universal and community services with some guidance.",
    ),
    PROGRAMME: (
        "Additional needs that a targeted early-help programme can meet with the family's agreement.",
        "Needs that are more than universal services can meet; the child fits the programme's criteria.",
    ),
    STEP_UP: (
        "Significant harm is suspected; stepped up to children's social care for assessment.",
        "Needs are complex and the risk is high; a social work assessment is needed.",
    ),
    EXISTING: (
        "The child already has support; the new information is added to that work.",
        "An episode of support is open; the lead practitioner will take this into account.",
    ),
}
FOLLOW_UP_RATIONALE = "The receiving team declined; the family is given advice and signposting instead."
DUPLICATE_RATIONALE = "A further referral about the same concerns as one received in the last 30 days."
OUTCOMES = {
    NFA: "No further action is needed from the front door.",
    ADVICE: "The family has been given advice and signposted to support.",
    PROGRAMME: "The child has been offered a place on an early-help programme.",
    STEP_UP: "The referral has been passed to children's social care.",
    EXISTING: "The referral has been added to the support the child already has.",
}
DECLINE_REASONS = {
    PROGRAMME: (
        "The family did not want to take part when the team contacted them.",
        "On closer review the child's needs are beyond what the programme offers.",
        "The child is already getting similar support from another service.",
    ),
    STEP_UP: (
        "The threshold for a social work assessment is not met on the information given.",
        "Early help would be proportionate; there is no indication of significant harm.",
    ),
}
WAIT_ENDED = {
    "allocated": "Allocated to a practitioner",
    "withdrew": "The family withdrew from the waiting list",
    "elsewhere": "The child is now supported by another team",
}
OFFER_NOTES = {
    "training": ("Staff training on early help and making a referral", "Designated safeguarding lead briefing"),
    "trauma_workshop": ("Trauma-awareness workshop for teaching staff", "Trauma-informed practice twilight session"),
    "tools": ("Emotional wellbeing toolkit for classrooms", "Tools for schools: worry box and check-in cards"),
}


@dataclass
class FrontDoor:
    """The year's front-door work as parallel arrays (people, agencies, teams and staff by index)."""

    # Referrals, in order of receipt.
    person: np.ndarray
    received: np.ndarray
    source: np.ndarray  # index into SOURCES
    agency: np.ndarray
    referrer: np.ndarray  # practitioner, -1 if none
    reason_referral: np.ndarray  # one row per reason given
    reason: np.ndarray  # index into REASONS
    consent: np.ndarray
    consent_reason: np.ndarray  # index into NOT_SOUGHT_REASONS, -1
    story: np.ndarray  # (reason index, variant)
    child_wants: np.ndarray
    family_wants: np.ndarray
    duplicate_of: np.ndarray  # referral, -1
    status: np.ndarray
    closed: np.ndarray  # time, -1
    allocation: np.ndarray  # index into the allocations, -1
    # Decisions, in order made.
    decision_referral: np.ndarray
    decided: np.ndarray
    decider: np.ndarray
    level: np.ndarray
    previous_level: np.ndarray  # -1 for none
    change: np.ndarray
    route: np.ndarray
    programme: np.ndarray  # index into PROGRAMMES, -1
    decision_team: np.ndarray  # -1
    rationale: np.ndarray  # text
    # Transfers.
    transfer_decision: np.ndarray
    transfer_team: np.ndarray
    sent: np.ndarray
    transfer_status: np.ndarray
    responded: np.ndarray  # -1 while pending
    decline_reason: np.ndarray  # text, "" unless declined
    # Waiting-list entries.
    wait_referral: np.ndarray
    wait_programme: np.ndarray
    wait_team: np.ndarray
    wait_start: np.ndarray  # day
    wait_end: np.ndarray  # day, -1 while waiting
    wait_outcome: np.ndarray  # text
    # What schools took up.
    offer_agency: np.ndarray
    offer_kind: np.ndarray
    offer_day: np.ndarray
    offer_note: np.ndarray
    # The family the referrer named: people related to the child who live with them.
    family_referral: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    family_person: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    family_kind: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


class _Clock:
    """Days as numbers, working days in England, and local (UK) times of day turned into UTC instants."""

    def __init__(self, first: int, last: int) -> None:
        self.first = first
        days = np.arange(first, last + 1)
        years = range(arr.date_of(first).year, arr.date_of(last).year + 1)
        bank = {arr.day_number(d) for d in holidays.country_holidays("GB", subdiv="ENG", years=years)}
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday: Monday is 0
        self.working = (weekday < 5) & ~np.isin(days, np.array(sorted(bank), dtype=np.int64))
        self.count = np.cumsum(self.working)  # working days up to and including each day
        noon = (datetime.datetime.combine(arr.date_of(d), datetime.time(12), _LONDON) for d in range(first, last + 1))
        self.offset = np.array([at.utcoffset() // datetime.timedelta(seconds=1) for at in noon], dtype=np.int64)  # type: ignore[operator]

    def is_working(self, day: np.ndarray) -> np.ndarray:
        return self.working[day - self.first]

    def add(self, day: np.ndarray, working_days: np.ndarray) -> np.ndarray:
        """The working day `working_days` after each day (0: the day itself, whatever it is)."""
        day = np.asarray(day, dtype=np.int64)
        target = self.count[day - self.first] + working_days
        later = np.searchsorted(self.count, target, side="left") + self.first
        return np.where(working_days > 0, np.minimum(later, self.first + len(self.count) - 1), day)

    def on_or_after(self, day: np.ndarray) -> np.ndarray:
        """The first working day on or after each day."""
        return np.where(self.is_working(day), day, self.add(day, np.ones_like(day)))

    def on_or_before(self, day: np.ndarray) -> np.ndarray:
        """The last working day on or before each day."""
        return np.searchsorted(self.count, self.count[day - self.first], side="left") + self.first

    def instant(self, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """UTC seconds of a local time of day."""
        day = np.asarray(day, dtype=np.int64)
        return day * DAY + np.asarray(seconds, dtype=np.int64) - self.offset[day - self.first]

    def local_seconds(self, instant: np.ndarray) -> np.ndarray:
        """Local time of day, in seconds, of UTC instants (their local day is `local_day`)."""
        return (instant + self.offset[self.local_day(instant) - self.first]) % DAY

    def local_day(self, instant: np.ndarray) -> np.ndarray:
        rough = np.asarray(instant, dtype=np.int64) // DAY
        return (instant + self.offset[np.clip(rough - self.first, 0, len(self.offset) - 1)]) // DAY


class _Episodes:
    """Each child's episodes of some kinds of involvement, to ask what was open on a day and what began later."""

    def __init__(self, services: Services, kinds: tuple[str, ...], people: np.ndarray) -> None:
        rows = services.involvements
        keep = np.isin(rows.kind, [INVOLVEMENT[k] for k in kinds]) & np.isin(rows.person, people)
        self.by_person: dict[int, list[tuple[int, int, int]]] = {}
        for person, start, end, team in zip(
            rows.person[keep], rows.start[keep], rows.end[keep], rows.team[keep], strict=True
        ):
            self.by_person.setdefault(int(person), []).append((int(start), int(end), int(team)))

    def open_on(self, person: int, day: int) -> bool:
        return self.team_on(person, day) >= 0

    def team_on(self, person: int, day: int) -> int:
        """The team of the child's episode open on the day, or -1."""
        for start, end, team in self.by_person.get(person, ()):
            if start <= day and (end < 0 or end > day):
                return team
        return -1

    def next_start(self, person: int, day: int) -> int | None:
        later = [start for start, _, _ in self.by_person.get(person, ()) if start > day]
        return min(later) if later else None

    def open_mask(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        return np.array([self.open_on(int(p), int(d)) for p, d in zip(person, day, strict=True)], dtype=bool)


def build(
    seed: int,
    pop: Population,
    addresses: Addresses,
    services: Services,
    org: Organisation,
    staff: Staff,
    allocations: Allocations,
    relationships: Relationships,
    as_of: int,
) -> FrontDoor:
    """The front door's year; adds its programme allocations to services.involvements and `allocations`."""
    rng = arr.stream(seed, "frontdoor")
    clock = _Clock(as_of - 2 * 366, as_of + 60)
    cutoff = as_of * DAY - int(clock.offset[as_of - clock.first])  # the as-of day begins: nothing from then on
    referrals = _referrals(rng, pop, addresses, services, org, staff, clock, as_of)
    fd = _decide(rng, referrals, pop, addresses, services, org, staff, clock, cutoff)
    _allocate(rng, fd, services, org, staff, allocations, clock, as_of)
    _school_offers(rng, fd, org, clock, as_of)
    _family(fd, pop, relationships)
    return fd


# -- referrals ----------------------------------------------------------------------------------------


@dataclass
class _Referrals:
    person: np.ndarray
    received: np.ndarray
    source: np.ndarray
    agency: np.ndarray
    referrer: np.ndarray
    reason_referral: np.ndarray
    reason: np.ndarray
    first_reason: np.ndarray
    consent: np.ndarray
    consent_reason: np.ndarray
    story: np.ndarray
    child_wants: np.ndarray
    family_wants: np.ndarray
    duplicate_of: np.ndarray


def _referrals(
    rng: np.random.Generator,
    pop: Population,
    addresses: Addresses,
    services: Services,
    org: Organisation,
    staff: Staff,
    clock: _Clock,
    as_of: int,
) -> _Referrals:
    children = np.flatnonzero(pop.is_child & (pop.household >= 0))
    total = round(dist.REFERRALS_PER_10K * int(pop.is_child.sum()) / 10_000)
    duplicates = round(total * dist.DUPLICATE_SHARE)
    again = round(total * dist.RE_REFERRAL_SHARE)
    first = total - duplicates - again
    start = as_of - 365
    household = pop.household[children]
    structure_risk = np.array([dist.STRUCTURE_RISK[s] for s in STRUCTURES])
    need = pop.risk[household] * structure_risk[pop.structure[household]] * TOWN_DEPRIVATION[addresses.town[household]]
    age = np.clip(arr.whole_years(pop.dob[children], as_of - 182), 0, 17)  # their age in the middle of the year
    rows = services.involvements
    police = np.zeros(pop.people, dtype=bool)
    police[rows.person[(rows.kind == INVOLVEMENT["police_contact"]) & (rows.end < 0)]] = True
    known = np.where(police[children], dist.KNOWN_TO_POLICE_REFERRAL_FACTOR, 1.0)
    weight = np.array(dist.REFERRAL_AGE)[age] * need * known * (pop.dob[children] < as_of - 30)
    chosen = arr.weighted_top(rng, weight, first)
    person = children[chosen]
    earliest = np.maximum(start, pop.dob[person] + 1)
    day = earliest + (rng.random(len(person)) * (as_of - earliest)).astype(np.int64)
    # Re-referrals: children referred earlier in the year, referred again 31 days to a year later.
    room = as_of - 1 - day
    picked = arr.weighted_top(rng, need[chosen] * (room > 40), again)
    later = day[picked] + 31 + (rng.random(len(picked)) * np.minimum(334, room[picked] - 31)).astype(np.int64)
    person = np.concatenate([person, person[picked]])
    day = np.concatenate([day, later])
    # Possible duplicates: a second referral within a few weeks, usually from another agency.
    room = as_of - 1 - day
    picked = arr.weighted_top(rng, (room >= 0).astype(float), duplicates)
    soon = day[picked] + (rng.random(len(picked)) * np.minimum(26, room[picked] + 1)).astype(np.int64)
    originals = np.concatenate([np.full(len(day), -1), picked])
    person = np.concatenate([person, person[picked]])
    day = np.concatenate([day, soon])

    # Who refers: the mix, among the agencies that could refer this child.
    n = len(person)
    child_age = np.clip(arr.whole_years(pop.dob[person], day), 0, 17)
    school = services.school_of[person]
    known_to_social_care = np.zeros(pop.people, dtype=bool)
    known_to_social_care[rows.person[rows.kind == INVOLVEMENT["cin"]]] = True
    allowed = np.ones((n, len(SOURCES)), dtype=bool)
    allowed[:, SOURCES.index("school")] = school >= 0
    allowed[:, SOURCES.index("youth_justice")] = child_age >= 10
    allowed[:, SOURCES.index("camhs")] = child_age >= 4
    allowed[:, SOURCES.index("childrens_social_care")] = known_to_social_care[person]
    mix = np.array(list(dist.REFERRAL_SOURCE.values())) * allowed
    duplicate = originals >= 0
    earlier_source = np.full(n, -1)
    source = np.full(n, -1)
    for repeat in (False, True):  # a duplicate's source depends on the original's
        rows_now = np.flatnonzero(duplicate == repeat)
        weights = mix[rows_now].copy()
        if repeat:
            earlier_source[rows_now] = source[originals[rows_now]]
            weights[np.arange(len(rows_now)), earlier_source[rows_now]] *= 0.2
        source[rows_now] = arr.categorical_rows(rng, weights, np.arange(len(rows_now)))
    agency, referrer = _referrer(rng, person, source, child_age, school, pop, addresses, org, staff)

    # When: the police refer at any hour of any day; everyone else on working days, in working hours.
    police = source == SOURCES.index("police")
    working = clock.on_or_after(day)
    working = np.where(working >= as_of, clock.on_or_before(day), working)  # stay before the as-of date
    day = np.where(police, day, np.maximum(working, pop.dob[person] + 1))
    seconds = np.where(police, rng.integers(0, DAY, n), rng.integers(8 * 3600, 18 * 3600, n))
    received = clock.instant(day, seconds)

    # Why: reasons drawn from the referrer's row, the first the main one.
    table = np.array([[dist.REASON_BY_SOURCE[s].get(r, 0.0) for r in REASONS] for s in SOURCES])
    keys = arr.weighted_keys(rng, table[source].ravel()).reshape(n, len(REASONS))
    ranked = np.argsort(-keys, axis=1, kind="stable")
    given = np.minimum(arr.categorical(rng, np.array(dist.REASONS_GIVEN), n) + 1, (table[source] > 0).sum(axis=1))
    reason_referral = np.repeat(np.arange(n), given)
    reason = ranked[reason_referral, arr.group_arange(given)]
    first_reason = ranked[:, 0]
    high = np.isin(REASONS, dist.HIGH_RISK_REASONS)
    high_risk = np.bincount(reason_referral, weights=high[reason], minlength=n) > 0
    u = rng.random(n)
    not_sought = np.where(high_risk, dist.CONSENT_NOT_SOUGHT["high_risk"], dist.CONSENT_NOT_SOUGHT["default"])
    consent = np.where(u < not_sought, NOT_SOUGHT, np.where(u < not_sought + dist.CONSENT_REFUSED, REFUSED, GIVEN))
    consent_reason = np.where(consent == NOT_SOUGHT, rng.integers(0, len(NOT_SOUGHT_REASONS), n), -1)

    order = np.argsort(received, kind="stable")
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    reason_order = np.argsort(position[reason_referral], kind="stable")
    return _Referrals(
        person=person[order],
        received=received[order],
        source=source[order],
        agency=agency[order],
        referrer=referrer[order],
        reason_referral=position[reason_referral][reason_order],
        reason=reason[reason_order],
        first_reason=first_reason[order],
        consent=consent[order],
        consent_reason=consent_reason[order],
        story=rng.integers(0, 3, n)[order],
        child_wants=rng.integers(0, len(CHILD_WANTS), n)[order],
        family_wants=rng.integers(0, len(FAMILY_WANTS), n)[order],
        duplicate_of=_earlier_within(person[order], received[order], 30 * DAY),
    )


def _referrer(
    rng: np.random.Generator,
    person: np.ndarray,
    source: np.ndarray,
    age: np.ndarray,
    school: np.ndarray,
    pop: Population,
    addresses: Addresses,
    org: Organisation,
    staff: Staff,
) -> tuple[np.ndarray, np.ndarray]:
    """The referring agency and practitioner: the child's own school, locality team or the county service."""
    locality = addresses.locality[pop.household[person]]
    names = [name for name, _ in VOLUNTARY]
    carers = rng.random(len(person)) < 0.2
    voluntary = np.where(
        carers,
        names.index("Oakleaf Young Carers"),
        np.where(age >= 11, names.index("Brightpath Youth Trust"), names.index("Lantern Family Support")),
    )
    health_team = np.where(
        age < 5, org.locality_team["health_visiting"][locality], org.locality_team["school_nursing"][locality]
    )
    teams = {
        "school": (org.school_team[np.maximum(school, 0)], "school_dsl"),
        "police": (np.full(len(person), org.team["police"]), "police_liaison"),
        "health": (health_team, "health_practitioner"),
        "early_help": (org.locality_team["early_help"][locality], "practitioner"),
        "voluntary": (org.voluntary_team[voluntary], "practitioner"),
        "childrens_social_care": (org.locality_team["social_care"][locality], "practitioner"),
        "camhs": (np.full(len(person), org.team["camhs"]), "health_practitioner"),
        "youth_justice": (np.full(len(person), org.team["youth_justice"]), "practitioner"),
    }
    team = np.zeros(len(person), dtype=np.int64)
    referrer = np.full(len(person), -1)
    for i, name in enumerate(SOURCES):
        rows = np.flatnonzero(source == i)
        team_of, role = teams[name]
        team[rows] = team_of[rows]
        referrer[rows] = _member(rng, staff, team[rows], role)
    return org.team_agency[team], referrer


def _member(rng: np.random.Generator, staff: Staff, team: np.ndarray, role: str) -> np.ndarray:
    """A random member of each given team with the role, or -1 where the team has none."""
    members = np.flatnonzero(staff.role == ROLES.index(role))
    chosen = arr.random_member(rng, staff.team[members] + 1, team + 1, int(staff.team.max(initial=0)) + 2)
    return np.where(chosen >= 0, members[np.maximum(chosen, 0)], -1)


def _earlier_within(person: np.ndarray, time: np.ndarray, window: int) -> np.ndarray:
    """For each row (in time order), the latest earlier row of the same person within the window, or -1."""
    if len(person) == 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((time, person))
    same = np.r_[False, person[order][1:] == person[order][:-1]]
    previous = np.where(same, np.r_[-1, order[:-1]], -1)
    close = (previous >= 0) & (time[order] - time[np.maximum(previous, 0)] <= window)
    out = np.full(len(person), -1)
    out[order] = np.where(close, previous, -1)
    return out


# -- decisions and transfers --------------------------------------------------------------------------


def _decide(
    rng: np.random.Generator,
    r: _Referrals,
    pop: Population,
    addresses: Addresses,
    services: Services,
    org: Organisation,
    staff: Staff,
    clock: _Clock,
    cutoff: int,
) -> FrontDoor:
    n = len(r.person)
    front_door = staff.in_team(org.team["front_door"], "front_door")
    received_day = clock.local_day(r.received)
    bucket = arr.categorical(rng, np.array(dist.DECISION_DELAY), n)  # 0, 1, 2, 3, 4-5, 6-10 working days
    spread = np.where(bucket == 4, rng.integers(0, 2, n), np.where(bucket == 5, rng.integers(0, 5, n), 0))
    delay = np.array([0, 1, 2, 3, 4, 6])[bucket] + spread
    late = ~clock.is_working(received_day) | (clock.local_seconds(r.received) >= 16 * 3600)
    delay = np.where((delay == 0) & late, 1, delay)
    decided_day = clock.add(received_day, delay)
    decided = clock.instant(decided_day, rng.integers(9 * 3600, 17 * 3600 + 1800, n))
    decided = np.maximum(decided, r.received + rng.integers(20 * 60, 90 * 60, n))
    made = decided < cutoff

    referred = np.unique(r.person)
    social_care = _Episodes(services, ("cin",), referred)
    early_help = _Episodes(services, ("early_help",), referred)
    police = _Episodes(services, ("police_contact",), referred)
    excluded = _Episodes(services, ("youth_justice", "camhs", "cin"), referred)
    # The team already working with the child on the day of the decision (social care first), or -1.
    working = np.array(
        [
            social_care.team_on(int(p), int(d))
            if social_care.open_on(int(p), int(d))
            else early_help.team_on(int(p), int(d))
            for p, d in zip(r.person, decided_day, strict=True)
        ],
        dtype=np.int64,
    )
    open_csc = social_care.open_mask(r.person, decided_day)
    open_eh = (working >= 0) & ~open_csc

    # The level of need and the route, before what the front door knows of earlier referrals.
    high = np.isin(np.array(REASONS)[r.first_reason], dist.HIGH_RISK_REASONS)
    levels = np.where(high[:, None], np.array(dist.LEVEL["high_risk"]), np.array(dist.LEVEL["default"]))
    level = arr.categorical_rows(rng, levels, np.arange(n)) + 1
    level = np.where(open_csc, np.where(rng.random(n) < dist.LEVEL_WHEN_OPEN_TO_SOCIAL_CARE, 4, 3), level)
    routes = np.array([dist.ROUTE_BY_LEVEL[lv] for lv in (1, 2, 3)])
    route = np.array([NFA, ADVICE, PROGRAMME])[arr.categorical_rows(rng, routes, np.minimum(level, 3) - 1)]
    route = np.where(level == 4, STEP_UP, route)
    route = np.where(open_csc & (level >= 3), EXISTING, route)
    route = np.where(open_eh & (route == PROGRAMME), EXISTING, route)
    age = arr.whole_years(pop.dob[r.person], decided_day)
    # Known to police: an open police involvement, or the police referred the child after an incident (the
    # incident is what the police feed will record as an event).
    known_to_police = police.open_mask(r.person, decided_day) | (r.source == SOURCES.index("police"))
    programme = _programme(rng, r, level, age, known_to_police, excluded, decided_day)
    route = np.where((route == PROGRAMME) & (programme < 0), ADVICE, route)

    # Decisions in the order made, each knowing the child's earlier ones. A second referral about the same
    # concerns, or a second programme in the year, joins the work already under way if a team is working with
    # the child; otherwise it needs nothing more from the front door (a step up again at level 4).
    order = np.flatnonzero(made)[np.argsort(decided[made], kind="stable")]
    last: dict[int, tuple[int, int]] = {}
    had_programme: set[int] = set()
    d_ref, d_prev, d_level, d_route, d_repeat = [], [], [], [], []
    for i in order.tolist():
        child = int(r.person[i])
        before = last.get(child)
        lv, rt = int(level[i]), int(route[i])
        repeat = r.duplicate_of[i] >= 0 and before is not None
        if repeat:
            lv = before[0]  # type: ignore[index]
        if repeat or (rt == PROGRAMME and child in had_programme):
            rt = EXISTING if working[i] >= 0 else STEP_UP if lv == 4 else NFA if repeat else ADVICE
        if rt == PROGRAMME:
            had_programme.add(child)
        last[child] = (lv, rt)
        d_ref.append(i)
        d_prev.append(before[0] if before else -1)
        d_level.append(lv)
        d_route.append(rt)
        d_repeat.append(repeat)
    dec = np.array(d_ref, dtype=np.int64)
    dec_level = np.array(d_level, dtype=np.int64)
    dec_route = np.array(d_route, dtype=np.int64)
    dec_prev = np.array(d_prev, dtype=np.int64)
    dec_programme = np.where(dec_route == PROGRAMME, programme[dec], -1)
    locality_team = _locality_team(pop, addresses, r.person[dec], org)
    dec_team = np.select(
        [dec_route == PROGRAMME, dec_route == STEP_UP, dec_route == EXISTING],
        [locality_team["early_help"], locality_team["social_care"], working[dec]],
        -1,
    )
    rationale = np.array(
        [
            DUPLICATE_RATIONALE if repeat else RATIONALES[rt][v % len(RATIONALES[rt])]
            for repeat, rt, v in zip(d_repeat, dec_route, rng.integers(0, 6, len(dec)), strict=True)
        ],
        dtype=object,
    )

    # Transfers: a programme, a step up or an open episode's work goes to a team, which accepts or declines
    # (a team already working with the child accepts).
    sent_rows = np.flatnonzero(np.isin(dec_route, [PROGRAMME, STEP_UP, EXISTING]))
    m = len(sent_rows)
    sent = decided[dec[sent_rows]] + rng.integers(5 * 60, 60 * 60, m)
    bucket = arr.categorical(rng, np.array(dist.TRANSFER_DELAY), m)  # 0-1, 2-3, 4-10 working days
    answer = np.array([0, 2, 4])[bucket] + np.where(bucket == 2, rng.integers(0, 7, m), rng.integers(0, 2, m))
    answer_day = clock.add(clock.local_day(sent), answer)
    responded = np.maximum(clock.instant(answer_day, rng.integers(9 * 3600, 17 * 3600, m)), sent + 600)
    declined = (rng.random(m) < dist.TRANSFER_DECLINED) & (dec_route[sent_rows] != EXISTING)
    status = np.where(responded >= cutoff, PENDING, np.where(declined, DECLINED, ACCEPTED))
    decline_reason = np.array(
        [
            DECLINE_REASONS[int(dec_route[row])][v % len(DECLINE_REASONS[int(dec_route[row])])] if s == DECLINED else ""
            for row, s, v in zip(sent_rows, status, rng.integers(0, 6, m), strict=True)
        ],
        dtype=object,
    )

    # A declined transfer comes back to the front door's queue; a day or two later it steps down to advice.
    back = sent_rows[status == DECLINED]
    follow_day = clock.add(clock.local_day(responded[status == DECLINED]), rng.integers(0, 3, len(back)))
    follow = np.maximum(
        clock.instant(follow_day, rng.integers(9 * 3600, 17 * 3600, len(back))), responded[status == DECLINED] + 600
    )
    follow_made = follow < cutoff
    back, follow = back[follow_made], follow[follow_made]
    follow_level = np.where(dec_level[back] == 4, 3, dec_level[back])

    decision_referral = np.concatenate([dec, dec[back]])
    level_all = np.concatenate([dec_level, follow_level])
    previous = np.concatenate([dec_prev, dec_level[back]])
    route_all = np.concatenate([dec_route, np.full(len(back), ADVICE)])
    decided_all = np.concatenate([decided[dec], follow])
    change = np.where(
        previous < 0,
        CHANGES.index("first"),
        np.where(
            level_all > previous,
            CHANGES.index("step_up"),
            np.where(level_all < previous, CHANGES.index("step_down"), CHANGES.index("same")),
        ),
    )
    order = np.argsort(decided_all, kind="stable")
    fd = FrontDoor(
        person=r.person,
        received=r.received,
        source=r.source,
        agency=r.agency,
        referrer=r.referrer,
        reason_referral=r.reason_referral,
        reason=r.reason,
        consent=r.consent,
        consent_reason=r.consent_reason,
        story=np.stack([r.first_reason, r.story], axis=1),
        child_wants=r.child_wants,
        family_wants=r.family_wants,
        duplicate_of=r.duplicate_of,
        status=np.full(n, NEW),
        closed=np.full(n, -1),
        allocation=np.full(n, -1),
        decision_referral=decision_referral[order],
        decided=decided_all[order],
        decider=front_door[rng.integers(0, len(front_door), len(order))]
        if len(front_door)
        else np.full(len(order), -1),
        level=level_all[order],
        previous_level=previous[order],
        change=change[order],
        route=route_all[order],
        programme=np.concatenate([dec_programme, np.full(len(back), -1)])[order],
        decision_team=np.concatenate([dec_team, np.full(len(back), -1)])[order],
        rationale=np.concatenate([rationale, np.full(len(back), FOLLOW_UP_RATIONALE, dtype=object)])[order],
        transfer_decision=np.empty(0, dtype=np.int64),
        transfer_team=dec_team[sent_rows],
        sent=sent,
        transfer_status=status,
        responded=np.where(status == PENDING, -1, responded),
        decline_reason=decline_reason,
        wait_referral=np.empty(0, dtype=np.int64),
        wait_programme=np.empty(0, dtype=np.int64),
        wait_team=np.empty(0, dtype=np.int64),
        wait_start=np.empty(0, dtype=np.int64),
        wait_end=np.empty(0, dtype=np.int64),
        wait_outcome=np.empty(0, dtype=object),
        offer_agency=np.empty(0, dtype=np.int64),
        offer_kind=np.empty(0, dtype=np.int64),
        offer_day=np.empty(0, dtype=np.int64),
        offer_note=np.empty(0, dtype=object),
    )
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    fd.transfer_decision = position[sent_rows]

    # Where each referral stands now, as the service moves it (allocation and waiting lists are settled in
    # _allocate): no further action and advice close it; a transfer waits for the team; a decline sends it
    # back to the front door's queue until it decides again; a team that takes a step up or adds the referral
    # to its open work closes it.
    status_now = fd.status
    closed = fd.closed
    closing = np.isin(dec_route, [NFA, ADVICE])
    status_now[dec[closing]] = CLOSED
    closed[dec[closing]] = decided[dec[closing]]
    sent_referral = dec[sent_rows]
    status_now[sent_referral[status == PENDING]] = TRANSFERRED
    status_now[sent_referral[status == DECLINED]] = NEW
    taken = (status == ACCEPTED) & (dec_route[sent_rows] != PROGRAMME)
    status_now[sent_referral[taken]] = CLOSED
    closed[sent_referral[taken]] = responded[taken]
    status_now[dec[back]] = CLOSED
    closed[dec[back]] = follow
    return fd


def _programme(
    rng: np.random.Generator,
    r: _Referrals,
    level: np.ndarray,
    age: np.ndarray,
    known_to_police: np.ndarray,
    excluded: _Episodes,
    day: np.ndarray,
) -> np.ndarray:
    """A programme the child fits on the day of the decision (age, level, the reasons given), or -1 if none.

    POWER also needs the child known to police and not open to youth justice, CAMHS or social care, as its
    rules say (seed 000). Programmes whose needs include the first reason are favoured.
    """
    n = len(r.person)
    reasons = np.zeros((n, len(REASONS)), dtype=bool)
    reasons[r.reason_referral, r.reason] = True
    score = np.zeros((n, len(PROGRAMMES)))
    power_ok = known_to_police & ~excluded.open_mask(r.person, day)
    for j, slug in enumerate(PROGRAMMES):
        spec = dist.PROGRAMMES[slug]
        low, high = spec.ages
        needs = [REASONS.index(x) for x in spec.needs]
        fits = (age >= low) & (age <= high) & np.isin(level, dist.PROGRAMME_LEVELS.get(slug, (2, 3)))
        if slug == "power":  # the programme built for these children is the front door's first thought
            fits = (fits & power_ok) * 3.0
        match = np.where(np.isin(r.first_reason, needs), 4.0, np.where(reasons[:, needs].any(axis=1), 1.5, 0.2))
        score[:, j] = fits * match
    keys = arr.weighted_keys(rng, score.ravel()).reshape(n, len(PROGRAMMES))
    best = np.argmax(keys, axis=1)
    return np.where(score.max(axis=1, initial=0) > 0, best, -1)


def _locality_team(
    pop: Population, addresses: Addresses, person: np.ndarray, org: Organisation
) -> dict[str, np.ndarray]:
    """The early-help and social-work teams of each child's locality."""
    where = addresses.locality[pop.household[person]]
    return {
        "early_help": org.locality_team["early_help"][where],
        "social_care": org.locality_team["social_care"][where],
    }


# -- allocation and waiting lists ---------------------------------------------------------------------


def _allocate(
    rng: np.random.Generator,
    fd: FrontDoor,
    services: Services,
    org: Organisation,
    staff: Staff,
    allocations: Allocations,
    clock: _Clock,
    as_of: int,
) -> None:
    """Children a team accepts for a programme start with the practitioner in the team with the most room,
    if the programme has a place free and anyone has room; otherwise they join the programme's waiting list
    in that team, first come first served, until a place and a practitioner are free.

    A practitioner's caseload is the children they lead: their open cases (counted all year, however
    recently they began, so that nobody is over capacity on the as-of date either), the cases that closed
    during the year until they closed, and the year's programme work; it never goes over their capacity
    when a child is added. A family may give up after waiting a while; a child who meanwhile became open to
    early help or social care elsewhere leaves the list.
    """
    accepted = np.flatnonzero((fd.transfer_status == ACCEPTED) & (fd.route[fd.transfer_decision] == PROGRAMME))
    decision = fd.transfer_decision[accepted]
    referral = fd.decision_referral[decision]
    person = fd.person[referral]
    programme = fd.programme[decision]
    team = fd.transfer_team[accepted]
    arrive = clock.local_day(fd.responded[accepted])
    spans = np.array([dist.PROGRAMMES[slug].days for slug in PROGRAMMES], dtype=np.int64)
    low, high = spans[np.maximum(programme, 0)].T
    length = low + (rng.random(len(accepted)) * (high - low + 1)).astype(np.int64)
    gives_up = arrive + np.ceil(rng.exponential(dist.WAITING_WITHDRAWS_AFTER_DAYS, len(accepted))).astype(np.int64)

    # Places: each programme in each team holds a number of children at once, commissioned a little below
    # the year's demand (the children the accepted referrals would keep on it at once).
    key = team * len(PROGRAMMES) + programme
    demand = np.bincount(key, weights=length / 365.0, minlength=0) if len(key) else np.zeros(0)
    places = {int(k): max(1, round(dist.PROGRAMME_PLACES_SHARE * demand[k])) for k in np.unique(key)}

    referred = np.unique(person)
    elsewhere = (_Episodes(services, ("early_help",), referred), _Episodes(services, ("cin",), referred))
    members = {int(t): staff.in_team(int(t), "practitioner") for t in np.unique(team)}
    capacity = {t: np.maximum(staff.capacity[m], 0) for t, m in members.items()}
    held = {t: np.zeros(len(m), dtype=np.int64) for t, m in members.items()}
    slot_of = np.full(len(staff.role), -1)
    for team_members in members.values():
        slot_of[team_members] = np.arange(len(team_members))
    # Events in day order: a programme ends (0), an earlier case closes (1) or begins (2), a child arrives (3).
    events: list[tuple[int, int, int, int]] = [(int(d), 3, k, -1) for k, d in enumerate(arrive)]
    year_start = as_of - 400
    lead = ALLOCATION_KINDS.index("lead")
    mine = (allocations.kind == lead) & (slot_of[allocations.practitioner] >= 0)
    mine &= (allocations.end < 0) | (allocations.end > year_start)
    for practitioner, start, end in zip(
        allocations.practitioner[mine], allocations.start[mine], allocations.end[mine], strict=True
    ):
        t, slot = int(staff.team[practitioner]), int(slot_of[practitioner])
        if end < 0 or start <= year_start:
            held[t][slot] += 1
        else:
            events.append((int(start), 2, t, slot))
        if end >= 0:
            events.append((int(end), 1, t, slot))
    heapq.heapify(events)
    queue: dict[int, deque[int]] = {k: deque() for k in places}
    new: dict[str, list[int]] = {"person": [], "practitioner": [], "team": [], "start": [], "end": []}
    waits: list[tuple[int, int, int, int, int, str]] = []  # referral, programme, team, start, end, outcome
    first_allocation = len(allocations.person)

    def close(k: int, day: int) -> None:
        fd.status[referral[k]] = CLOSED
        fd.closed[referral[k]] = clock.instant(np.array([day]), np.array([17 * 3600]))[0]

    def ready(k: int) -> bool:
        t = int(team[k])
        return places[int(key[k])] > 0 and len(members[t]) > 0 and bool((capacity[t] - held[t]).max() > 0)

    def place(k: int, day: int) -> bool:
        child, t = int(person[k]), int(team[k])
        if any(episodes.open_on(child, day) for episodes in elsewhere):
            return False
        end = day + int(length[k])
        for episodes in elsewhere:
            begins = episodes.next_start(child, day)
            if begins is not None:
                end = min(end, begins - 1)
        if end <= day:
            return False
        slot = int(np.argmax(capacity[t] - held[t]))
        held[t][slot] += 1
        places[int(key[k])] -= 1
        fd.allocation[referral[k]] = first_allocation + len(new["person"])
        for name, value in (("person", child), ("practitioner", int(members[t][slot])), ("team", t), ("start", day)):
            new[name].append(value)
        if end >= as_of:
            new["end"].append(-1)
            fd.status[referral[k]] = ALLOCATED
        else:
            new["end"].append(end)
            close(k, end)
            heapq.heappush(events, (end, 0, k, slot))
        return True

    def serve(t: int, day: int) -> None:
        """Take children off the team's lists, longest waiting first, while places and practitioners are free."""
        lists = [k for k in queue if k // len(PROGRAMMES) == t]
        while True:
            heads = [(arrive[queue[k][0]], queue[k][0], k) for k in lists if queue[k] and ready(queue[k][0])]
            if not heads:
                return
            _, waiting, k = min(heads)
            queue[k].popleft()
            if gives_up[waiting] <= day:
                waits.append(_wait(referral, programme, team, arrive, waiting, int(gives_up[waiting]), "withdrew"))
                close(waiting, int(gives_up[waiting]))
            elif place(waiting, day):
                waits.append(_wait(referral, programme, team, arrive, waiting, day, "allocated"))
            else:
                waits.append(_wait(referral, programme, team, arrive, waiting, day, "elsewhere"))
                close(waiting, day)

    while events:
        day, kind, k, slot = heapq.heappop(events)
        if kind in (1, 2):  # an earlier case closed or began: k is the team
            held[k][slot] += 1 if kind == 2 else -1
            if kind == 1:
                serve(k, day)
            continue
        t = int(team[k])
        if kind == 0:  # a child's programme ended: a place and a practitioner's room are free again
            held[t][slot] -= 1
            places[int(key[k])] += 1
            serve(t, day)
        elif not queue[int(key[k])] and ready(k):
            if not place(k, day):
                close(k, day)
        else:
            queue[int(key[k])].append(k)
    for k in queue:
        for waiting in queue[k]:
            if gives_up[waiting] < as_of:
                waits.append(_wait(referral, programme, team, arrive, waiting, int(gives_up[waiting]), "withdrew"))
                close(waiting, int(gives_up[waiting]))
            else:
                waits.append(_wait(referral, programme, team, arrive, waiting, -1, ""))
                fd.status[referral[waiting]] = WAITING

    waits.sort(key=lambda w: (w[3], w[0]))
    numbers = np.array([w[:5] for w in waits], dtype=np.int64).reshape(-1, 5)
    fd.wait_referral, fd.wait_programme, fd.wait_team = numbers[:, 0], numbers[:, 1], numbers[:, 2]
    fd.wait_start, fd.wait_end = numbers[:, 3], numbers[:, 4]
    fd.wait_outcome = np.array([w[5] for w in waits], dtype=object)

    # Each allocation is an early-help episode led by the practitioner, and a lead allocation.
    person_new, practitioner_new, team_new, start, end = (
        np.array(new[c], dtype=np.int64) for c in ("person", "practitioner", "team", "start", "end")
    )
    m = len(person_new)
    services.involvements.add(person_new, "early_help", org.agency["early_help"], team_new, start, end)
    if m:
        services.involvements.lead[-m:] = practitioner_new
    allocations.person = np.concatenate([allocations.person, person_new])
    allocations.practitioner = np.concatenate([allocations.practitioner, practitioner_new])
    allocations.kind = np.concatenate([allocations.kind, np.full(m, lead)])
    allocations.start = np.concatenate([allocations.start, start])
    allocations.end = np.concatenate([allocations.end, end])


def _wait(
    referral: np.ndarray,
    programme: np.ndarray,
    team: np.ndarray,
    arrive: np.ndarray,
    k: int,
    end: int,
    outcome: str,
) -> tuple[int, int, int, int, int, str]:
    return int(referral[k]), int(programme[k]), int(team[k]), int(arrive[k]), end, WAIT_ENDED.get(outcome, "")


# -- schools and families -----------------------------------------------------------------------------


def _school_offers(rng: np.random.Generator, fd: FrontDoor, org: Organisation, clock: _Clock, as_of: int) -> None:
    """Training, trauma-awareness workshops and tools each school took up in the year (more where it refers more)."""
    schools = org.school_agency
    sent = np.bincount(fd.agency, minlength=len(org.agency_name))[schools].astype(float)
    engagement = np.sqrt((1 + sent) / (1 + (sent.mean() if len(sent) else 0.0)))
    agency, kind = [], []
    for k, offer in enumerate(OFFERS):
        count = rng.poisson(dist.SCHOOL_OFFERS[offer] * engagement)
        agency.append(np.repeat(schools, count))
        kind.append(np.full(int(count.sum()), k))
    fd.offer_agency = np.concatenate(agency) if agency else np.empty(0, dtype=np.int64)
    fd.offer_kind = np.concatenate(kind) if kind else np.empty(0, dtype=np.int64)
    day = as_of - 365 + (rng.random(len(fd.offer_agency)) * 365).astype(np.int64)
    working = clock.on_or_after(day)
    fd.offer_day = np.where(working < as_of, working, day)
    variant = rng.integers(0, 2, len(fd.offer_agency))
    fd.offer_note = np.array(
        [OFFER_NOTES[OFFERS[k]][v] for k, v in zip(fd.offer_kind, variant, strict=True)], dtype=object
    )
    order = np.lexsort((fd.offer_kind, fd.offer_day, fd.offer_agency))
    fd.offer_agency, fd.offer_kind, fd.offer_day, fd.offer_note = (
        fd.offer_agency[order],
        fd.offer_kind[order],
        fd.offer_day[order],
        fd.offer_note[order],
    )


_FAMILY_KINDS = ("parent", "step_parent", "grandparent", "carer")
_SIBLING_KINDS = ("sibling", "half_sibling", "step_sibling")
MAX_FAMILY = 5


def _family(fd: FrontDoor, pop: Population, relationships: Relationships) -> None:
    """The family the referrer names: the child's parents, carers, grandparents, brothers and sisters at home."""
    fd.family_referral, fd.family_person, fd.family_kind = family_of(fd.person, pop, relationships)


def family_of(
    person: np.ndarray, pop: Population, relationships: Relationships
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row of `person`, family member, relationship kind) for each child's parents, carers, grandparents,
    brothers and sisters living with them now (at most MAX_FAMILY each)."""
    rel = relationships
    current = rel.end < 0
    adults = current & np.isin(rel.kind, [RELATIONSHIP_KINDS.index(k) for k in _FAMILY_KINDS])
    siblings = current & np.isin(rel.kind, [RELATIONSHIP_KINDS.index(k) for k in _SIBLING_KINDS])
    child = np.concatenate([rel.target[adults], rel.source[siblings], rel.target[siblings]])
    other = np.concatenate([rel.source[adults], rel.target[siblings], rel.source[siblings]])
    kind = np.concatenate([rel.kind[adults], rel.kind[siblings], rel.kind[siblings]])
    keep = np.isin(child, person) & (pop.household[child] == pop.household[other]) & (pop.household[child] >= 0)
    child, other, kind = child[keep], other[keep], kind[keep]
    order = np.lexsort((other, kind, child))
    child, other, kind = child[order], other[order], kind[order]
    first = np.searchsorted(child, person, side="left")
    count = np.minimum(np.searchsorted(child, person, side="right") - first, MAX_FAMILY)
    at = np.repeat(first, count) + arr.group_arange(count)
    return np.repeat(np.arange(len(person)), count), other[at], kind[at]


# A step up from an episode of support: the lead practitioner's referral carries the episode's history.
STEP_UP_STORIES = (
    "Stepped up from an early-help episode: concerns have grown despite the support, and the family "
    "agrees a social work assessment is needed. The episode's assessment, plan and reviews are attached.",
    "Stepped up from an early-help episode: new information suggests the child may be at risk of "
    "significant harm. The lead practitioner's chronology and the latest review are attached.",
    "Stepped up from an early-help episode: the plan has not brought change and needs have become "
    "complex. The assessment and the team around the family's views are attached.",
)


def add_step_ups(
    rng: np.random.Generator,
    fd: FrontDoor,
    org: Organisation,
    staff: Staff,
    person: np.ndarray,
    day: np.ndarray,
    referrer: np.ndarray,
    social_care_team: np.ndarray,
    level_before: np.ndarray,
    reason: np.ndarray,
    as_of: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Add the referrals a lead practitioner made to step episodes up (on working days before the as-of date):
    each decided at level 4 the same day and sent to the locality's social-work team, which accepts it the
    next working day. Referrals stay in order of receipt and decisions in order made, so indices into them
    change: returns each referral's and each decision's new index by its old one (the new ones last)."""
    clock = _Clock(as_of - 2 * 366, as_of + 60)
    n = len(person)
    day = clock.on_or_before(np.asarray(day, dtype=np.int64))
    received = clock.instant(day, rng.integers(9 * 3600, 12 * 3600, n))
    decided = clock.instant(day, rng.integers(13 * 3600, 17 * 3600, n))
    responded = clock.instant(clock.add(day, np.ones(n, dtype=np.int64)), rng.integers(9 * 3600, 17 * 3600, n))
    front_door = np.flatnonzero(staff.role == ROLES.index("front_door"))
    decider = front_door[rng.integers(0, len(front_door), n)] if len(front_door) else np.full(n, -1)
    old = len(fd.person)
    grow = {
        "person": person,
        "received": received,
        "source": np.full(n, SOURCES.index("early_help")),
        "agency": np.full(n, org.agency["early_help"]),
        "referrer": referrer,
        "consent": np.full(n, GIVEN),
        "consent_reason": np.full(n, -1),
        "story": np.stack([np.full(n, len(REASONS)), rng.integers(0, len(STEP_UP_STORIES), n)], axis=1),
        "child_wants": np.zeros(n, dtype=np.int64),
        "family_wants": np.zeros(n, dtype=np.int64),
        "duplicate_of": np.full(n, -1),
        "status": np.full(n, CLOSED),
        "closed": responded,
        "allocation": np.full(n, -1),
    }
    for name, values in grow.items():
        setattr(fd, name, np.concatenate([getattr(fd, name), np.asarray(values, dtype=np.int64)]))
    new_referral = old + np.arange(n)
    fd.reason_referral = np.concatenate([fd.reason_referral, new_referral])
    fd.reason = np.concatenate([fd.reason, reason])
    old_decisions = len(fd.decided)
    decision = {
        "decision_referral": new_referral,
        "decided": decided,
        "decider": decider,
        "level": np.full(n, 4),
        "previous_level": level_before,
        "change": np.full(n, CHANGES.index("step_up")),
        "route": np.full(n, STEP_UP),
        "programme": np.full(n, -1),
        "decision_team": social_care_team,
    }
    for name, values in decision.items():
        setattr(fd, name, np.concatenate([getattr(fd, name), np.asarray(values, dtype=np.int64)]))
    rationale = np.array([RATIONALES[STEP_UP][0]] * n, dtype=object)
    fd.rationale = np.concatenate([fd.rationale, rationale]) if n else fd.rationale
    transfer = {
        "transfer_decision": old_decisions + np.arange(n),
        "transfer_team": social_care_team,
        "sent": decided + 300,
        "transfer_status": np.full(n, ACCEPTED),
        "responded": responded,
    }
    for name, values in transfer.items():
        setattr(fd, name, np.concatenate([getattr(fd, name), np.asarray(values, dtype=np.int64)]))
    fd.decline_reason = (
        np.concatenate([fd.decline_reason, np.array([""] * n, dtype=object)]) if n else fd.decline_reason
    )
    return _reorder(fd)


def _reorder(fd: FrontDoor) -> tuple[np.ndarray, np.ndarray]:
    """Put referrals back in order of receipt and decisions in order made, renumbering
    every index into them; returns each referral's and each decision's new position by its old index."""
    order = np.argsort(fd.received, kind="stable")
    where = np.empty(len(order), dtype=np.int64)
    where[order] = np.arange(len(order))
    for name in (
        "person",
        "received",
        "source",
        "agency",
        "referrer",
        "consent",
        "consent_reason",
        "story",
        "child_wants",
        "family_wants",
        "duplicate_of",
        "status",
        "closed",
        "allocation",
    ):
        setattr(fd, name, getattr(fd, name)[order])
    fd.duplicate_of = _earlier_within(fd.person, fd.received, 30 * DAY)  # a step up can be a second referral too
    reasons = np.lexsort((np.arange(len(fd.reason_referral)), where[fd.reason_referral]))
    fd.reason_referral, fd.reason = where[fd.reason_referral][reasons], fd.reason[reasons]
    fd.family_referral = where[fd.family_referral]
    fd.wait_referral = where[fd.wait_referral]
    fd.decision_referral = where[fd.decision_referral]
    decisions = np.argsort(fd.decided, kind="stable")
    decision_at = np.empty(len(decisions), dtype=np.int64)
    decision_at[decisions] = np.arange(len(decisions))
    for name in (
        "decision_referral",
        "decided",
        "decider",
        "level",
        "previous_level",
        "change",
        "route",
        "programme",
        "decision_team",
        "rationale",
    ):
        setattr(fd, name, getattr(fd, name)[decisions])
    fd.transfer_decision = decision_at[fd.transfer_decision]
    return where, decision_at
