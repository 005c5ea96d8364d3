"""The county's agencies, their teams and the people who work in them."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from continuum import vocabulary as vocab
from continuum.synth import _arrays as arr
from continuum.synth import _distributions as dist
from continuum.synth._families import ENGLISH, ETHNICITIES, HERITAGES, LANGUAGES
from continuum.synth._geography import LOCALITIES
from continuum.synth._namebook import MEN, WOMEN, NameBook, group_index
from continuum.synth._places import SECONDARY, Schools

AGENCY_KINDS = [c for c, _ in vocab.AGENCY_KIND]
ROLES = [c for c, _ in vocab.ROLE]

# One of each, for the whole county: (name, kind).
COUNTY_AGENCIES = (
    ("Shireford County Council Children's Social Care", "childrens_social_care"),
    ("Shireford Early Help Service", "early_help"),
    ("Shireford Constabulary", "police"),
    ("Shireford Community Health NHS Trust", "health"),
    ("Shireford CAMHS", "camhs"),
    ("Shireford Youth Justice Service", "youth_justice"),
    ("Shireford County Council", "council"),
)
# Invented voluntary organisations and the children they mostly work with.
VOLUNTARY = (
    ("Lantern Family Support", "families with younger children"),
    ("Brightpath Youth Trust", "young people aged 11 and over"),
    ("Oakleaf Young Carers", "young carers"),
)
_FEMALE_SHARE = {  # of each role (DfE workforce statistics: about 85% of children's social workers are women)
    "practitioner": 0.85,
    "team_manager": 0.75,
    "health_practitioner": 0.9,
    "school_dsl": 0.7,
    "police_liaison": 0.45,
    "front_door": 0.8,
    "panel_chair": 0.7,
    "analyst": 0.55,
    "administrator": 0.8,
}


@dataclass
class Organisation:
    """Agencies and teams, with the indices the other builders need."""

    agency_name: list[str]
    agency_kind: np.ndarray
    agency_locality: np.ndarray
    agency_school: np.ndarray  # index into Schools, -1 unless a school
    team_agency: np.ndarray
    team_name: list[str]
    team_locality: np.ndarray
    agency: dict[str, int]  # county agencies by kind
    voluntary_agency: np.ndarray
    school_agency: np.ndarray
    team: dict[str, int]  # county-wide teams
    locality_team: dict[str, np.ndarray]  # early_help, social_care, health_visiting, school_nursing by locality
    voluntary_team: np.ndarray
    school_team: np.ndarray


def organisation(schools: Schools) -> Organisation:
    """The county's agencies (the county-wide services, voluntary organisations and schools) and their teams."""
    names = [name for name, _ in COUNTY_AGENCIES] + [name for name, _ in VOLUNTARY] + schools.name
    kinds = [kind for _, kind in COUNTY_AGENCIES] + ["voluntary"] * len(VOLUNTARY) + ["school"] * len(schools.name)
    county = len(COUNTY_AGENCIES)
    agency = {kind: i for i, (_, kind) in enumerate(COUNTY_AGENCIES)}
    voluntary_agency = county + np.arange(len(VOLUNTARY))
    school_agency = county + len(VOLUNTARY) + np.arange(len(schools.name))
    locality = np.concatenate([np.full(county + len(VOLUNTARY), -1), schools.locality])

    team_agency: list[int] = []
    team_name: list[str] = []
    team_locality: list[int] = []

    def add(agency_index: int, name: str, where: int = -1) -> int:
        team_agency.append(agency_index)
        team_name.append(name)
        team_locality.append(where)
        return len(team_name) - 1

    locality_team = {
        "early_help": np.array(
            [add(agency["early_help"], f"{place} Early Help Team", i) for i, place in enumerate(LOCALITIES)]
        ),
        "social_care": np.array(
            [add(agency["childrens_social_care"], f"{place} Social Work Team", i) for i, place in enumerate(LOCALITIES)]
        ),
        "health_visiting": np.array(
            [add(agency["health"], f"{place} Health Visiting Team", i) for i, place in enumerate(LOCALITIES)]
        ),
        "school_nursing": np.array(
            [add(agency["health"], f"{place} School Nursing Team", i) for i, place in enumerate(LOCALITIES)]
        ),
    }
    team = {
        "front_door": add(agency["early_help"], "Front Door"),
        "police": add(agency["police"], "Child Protection Liaison Team"),
        "camhs": add(agency["camhs"], "Shireford CAMHS Team"),
        "youth_justice": add(agency["youth_justice"], "Youth Justice Team"),
    }
    voluntary_team = np.array(
        [add(int(a), f"{name} Outreach Team") for a, (name, _) in zip(voluntary_agency, VOLUNTARY, strict=True)]
    )
    school_team = np.array(
        [add(int(a), "Safeguarding team", int(schools.locality[i])) for i, a in enumerate(school_agency)]
    )
    return Organisation(
        agency_name=names,
        agency_kind=np.array([AGENCY_KINDS.index(k) for k in kinds]),
        agency_locality=locality,
        agency_school=np.concatenate([np.full(county + len(VOLUNTARY), -1), np.arange(len(schools.name))]),
        team_agency=np.array(team_agency),
        team_name=team_name,
        team_locality=np.array(team_locality),
        agency=agency,
        voluntary_agency=voluntary_agency,
        school_agency=school_agency,
        team=team,
        locality_team=locality_team,
        voluntary_team=voluntary_team,
        school_team=school_team,
    )


