"""Which agencies know which children: school rolls, health, early help, social care, CAMHS, youth
justice, police and the voluntary sector, now and over the last few years.

Need is shared within a family and concentrated where life is harder, so every selection is weighted
by the household's latent need (its circumstances, its town's deprivation and chance), by the age
profile of the service, and where the national figures show it by sex, ethnicity and SEND. Early help
and social care choose families and include most of the eligible brothers and sisters; the other
services choose children one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from continuum import vocabulary as vocab
from continuum.synth import _arrays as arr
from continuum.synth import _distributions as dist
from continuum.synth._agencies import ROLES, VOLUNTARY, Organisation, Staff, allocate
from continuum.synth._families import (
    CHILD,
    COUPLE,
    ETHNICITIES,
    KINSHIP,
    MALE,
    STRUCTURES,
    YEAR,
    Population,
)
from continuum.synth._geography import TOWN_DEPRIVATION, Addresses
from continuum.synth._identifiers import academic_age, school_year_start, upns
from continuum.synth._places import PRIMARY, SECONDARY, SPECIAL, Places, Schools, choose_schools

KINDS = [c for c, _ in vocab.INVOLVEMENT_KIND]
K = {kind: i for i, kind in enumerate(KINDS)}
LEAD_KINDS = ("early_help", "cin", "cp_plan", "looked_after", "youth_justice")
SOCIAL_CARE = ("cin", "cp_plan", "looked_after")
ALLOCATION_KINDS = [c for c, _ in vocab.ALLOCATION_KIND]
SEND_CODES = [c for c, _ in vocab.SEND_STATUS]


@dataclass
class Involvements:
    person: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    kind: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    agency: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    team: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    start: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    end: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # -1 while open
    case: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))  # who shares a lead practitioner
    lead: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def add(
        self,
        person: np.ndarray,
        kind: str,
        agency: np.ndarray | int,
        team: np.ndarray | int,
        start: np.ndarray,
        end: np.ndarray | int = -1,
        case: np.ndarray | int = -1,
    ) -> None:
        n = len(person)
        values = {
            "person": person,
            "kind": K[kind],
            "agency": agency,
            "team": team,
            "start": start,
            "end": end,
            "case": case,
            "lead": -1,
        }
        for name, value in values.items():
            column = np.broadcast_to(np.asarray(value, dtype=np.int64), n)
            setattr(self, name, np.concatenate([getattr(self, name), column]))


@dataclass
class Allocations:
    person: np.ndarray
    practitioner: np.ndarray
    kind: np.ndarray
    start: np.ndarray
    end: np.ndarray


@dataclass
class Placements:
    """Looked-after children living with foster carers: their carers and since when."""

    child: np.ndarray
    carers: np.ndarray  # (children, 2) foster carers, -1 where there is only one
    since: np.ndarray


@dataclass
class _Children:
    person: np.ndarray
    age: np.ndarray
    academic: np.ndarray
    sex: np.ndarray
    heritage: np.ndarray
    send: np.ndarray
    household: np.ndarray  # the family's household (-1 for an unaccompanied child)
    risk: np.ndarray
    dob: np.ndarray
    since: np.ndarray  # when the child joined their family's household (birth, mostly)


def _children(pop: Population, addresses: Addresses, as_of: int) -> _Children:
    person = np.flatnonzero(pop.is_child)
    household = pop.birth_household[person]
    structure_risk = np.array([dist.STRUCTURE_RISK[s] for s in STRUCTURES])
    household_risk = pop.risk * structure_risk[pop.structure] * TOWN_DEPRIVATION[addresses.town]
    return _Children(
        person=person,
        age=np.clip(arr.whole_years(pop.dob[person], as_of), 0, 17),
        academic=academic_age(pop.dob[person], as_of),
        sex=pop.sex[person],
        heritage=pop.heritage[person],
        send=pop.send[person],
        household=household,
        risk=np.where(household >= 0, household_risk[np.maximum(household, 0)], 1.0),
        dob=pop.dob[person],
        since=np.where(household >= 0, np.maximum(pop.member_since[person], pop.dob[person]), pop.dob[person]),
    )


# How each service's selection is weighted beyond age and sex: (SEN factor, ethnicity factor, power of
# the household's need; need matters less for CAMHS, which every kind of family uses).
_WEIGHTING = {
    "early_help": (None, False, 1.0),
    "cin": ("social_care", True, 1.0),
    "cp_plan": ("social_care", True, 1.0),
    "looked_after": ("social_care", True, 1.0),
    "camhs": ("camhs", False, 0.5),
    "youth_justice": ("police", False, 1.0),
    "police_contact": ("police", False, 1.0),
    "voluntary_support": (None, False, 0.7),
}


def _weights(kind: str, c: _Children, household_need: bool = True) -> np.ndarray:
    """Relative chance of each child being on a service (household need left out when families are chosen)."""
    send, by_ethnicity, power = _WEIGHTING[kind]
    weight = np.array(dist.AGE_PROFILE[kind], dtype=float)[c.age]
    weight = weight * np.where(c.sex == MALE, dist.MALE_FACTOR.get(kind, 1.0), 1.0)
    if send:
        weight = weight * np.array(dist.SEND_FACTOR[send])[c.send]
    if by_ethnicity:
        factor = np.array([dist.SOCIAL_CARE_ETHNICITY_FACTOR.get(e, 1.0) for e in ETHNICITIES])
        weight = weight * factor[c.heritage]
    return weight * c.risk**power if household_need else weight


def _select_families(
    rng: np.random.Generator, c: _Children, weight: np.ndarray, households: int, target: int, include: float
) -> np.ndarray:
    """Children of families chosen by need until about `target` children are on the service.

    In a chosen family each eligible child is included with probability `include`, and at least one is.
    """
    chosen = np.zeros(len(c.person), dtype=bool)
    eligible = np.flatnonzero((weight > 0) & (c.household >= 0))
    if target <= 0 or len(eligible) == 0:
        return chosen
    hh = c.household[eligible]
    score = np.bincount(hh, weights=weight[eligible], minlength=households)
    score *= np.bincount(hh, weights=c.risk[eligible], minlength=households) / np.maximum(
        np.bincount(hh, minlength=households), 1
    )
    keys = arr.weighted_keys(rng, score)
    included = rng.random(len(eligible)) < include
    _, first = np.unique(hh, return_index=True)
    nobody = np.bincount(hh, weights=included, minlength=households)[hh[first]] == 0
    included[first[nobody]] = True
    count = np.bincount(hh, weights=included, minlength=households)
    order = np.argsort(-keys, kind="stable")
    order = order[score[order] > 0]
    take = int(np.searchsorted(np.cumsum(count[order]), target)) + 1
    picked = np.zeros(households, dtype=bool)
    picked[order[:take]] = True
    chosen[eligible] = included & picked[hh]
    return chosen


def _open_start(
    rng: np.random.Generator, mean_years: float, earliest: np.ndarray, as_of: int, shared: np.ndarray | None = None
) -> np.ndarray:
    """Start of an open episode: time since it began follows the service's mean length (a family's
    children share it when `shared` gives their household)."""
    elapsed = np.minimum(rng.exponential(mean_years * YEAR, len(earliest)), 8 * YEAR).astype(np.int64)
    if shared is not None:
        per_household = np.minimum(rng.exponential(mean_years * YEAR, shared.max(initial=-1) + 1), 8 * YEAR).astype(
            np.int64
        )
        elapsed = per_household[shared]
    return np.minimum(np.maximum(as_of - 1 - elapsed, earliest), as_of)


class _Builder:
    def __init__(
        self,
        seed: int,
        pop: Population,
        addresses: Addresses,
        schools: Schools,
        places: Places,
        org: Organisation,
        as_of: int,
    ) -> None:
        self.rng = arr.stream(seed, "services")
        self.pop, self.addresses, self.schools, self.places, self.org = pop, addresses, schools, places, org
        self.as_of = as_of
        self.c = _children(pop, addresses, as_of)
        self.n = len(self.c.person)
        self.rows = Involvements()
        self.open_since: dict[str, np.ndarray] = {}  # by kind, per child: start of the open episode or -1

    def target(self, per_10k: float, base: int | None = None) -> int:
        return round(per_10k * (self.n if base is None else base) / 10_000)

    def locality(self, child_rows: np.ndarray) -> np.ndarray:
        household = self.c.household[child_rows]
        current = self.pop.household[self.c.person[child_rows]]
        return self.addresses.locality[np.where(household >= 0, household, current)]

    # -- social care and early help -------------------------------------------------------------------

    def statutory(self) -> None:
        rng, c, pop = self.rng, self.c, self.pop
        h = pop.households
        uasc = pop.unaccompanied[c.person]
        looked_after = (
            _select_families(
                rng,
                c,
                _weights("looked_after", c, household_need=False),
                h,
                self.target(dist.OPEN_PER_10K["looked_after"]) - int(uasc.sum()),
                dist.SIBLINGS_INCLUDED["looked_after"],
            )
            | uasc
        )
        weight = _weights("cp_plan", c, household_need=False) * ~looked_after
        protection = _select_families(
            rng, c, weight, h, self.target(dist.OPEN_PER_10K["cp_plan"]), dist.SIBLINGS_INCLUDED["cp_plan"]
        )
        rest = self.target(dist.OPEN_PER_10K["cin"]) - int(looked_after.sum()) - int(protection.sum())
        weight = _weights("cin", c, household_need=False) * ~(looked_after | protection)
        in_need = _select_families(rng, c, weight, h, rest, dist.SIBLINGS_INCLUDED["cin"]) | looked_after | protection
        # Early help is for families not open to social care.
        social_care_household = np.zeros(h, dtype=bool)
        social_care_household[c.household[in_need & (c.household >= 0)]] = True
        weight = _weights("early_help", c, household_need=False) * ~social_care_household[np.maximum(c.household, 0)]
        early_help = _select_families(
            rng, c, weight, h, self.target(dist.OPEN_PER_10K["early_help"]), dist.SIBLINGS_INCLUDED["early_help"]
        )

        family = np.where(c.household >= 0, c.household, h + np.arange(self.n))  # a case per family
        csc = self.org.agency["childrens_social_care"]
        team = self.org.locality_team["social_care"]
        rows = np.flatnonzero(looked_after)
        # Unaccompanied children arrived in the last year or two, at 12 or older.
        arrival = np.maximum(
            self.as_of - rng.exponential(1.2 * YEAR, len(rows)).astype(np.int64), c.dob[rows] + int(12 * YEAR)
        )
        lac_start = np.where(
            uasc[rows],
            np.minimum(arrival, self.as_of - 1),
            _open_start(rng, dist.MEAN_YEARS["looked_after"], c.since[rows], self.as_of, family[rows]),
        )
        cp_rows = np.flatnonzero(protection)
        cp_start = _open_start(rng, dist.MEAN_YEARS["cp_plan"], c.since[cp_rows], self.as_of, family[cp_rows])
        cin_rows = np.flatnonzero(in_need & ~looked_after & ~protection)
        cin_start = _open_start(rng, dist.MEAN_YEARS["cin"], c.since[cin_rows], self.as_of, family[cin_rows])
        # A plan or being looked after sits inside a social-care episode that began a little earlier.
        before = rng.integers(14, 120, len(rows) + len(cp_rows))
        episode_rows = np.concatenate([rows, cp_rows, cin_rows])
        episode_start = np.concatenate(
            [
                np.maximum(np.concatenate([lac_start, cp_start]) - before, c.dob[np.concatenate([rows, cp_rows])]),
                cin_start,
            ]
        )
        self.rows.add(c.person[rows], "looked_after", csc, team[self.locality(rows)], lac_start, case=family[rows])
        self.rows.add(c.person[cp_rows], "cp_plan", csc, team[self.locality(cp_rows)], cp_start, case=family[cp_rows])
        self.rows.add(
            c.person[episode_rows],
            "cin",
            csc,
            team[self.locality(episode_rows)],
            episode_start,
            case=family[episode_rows],
        )
        eh_rows = np.flatnonzero(early_help)
        eh_start = _open_start(rng, dist.MEAN_YEARS["early_help"], c.since[eh_rows], self.as_of, family[eh_rows])
        self.rows.add(
            c.person[eh_rows],
            "early_help",
            self.org.agency["early_help"],
            self.org.locality_team["early_help"][self.locality(eh_rows)],
            eh_start,
            case=family[eh_rows],
        )
        for kind, where, start in (
            ("looked_after", rows, lac_start),
            ("cp_plan", cp_rows, cp_start),
            ("cin", episode_rows, episode_start),
            ("early_help", eh_rows, eh_start),
        ):
            self.open_since[kind] = np.full(self.n, -1)
            self.open_since[kind][where] = start

    def place_looked_after(self) -> Placements:
        """Most looked-after children live with foster carers, in another family's household.

        Children already in kinship care stay with their connected carers; some others stay on their
        family's household (placed with parents, or in a placement that is not a household). Brothers
        and sisters are placed together.
        """
        rng, c, pop = self.rng, self.c, self.pop
        rows = np.flatnonzero(self.open_since["looked_after"] >= 0)
        household = c.household[rows]
        uasc = household < 0
        in_kinship = ~uasc & (pop.structure[np.maximum(household, 0)] == KINSHIP)
        fostered = uasc | (~in_kinship & (rng.random(len(rows)) < dist.LOOKED_AFTER_IN_FOSTER_CARE))
        rows, household = rows[fostered], household[fostered]
        group = np.where(household >= 0, household, pop.households + np.arange(len(rows)))
        groups, group_of = np.unique(group, return_inverse=True)
        # Foster carers: a couple with no child known to social care or early help.
        busy = np.zeros(pop.households, dtype=bool)
        open_rows = np.flatnonzero((self.open_since["cin"] >= 0) | (self.open_since["early_help"] >= 0))
        busy[c.household[open_rows][c.household[open_rows] >= 0]] = True
        candidates = np.flatnonzero((pop.structure == COUPLE) & ~busy)
        foster = rng.choice(candidates, size=len(groups), replace=len(groups) > len(candidates))[group_of]
        since = self.open_since["looked_after"][rows]
        person = c.person[rows]
        # The carers are the household's first two adults (the couple, added before any grown children).
        adults = np.flatnonzero(np.isin(pop.household, candidates) & ~pop.is_child)
        carers = np.full((pop.households, 2), -1)
        by_household = adults[np.argsort(pop.household[adults], kind="stable")]
        slot = arr.group_arange(np.unique(pop.household[by_household], return_counts=True)[1])
        keep = slot < 2
        carers[pop.household[by_household[keep]], slot[keep]] = by_household[keep]
        # The move: the family household's membership ends and the foster household's begins.
        moved = household >= 0
        pop.former_members.add(person[moved], household[moved], pop.member_since[person[moved]], since[moved])
        pop.household[person] = foster
        pop.member_since[person] = since
        pop.role[person] = CHILD
        # Unaccompanied children's social workers are in the team where they now live.
        arrived = np.isin(self.rows.person, person[~moved]) & np.isin(self.rows.kind, [K[k] for k in SOCIAL_CARE])
        self.rows.team[arrived] = self.org.locality_team["social_care"][
            self.addresses.locality[pop.household[self.rows.person[arrived]]]
        ]
        return Placements(child=person, carers=carers[foster], since=since)

    # -- schools and health ----------------------------------------------------------------------------

    def schools_and_health(self) -> tuple[np.ndarray, np.ndarray]:
        """School rolls, UPNs, health visiting and school nursing. Returns (UPN per person or -1 index, UPNs)."""
        rng, c, pop, as_of = self.rng, self.c, self.pop, self.as_of
        household = pop.household[c.person]
        primary_of = choose_schools(rng, self.addresses, self.schools, self.places, PRIMARY)
        secondary_of = choose_schools(rng, self.addresses, self.schools, self.places, SECONDARY)
        special_of = choose_schools(rng, self.addresses, self.schools, self.places, SPECIAL)
        age = c.academic
        year_start = school_year_start(as_of)
        traveller = np.isin(c.heritage, [ETHNICITIES.index("WIRT"), ETHNICITIES.index("WROM")])
        not_on_roll = np.where(
            age == 4,
            1 - dist.RECEPTION_ON_ROLL,
            dist.NOT_ON_ROLL * np.where(traveller, dist.NOT_ON_ROLL_TRAVELLER_FACTOR, 1.0),
        )
        not_on_roll = np.where(age >= 16, 1 - dist.SIXTH_FORM_ON_ROLL, not_on_roll)
        on_roll = (age >= 4) & (age <= 17) & (rng.random(self.n) >= not_on_roll)
        special = on_roll & (c.send == SEND_CODES.index("E")) & (rng.random(self.n) < dist.EHC_PLAN_AT_SPECIAL_SCHOOL)
        school = np.where(age <= 10, primary_of[household], secondary_of[household])
        school = np.where(special, special_of[household], school)
        # Term starts: reception at 4, year 7 at 11; some joined later (a move, a new placement).
        phase_start_year = year_start - np.where(age <= 10, age - 4, age - 11)
        phase_start_year = np.where(special, year_start - (age - 4), phase_start_year)
        phase_start = _september(phase_start_year)
        moved_on = self.addresses.moved_on[household]
        late = rng.random(self.n) < dist.JOINED_SCHOOL_LATE
        start = np.where(late, phase_start + (rng.random(self.n) * (as_of - phase_start)).astype(np.int64), phase_start)
        start = np.maximum(start, np.where(moved_on > 0, moved_on + 14, start))
        joined = pop.member_since[c.person]  # children who came to this household later changed school then
        start = np.maximum(start, np.where(joined > c.dob + 30, joined, start))
        start = np.minimum(start, as_of)
        rows = np.flatnonzero(on_roll)
        self.rows.add(
            c.person[rows],
            "school_roll",
            self.org.school_agency[school[rows]],
            self.org.school_team[school[rows]],
            start[rows],
        )
        self.school = np.where(on_roll, school, -1)
        # Children who moved up to secondary school in the look-back left their primary then.
        left = (age >= 11) & (age <= 13) & on_roll & ~special
        rows = np.flatnonzero(left)
        left_on = _september(year_start - (age[rows] - 11)) - 42  # the end of the summer term
        first = primary_of[household[rows]]
        self.rows.add(
            c.person[rows],
            "school_roll",
            self.org.school_agency[first],
            self.org.school_team[first],
            _september(year_start - (age[rows] - 4)),
            left_on,
        )

        # UPNs for children of compulsory school age (years 1-11) on a roll, allocated by the school
        # they started at: their first primary, or the school that took them when they arrived late.
        compulsory = on_roll & (age >= 5) & (age <= 15)
        started_late = late | (start > phase_start + 60)
        allocator = np.where(started_late | special, school, primary_of[household])
        allocated = np.where(started_late, _school_year_of(start), year_start - (age - 4))
        rows = np.flatnonzero(compulsory)
        establishment = self.schools.establishment[allocator[rows]]
        key = establishment * 10_000 + allocated[rows] % 100
        order = np.argsort(key, kind="stable")
        serial = np.empty(len(rows), dtype=np.int64)
        serial[order] = arr.group_arange(np.unique(key[order], return_counts=True)[1]) + 1
        if serial.max(initial=0) > 999:
            raise ValueError("more than 999 UPNs allocated by one school in one year")
        upn_of = np.full(pop.people, -1)
        upn_of[c.person[rows]] = np.arange(len(rows))
        upn_values = upns(establishment, allocated[rows], serial)

        locality = self.addresses.locality[household]
        under_five = np.flatnonzero((c.age < 5) & (rng.random(self.n) < dist.HEALTH_VISITING_COVERAGE))
        hv = self.org.locality_team["health_visiting"]
        health = self.org.agency["health"]
        self.rows.add(
            c.person[under_five],
            "health_visiting",
            health,
            hv[locality[under_five]],
            np.minimum(c.dob[under_five] + 12, as_of),
        )
        # Health visiting ends at five; children who turned five in the look-back have a closed episode.
        fifth = c.dob + int(5 * YEAR)
        rows = np.flatnonzero((fifth < as_of) & (fifth > as_of - dist.LOOKBACK_YEARS * YEAR))
        self.rows.add(c.person[rows], "health_visiting", health, hv[locality[rows]], c.dob[rows] + 12, fifth[rows])
        school_age = np.flatnonzero(on_roll)
        nursing = school_age[rng.random(len(school_age)) < dist.SCHOOL_NURSING_OPEN]
        sn = self.org.locality_team["school_nursing"]
        nursing_start = _open_start(
            rng, dist.MEAN_YEARS["school_nursing"], np.maximum(c.dob[nursing] + int(4 * YEAR), start[nursing]), as_of
        )
        self.rows.add(c.person[nursing], "school_nursing", health, sn[locality[nursing]], nursing_start)
        self.open_since["school_nursing"] = np.full(self.n, -1)
        self.open_since["school_nursing"][nursing] = nursing_start
        self.headcount = {
            "under_fives": np.bincount(locality[c.age < 5], minlength=4),
            "school_age": np.bincount(locality[on_roll], minlength=4),
        }
        return upn_of, upn_values

    # -- individually chosen services ------------------------------------------------------------------

    def individual(self) -> None:
        rng, c, as_of = self.rng, self.c, self.as_of
        social_care = self.open_since["cin"] >= 0
        weight = _weights("camhs", c)
        rows = arr.weighted_top(rng, weight, self.target(dist.OPEN_PER_10K["camhs"]))
        start = _open_start(rng, dist.MEAN_YEARS["camhs"], c.dob[rows] + int(2 * YEAR), as_of)
        self._add_open("camhs", rows, self.org.agency["camhs"], self.org.team["camhs"], start)

        ten_to_seventeen = int((c.age >= 10).sum())
        together = dist.KNOWN_TOGETHER
        weight = _weights("youth_justice", c) * np.where(social_care, together["youth_justice"], 1.0)
        rows = arr.weighted_top(rng, weight, self.target(dist.YOUTH_JUSTICE_PER_10K_AGED_10_17, ten_to_seventeen))
        start = _open_start(rng, dist.MEAN_YEARS["youth_justice"], c.dob[rows] + int(10 * YEAR), as_of)
        self._add_open(
            "youth_justice",
            rows,
            self.org.agency["youth_justice"],
            self.org.team["youth_justice"],
            start,
            case=self.pop.households + c.person[rows],
        )
        justice = self.open_since["youth_justice"] >= 0

        weight = (
            _weights("police_contact", c)
            * np.where(justice, together["police_if_youth_justice"], 1.0)
            * np.where(social_care, together["police_if_social_care"], 1.0)
        )
        rows = arr.weighted_top(rng, weight, self.target(dist.OPEN_PER_10K["police_contact"]))
        start = _open_start(rng, dist.MEAN_YEARS["police_contact"], c.dob[rows], as_of)
        self._add_open("police_contact", rows, self.org.agency["police"], self.org.team["police"], start)

        early_help = self.open_since["early_help"] >= 0
        weight = _weights("voluntary_support", c) * np.where(early_help, together["voluntary_support"], 1.0)
        rows = arr.weighted_top(rng, weight, self.target(dist.OPEN_PER_10K["voluntary_support"]))
        organisation = self._voluntary_organisation(rows)
        start = _open_start(rng, dist.MEAN_YEARS["voluntary_support"], c.dob[rows], as_of)
        self._add_open(
            "voluntary_support",
            rows,
            self.org.voluntary_agency[organisation],
            self.org.voluntary_team[organisation],
            start,
        )

    def _voluntary_organisation(self, rows: np.ndarray) -> np.ndarray:
        # Young carers' support for some; otherwise the family charity for under-11s, the youth trust after.
        names = [name for name, _ in VOLUNTARY]
        carers = self.rng.random(len(rows)) < 0.2
        by_age = np.where(
            self.c.age[rows] >= 11, names.index("Brightpath Youth Trust"), names.index("Lantern Family Support")
        )
        return np.where(carers, names.index("Oakleaf Young Carers"), by_age)

    def _add_open(
        self,
        kind: str,
        rows: np.ndarray,
        agency: np.ndarray | int,
        team: np.ndarray | int,
        start: np.ndarray,
        case: np.ndarray | int = -1,
    ) -> None:
        self.rows.add(self.c.person[rows], kind, agency, team, start, case=case)
        self.open_since[kind] = np.full(self.n, -1)
        self.open_since[kind][rows] = start

    # -- the look-back -----------------------------------------------------------------------------

    def closed(self) -> None:
        """Episodes that ended in the last few years: the same flow of children, seen earlier.

        Each closed episode ends before any open episode of the same kind began; a closed plan or period
        looked after sits inside a closed social-care episode.
        """
        rng, c, as_of = self.rng, self.c, self.as_of
        org = self.org
        locality = self.locality(np.arange(self.n))
        team_of = {
            "early_help": (org.agency["early_help"], org.locality_team["early_help"][locality]),
            "cin": (org.agency["childrens_social_care"], org.locality_team["social_care"][locality]),
            "camhs": (org.agency["camhs"], np.full(self.n, org.team["camhs"])),
            "youth_justice": (org.agency["youth_justice"], np.full(self.n, org.team["youth_justice"])),
            "police_contact": (org.agency["police"], np.full(self.n, org.team["police"])),
            "school_nursing": (org.agency["health"], org.locality_team["school_nursing"][locality]),
        }
        team_of["cp_plan"] = team_of["looked_after"] = team_of["cin"]
        weights = {kind: _weights(kind, c) for kind in _WEIGHTING}
        weights["school_nursing"] = (c.academic >= 5).astype(float)
        counts = {kind: int((self.open_since[kind] >= 0).sum()) for kind in weights}
        counts["cin"] -= counts["cp_plan"] + counts["looked_after"]
        earliest_age = {"youth_justice": 10, "police_contact": 8, "school_nursing": 4}
        inside_episode = np.zeros(self.n, dtype=bool)  # children with a closed plan or closed period looked after
        unaccompanied = self.pop.unaccompanied[c.person]
        for kind in (
            "looked_after",
            "cp_plan",
            "cin",
            "early_help",
            "camhs",
            "youth_justice",
            "police_contact",
            "voluntary_support",
            "school_nursing",
        ):
            weight = weights[kind] * ~unaccompanied
            if kind in SOCIAL_CARE:  # one closed social-care episode each, so episodes never overlap
                weight = weight * ~inside_episode
            count = round(counts[kind] * dist.LOOKBACK_YEARS / dist.MEAN_YEARS[kind] * dist.CLOSED_FLOW_FACTOR)
            rows = arr.weighted_top(rng, weight, count)
            duration = np.clip(rng.exponential(dist.MEAN_YEARS[kind] * YEAR, len(rows)), 28, 6 * YEAR).astype(np.int64)
            end = as_of - rng.integers(14, int(dist.LOOKBACK_YEARS * YEAR), len(rows))
            limits = [self.open_since[kind][rows]]
            if kind in (*SOCIAL_CARE, "early_help"):  # early help ends before social care begins
                limits.append(self.open_since["cin"][rows])
            for limit in limits:
                end = np.where(limit >= 0, np.minimum(end, limit - 120), end)
            earliest = c.dob[rows] + int(earliest_age.get(kind, 0) * YEAR)
            start = np.maximum(end - duration, earliest)
            ok = end - start >= 14
            rows, start, end = rows[ok], start[ok], end[ok]
            if kind == "voluntary_support":
                organisation = self._voluntary_organisation(rows)
                agency, team = org.voluntary_agency[organisation], org.voluntary_team[organisation]
            else:
                agency, teams = team_of[kind]
                team = teams[rows]
            case = -1 if kind not in LEAD_KINDS else -2 - np.arange(len(rows)) - len(self.rows.person)
            self.rows.add(c.person[rows], kind, agency, team, start, end, case=case)
            if kind in ("cp_plan", "looked_after"):
                inside_episode[rows] = True
                cin_start = np.maximum(start - rng.integers(14, 90, len(rows)), c.dob[rows])
                cin_end = np.minimum(end + rng.integers(0, 90, len(rows)), as_of - 1)
                cin_end = np.where(
                    self.open_since["cin"][rows] >= 0, np.minimum(cin_end, self.open_since["cin"][rows] - 30), cin_end
                )
                cin_end = np.maximum(cin_end, end)
                self.rows.add(
                    c.person[rows], "cin", org.agency["childrens_social_care"], team, cin_start, cin_end, case=case
                )


def _september(year: np.ndarray | int) -> np.ndarray:
    """1 September of each year, as day numbers."""
    months = (np.asarray(year, dtype=np.int64) - 1970) * 12 + 8
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _school_year_of(day: np.ndarray) -> np.ndarray:
    """The calendar year in which the school year containing each day began."""
    year, month, _ = arr.calendar(day)
    return np.where(month >= 9, year, year - 1)


@dataclass
class Services:
    involvements: Involvements
    placements: Placements
    upn_of: np.ndarray  # per person: index into upns, or -1
    upns: pa.Array
    school_of: np.ndarray  # per person: the school whose roll they are on now, or -1
    headcount: dict[str, np.ndarray]


def build(
    seed: int, pop: Population, addresses: Addresses, schools: Schools, places: Places, org: Organisation, as_of: int
) -> Services:
    """Every involvement, the foster placements (which move children between households) and the UPNs."""
    builder = _Builder(seed, pop, addresses, schools, places, org, as_of)
    builder.statutory()
    placements = builder.place_looked_after()
    upn_of, upn_values = builder.schools_and_health()
    builder.individual()
    builder.closed()
    school_of = np.full(pop.people, -1)
    school_of[builder.c.person] = builder.school
    return Services(builder.rows, placements, upn_of, upn_values, school_of, builder.headcount)


def caseload(rows: Involvements, teams: int) -> np.ndarray:
    """Children each team works with at the as-of date (a child counts once per team)."""
    open_rows = rows.end < 0
    people = int(rows.person.max(initial=0)) + 1
    pairs = np.unique(rows.team[open_rows] * people + rows.person[open_rows])
    return np.bincount(pairs // people, minlength=teams)


def leads_and_allocations(
    seed: int, rows: Involvements, people: Staff, school_of: np.ndarray, org: Organisation, as_of: int
) -> Allocations:
    """Lead practitioners for early help, social care and youth justice, and the allocations that mirror them.

    An open case (a family's children in one team, across their episode and any plan) has one lead,
    chosen within caseload capacity; a closed episode had a lead from the same team. The team around
    an early-help child adds, for some, their school's designated safeguarding lead and a health
    practitioner.
    """
    rng = arr.stream(seed, "allocations")
    is_lead_kind = np.isin(rows.kind, [K[k] for k in LEAD_KINDS])
    open_rows = np.flatnonzero(is_lead_kind & (rows.end < 0))
    everyone = int(rows.person.max(initial=0)) + 1
    cases, case_of = np.unique(rows.case[open_rows] * 10_000 + rows.team[open_rows], return_inverse=True)
    first = np.unique(case_of, return_index=True)[1]
    size = np.bincount(np.unique(case_of * everyone + rows.person[open_rows]) // everyone, minlength=len(cases))
    lead_of_case = allocate(rng, rows.team[open_rows[first]], size, people)
    rows.lead[open_rows] = lead_of_case[case_of]
    closed = np.flatnonzero(is_lead_kind & (rows.end >= 0))
    episodes, episode_of = np.unique(rows.case[closed], return_inverse=True)
    first = np.unique(episode_of, return_index=True)[1]
    rows.lead[closed] = _practitioner_in_team(rng, people, rows.team[closed[first]])[episode_of]

    # Lead allocations: one per child and practitioner for open work, one per closed episode.
    staff_count = len(people.role)
    pairs, pair_of = np.unique(rows.person[open_rows] * staff_count + rows.lead[open_rows], return_inverse=True)
    pair_start = np.full(len(pairs), np.iinfo(np.int64).max)
    np.minimum.at(pair_start, pair_of, rows.start[open_rows])
    alloc = Allocations(
        person=np.empty(0, dtype=np.int64),
        practitioner=np.empty(0, dtype=np.int64),
        kind=np.empty(0, dtype=np.int64),
        start=np.empty(0, dtype=np.int64),
        end=np.empty(0, dtype=np.int64),
    )
    _append(alloc, pairs // staff_count, pairs % staff_count, "lead", pair_start, -1)
    start = np.full(len(episodes), np.iinfo(np.int64).max)
    end = np.full(len(episodes), -1)
    np.minimum.at(start, episode_of, rows.start[closed])
    np.maximum.at(end, episode_of, rows.end[closed])
    _append(alloc, rows.person[closed[first]], rows.lead[closed[first]], "lead", start, end)

    early_help = np.flatnonzero((rows.kind == K["early_help"]) & (rows.end < 0))
    child = rows.person[early_help]
    begins = np.minimum(rows.start[early_help] + rng.integers(0, 30, len(early_help)), as_of)
    school = school_of[child]
    with_dsl = (school >= 0) & (rng.random(len(child)) < dist.TEAM_AROUND_FAMILY["school_dsl"])
    dsl = _practitioner_in_team(rng, people, org.school_team[np.maximum(school, 0)], "school_dsl")
    _append(alloc, child[with_dsl], dsl[with_dsl], "team_around_family", begins[with_dsl], -1)
    locality = org.team_locality[rows.team[early_help]]
    health_team = np.where(
        school >= 0, org.locality_team["school_nursing"][locality], org.locality_team["health_visiting"][locality]
    )
    with_health = rng.random(len(child)) < dist.TEAM_AROUND_FAMILY["health"]
    nurse = _practitioner_in_team(rng, people, health_team, "health_practitioner")
    _append(alloc, child[with_health], nurse[with_health], "team_around_family", begins[with_health], -1)
    return alloc


def _practitioner_in_team(
    rng: np.random.Generator, people: Staff, team: np.ndarray, role: str = "practitioner"
) -> np.ndarray:
    """A random member of each given team with the role, or -1 where the team has none."""
    members = np.flatnonzero(people.role == ROLES.index(role))
    chosen = arr.random_member(rng, people.team[members] + 1, team + 1, int(people.team.max()) + 2)
    return np.where(chosen >= 0, members[np.maximum(chosen, 0)], -1)


def _append(
    alloc: Allocations,
    person: np.ndarray,
    practitioner: np.ndarray,
    kind: str,
    start: np.ndarray,
    end: np.ndarray | int,
) -> None:
    keep = practitioner >= 0
    alloc.person = np.concatenate([alloc.person, person[keep]])
    alloc.practitioner = np.concatenate([alloc.practitioner, practitioner[keep]])
    alloc.kind = np.concatenate([alloc.kind, np.full(int(keep.sum()), ALLOCATION_KINDS.index(kind))])
    alloc.start = np.concatenate([alloc.start, np.asarray(start)[keep]])
    alloc.end = np.concatenate([alloc.end, np.broadcast_to(np.asarray(end), len(keep))[keep]])