@dataclass
class Staff:
    given: pa.Array
    family: pa.Array
    email: pa.Array
    role: np.ndarray
    agency: np.ndarray
    team: np.ndarray  # -1 for staff outside a team
    capacity: np.ndarray  # -1 where caseload capacity does not apply

    def in_team(self, team: int, role: str) -> np.ndarray:
        return np.flatnonzero((self.team == team) & (self.role == ROLES.index(role)))


def staff(
    rng: np.random.Generator,
    org: Organisation,
    schools: Schools,
    book: NameBook,
    caseload: np.ndarray,
    children: int,
    headcount: dict[str, np.ndarray],
) -> Staff:
    """Everyone who works with the county's children, sized from the work they carry.

    caseload is the number of children each team works with (indexed by team); headcount gives the
    children the health teams serve: under_fives and school_age by locality.
    """
    role: list[int] = []
    agency: list[int] = []
    team: list[int] = []
    capacity: list[int] = []

    def hire(count: int, role_name: str, agency_index: int, team_index: int, caps: np.ndarray | None = None) -> None:
        role.extend([ROLES.index(role_name)] * count)
        agency.extend([agency_index] * count)
        team.extend([team_index] * count)
        capacity.extend(caps.tolist() if caps is not None else [-1] * count)

    def caseload_team(team_index: int, capacity_range: tuple[int, int], load: int) -> None:
        # Enough practitioners that the team runs at about 85% of its capacity.
        low, high = capacity_range
        count = max(2, math.ceil(load / (dist.TARGET_UTILISATION * (low + high) / 2)))
        caps = rng.integers(low, high + 1, count)
        while caps.sum() * dist.TARGET_UTILISATION < load:
            caps = np.append(caps, rng.integers(low, high + 1))
        hire(len(caps), "practitioner", int(org.team_agency[team_index]), team_index, caps)
        hire(
            max(1, math.ceil(len(caps) / dist.PRACTITIONERS_PER_MANAGER)),
            "team_manager",
            int(org.team_agency[team_index]),
            team_index,
        )

    def service_team(team_index: int, role_name: str, count: int) -> None:
        hire(count, role_name, int(org.team_agency[team_index]), team_index)
        hire(
            max(1, math.ceil(count / dist.PRACTITIONERS_PER_MANAGER)),
            "team_manager",
            int(org.team_agency[team_index]),
            team_index,
        )

    for where in range(len(LOCALITIES)):
        caseload_team(
            int(org.locality_team["early_help"][where]),
            dist.CAPACITY["early_help"],
            int(caseload[org.locality_team["early_help"][where]]),
        )
        caseload_team(
            int(org.locality_team["social_care"][where]),
            dist.CAPACITY["childrens_social_care"],
            int(caseload[org.locality_team["social_care"][where]]),
        )
        service_team(
            int(org.locality_team["health_visiting"][where]),
            "health_practitioner",
            max(2, math.ceil(headcount["under_fives"][where] / dist.HEALTH_VISITOR_PER_UNDER_FIVES)),
        )
        service_team(
            int(org.locality_team["school_nursing"][where]),
            "health_practitioner",
            max(1, math.ceil(headcount["school_age"][where] / dist.SCHOOL_NURSE_PER_PUPILS)),
        )
    caseload_team(org.team["youth_justice"], dist.CAPACITY["youth_justice"], int(caseload[org.team["youth_justice"]]))
    for voluntary_team in org.voluntary_team:
        caseload_team(int(voluntary_team), dist.CAPACITY["voluntary"], int(caseload[voluntary_team]))
    service_team(
        org.team["camhs"],
        "health_practitioner",
        max(2, math.ceil(caseload[org.team["camhs"]] / dist.CAMHS_CLINICIAN_PER_OPEN)),
    )
    for role_name, team_key in (("front_door", "front_door"), ("police_liaison", "police")):
        count = max(dist.MINIMUM[role_name], round(children / dist.CHILDREN_PER[role_name]))
        service_team(org.team[team_key], role_name, count)
    for i, school_team in enumerate(org.school_team):
        hire(2 if schools.phase[i] == SECONDARY else 1, "school_dsl", int(org.school_agency[i]), int(school_team))
    hire(1 if children < 100_000 else 2, "panel_chair", org.agency["early_help"], -1)
    for role_name in ("analyst", "administrator"):
        hire(
            max(dist.MINIMUM[role_name], round(children / dist.CHILDREN_PER[role_name])),
            role_name,
            org.agency["council"],
            -1,
        )

    roles = np.array(role)
    n = len(roles)
    female = rng.random(n) < np.array([_FEMALE_SHARE[r] for r in ROLES])[roles]
    heritage_p = np.array([dist.CHILD_HERITAGE[h] for h in HERITAGES])
    heritage = np.array([ETHNICITIES.index(h) for h in HERITAGES])[arr.categorical(rng, heritage_p, n)]
    group = group_index(heritage, np.full(n, ENGLISH), ETHNICITIES, LANGUAGES)
    given = book.given.take(pa.array(book.draw_given(rng, group, np.where(female, WOMEN, MEN))))
    family_index = pa.array(book.draw_family(rng, group))
    family = pc.if_else(
        pa.array(female), book.family_feminine.take(family_index), book.family_masculine.take(family_index)
    )
    return Staff(
        given=given,
        family=family,
        email=_emails(given, family),
        role=roles,
        agency=np.array(agency),
        team=np.array(team),
        capacity=np.array(capacity),
    )


def _emails(given: pa.Array, family: pa.Array) -> pa.Array:
    """given.family@example.org, lower case and letters only, numbered where two people share a name."""

    def clean(names: pa.Array) -> pa.Array:
        return pc.replace_substring_regex(pc.utf8_lower(names), "[^a-z-]", "")

    local = arr.join(clean(given), clean(family), sep=".")
    values = np.array(local.to_pylist(), dtype=object)  # staff are a few thousand at most
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    repeat = np.zeros(len(values), dtype=np.int64)
    same = np.r_[False, ordered[1:] == ordered[:-1]]
    run = np.cumsum(~same) - 1
    repeat[order] = np.arange(len(values)) - arr.group_starts(np.bincount(run))[run]
    suffix = np.where(repeat > 0, (repeat + 1).astype(str), "")
    return pa.array([f"{v}{s}@example.org" for v, s in zip(values, suffix, strict=True)], type=pa.string())


def allocate(rng: np.random.Generator, team: np.ndarray, size: np.ndarray, people: Staff) -> np.ndarray:
    """Lead practitioner for each case (a family's children count together), within caseload capacity.

    Largest cases first, each to the practitioner in its team with the most room left, so loads stay
    within capacity whenever the team has room (and otherwise spread the overload evenly).
    """
    lead = np.full(len(team), -1)
    for team_index in np.unique(team):
        staff_ids = people.in_team(int(team_index), "practitioner")
        if len(staff_ids) == 0:
            continue
        rows = np.flatnonzero(team == team_index)
        rows = rows[np.lexsort((rng.random(len(rows)), -size[rows]))]
        room = [(-int(people.capacity[s]), k, int(s)) for k, s in enumerate(staff_ids)]
        heapq.heapify(room)
        for row in rows:  # a few thousand cases per team: the heap keeps each step cheap
            free, k, practitioner = heapq.heappop(room)
            lead[row] = practitioner
            heapq.heappush(room, (free + int(size[row]), k, practitioner))
    return lead
