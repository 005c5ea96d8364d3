"""Schools and the everyday places young people go: parks, shops, takeaways, stations, youth clubs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from continuum import vocabulary as vocab
from continuum.synth import _arrays as arr
from continuum.synth import _distributions as dist
from continuum.synth._geography import LOCALITIES, STREET_STEMS, TOWNS, Addresses

PLACE_KINDS = [c for c, _ in vocab.PLACE_KIND]
PHASES = [c for c, _ in vocab.SCHOOL_PHASE]
PRIMARY, SECONDARY, SPECIAL = (PHASES.index(p) for p in ("primary", "secondary", "special"))
# DfE establishment numbers: 2xxx primary, 4xxx secondary, 7xxx special.
_ESTABLISHMENT_BASE = {PRIMARY: 2000, SECONDARY: 4000, SPECIAL: 7000}
_ESTABLISHMENT_ROOM = {PRIMARY: 1999, SECONDARY: 2999, SPECIAL: 999}

_SAINTS = [
    "Mary",
    "John",
    "Peter",
    "Paul",
    "Andrew",
    "George",
    "Michael",
    "Anne",
    "Luke",
    "Mark",
    "Stephen",
    "Thomas",
    "Joseph",
    "Patrick",
    "Bede",
    "Chad",
    "Wilfrid",
    "Alban",
    "Edmund",
    "Margaret",
    "Catherine",
    "Barnabas",
    "James",
    "Matthew",
    "Nicholas",
    "Hilda",
    "Aidan",
    "Cuthbert",
    "Swithun",
]
_SCHOOL_NAMES = {
    PRIMARY: (
        ("{stem} Primary School", 0.35),
        ("{stem} Community Primary School", 0.15),
        ("St {saint}'s C of E Primary School", 0.15),
        ("St {saint}'s Catholic Primary School", 0.10),
        ("{town} {stem} Primary Academy", 0.15),
        ("{stem} Infant and Junior School", 0.10),
    ),
    SECONDARY: (
        ("{town} Academy", 0.25),
        ("{stem} High School", 0.30),
        ("{stem} School", 0.15),
        ("St {saint}'s Catholic High School", 0.10),
        ("{town} {stem} College", 0.20),
    ),
    SPECIAL: (("{stem} School", 0.5), ("{stem} Special School", 0.3), ("{stem} House School", 0.2)),
}
_PLACE_NAMES = {
    "park": ("{stem} Park", "{town} Recreation Ground", "{stem} Fields", "{stem} Common", "{stem} Play Area"),
    "shop": (
        "{stem} Stores",
        "{street} Newsagents",
        "{town} Convenience Store",
        "{stem} Mini Market",
        "{street} Post Office",
        "{stem} Pharmacy",
    ),
    "takeaway": (
        "Golden Dragon, {street}",
        "Chicken Shack, {street}",
        "Spice Garden, {street}",
        "Kebab House, {street}",
        "{stem} Fish Bar",
        "Noodle Bar, {street}",
        "Pizza Corner, {street}",
        "Burger Shack, {street}",
        "Peri Peri Grill, {street}",
        "The Coffee Pot, {street}",
    ),
    "youth_club": ("{town} Youth Centre", "{stem} Youth Club", "St {saint}'s Youth Club", "{stem} Community Hub"),
    "leisure": ("{town} Leisure Centre", "{town} Swimming Pool", "{stem} Sports Centre"),
}


@dataclass
class Schools:
    phase: np.ndarray
    name: list[str]
    locality: np.ndarray
    establishment: np.ndarray
    urn: np.ndarray
    place: np.ndarray  # index into Places


@dataclass
class Places:
    kind: np.ndarray
    name: pa.Array
    locality: np.ndarray
    postcode: pa.Array
    x: np.ndarray
    y: np.ndarray


def school_counts(locality: np.ndarray, academic_age: np.ndarray, children: int) -> dict[int, np.ndarray]:
    """Schools of each phase per locality, from where the children of primary (4-10) and secondary
    (11-15) school age live; special schools spread over the localities by their children."""
    primary_age = np.bincount(locality[(academic_age >= 4) & (academic_age <= 10)], minlength=len(LOCALITIES))
    secondary_age = np.bincount(locality[(academic_age >= 11) & (academic_age <= 15)], minlength=len(LOCALITIES))
    primary = np.maximum(np.rint(primary_age / dist.PRIMARY_PUPILS_PER_SCHOOL).astype(np.int64), 2)
    secondary = np.maximum(np.rint(secondary_age / dist.SECONDARY_PUPILS_PER_SCHOOL).astype(np.int64), 1)
    special_total = max(1, round(children / dist.CHILDREN_PER_SPECIAL_SCHOOL))
    everyone = np.bincount(locality, minlength=len(LOCALITIES))
    share = everyone / max(int(everyone.sum()), 1) * special_total
    special = np.floor(share).astype(np.int64)
    # Largest remainders take the schools left over.
    special[np.argsort(-(share - special), kind="stable")[: special_total - special.sum()]] += 1
    return {PRIMARY: primary, SECONDARY: secondary, SPECIAL: special}


def build(
    rng: np.random.Generator, addresses: Addresses, counts: dict[int, np.ndarray], children: int
) -> tuple[Schools, Places]:
    """Schools (sited where families live) and the other places, each at a household's doorstep."""
    phase = np.concatenate([np.repeat(p, counts[p].sum()) for p in (PRIMARY, SECONDARY, SPECIAL)])
    locality = np.concatenate([np.repeat(np.arange(len(LOCALITIES)), counts[p]) for p in (PRIMARY, SECONDARY, SPECIAL)])
    for p in (PRIMARY, SECONDARY, SPECIAL):
        if (phase == p).sum() > _ESTABLISHMENT_ROOM[p]:
            raise ValueError(f"too many {PHASES[p]} schools for four-digit establishment numbers")
    establishment = np.concatenate(
        [_ESTABLISHMENT_BASE[p] + 1 + np.arange((phase == p).sum()) for p in (PRIMARY, SECONDARY, SPECIAL)]
    )
    urn = 900_000 + rng.choice(100_000, size=len(phase), replace=False)
    site = arr.random_member(rng, addresses.locality, locality, len(LOCALITIES))  # schools sit where families live
    # A county too small to have families in every locality puts its schools where families are.
    site = np.where(site >= 0, site, rng.integers(0, len(addresses.town), len(site)))
    locality = addresses.locality[site]
    town = addresses.town[site]
    stem = rng.integers(0, len(STREET_STEMS), len(phase))
    saint = rng.integers(0, len(_SAINTS), len(phase))
    names: list[str] = []
    taken: set[str] = set()
    for i in range(len(phase)):  # a few hundred schools: a plain loop keeps the names unique
        templates = _SCHOOL_NAMES[int(phase[i])]
        choice = arr.categorical(rng, np.array([w for _, w in templates]), 1)[0]
        name = _fill(templates[choice][0], STREET_STEMS[stem[i]], TOWNS[town[i]].name, _SAINTS[saint[i]], "")
        for attempt in range(len(STREET_STEMS)):
            if name not in taken:
                break
            name = _fill(
                templates[0][0],
                STREET_STEMS[(stem[i] + attempt + 1) % len(STREET_STEMS)],
                TOWNS[town[i]].name,
                _SAINTS[saint[i]],
                "",
            )
        if name in taken:  # a large county can use every stem in a town: name the school by its town, or its URN
            named = f"{name} ({TOWNS[town[i]].name})"
            name = named if named not in taken else f"{name} (URN {urn[i]})"
        taken.add(name)
        names.append(name)

    kinds = [PLACE_KINDS.index("school")] * len(phase)
    place_names = list(names)
    where = list(site)
    population = children / dist.CHILDREN_SHARE_OF_POPULATION
    for kind, people_per in dist.PEOPLE_PER_PLACE.items():
        count = max(len(LOCALITIES), round(population / people_per))
        at = rng.integers(0, len(addresses.town), count)
        patterns = _PLACE_NAMES[kind]
        pick = rng.integers(0, len(patterns), count)
        stems = rng.integers(0, len(STREET_STEMS), count)
        saints = rng.integers(0, len(_SAINTS), count)
        streets = addresses.street.take(pa.array(at)).to_pylist()
        for j in range(count):
            place_names.append(
                _fill(
                    patterns[pick[j]],
                    STREET_STEMS[stems[j]],
                    TOWNS[addresses.town[at[j]]].name,
                    _SAINTS[saints[j]],
                    streets[j],
                )
            )
        kinds.extend([PLACE_KINDS.index(kind)] * count)
        where.extend(at.tolist())
    # Bus stations in every town, railway stations in the towns big enough for two postcode districts.
    for number, town_ in enumerate(TOWNS):
        hubs = [f"{town_.name} Bus Station"] + ([f"{town_.name} Railway Station"] if town_.districts > 1 else [])
        near_centre = _nearest_household(addresses, town_.x, town_.y, number)
        for hub in hubs:
            place_names.append(hub)
            kinds.append(PLACE_KINDS.index("transport"))
            where.append(near_centre)
        place_names.append(f"{town_.name} Library")
        kinds.append(PLACE_KINDS.index("other"))
        where.append(near_centre)
    where_ = np.array(where)
    jitter = rng.normal(0, 60, (len(where_), 2))
    places = Places(
        kind=np.array(kinds),
        name=pa.array(place_names, type=pa.string()),
        locality=addresses.locality[where_],
        postcode=addresses.postcode.take(pa.array(where_)),
        x=np.clip(addresses.x[where_] + jitter[:, 0], 0, 39_999.0),
        y=np.clip(addresses.y[where_] + jitter[:, 1], 0, 39_999.0),
    )
    schools = Schools(
        phase=phase, name=names, locality=locality, establishment=establishment, urn=urn, place=np.arange(len(phase))
    )
    return schools, places


def _fill(template: str, stem: str, town: str, saint: str, street: str) -> str:
    return template.format(stem=stem, town=town, saint=saint, street=street)


def _nearest_household(addresses: Addresses, x: float, y: float, town: int) -> int:
    distance = (addresses.x - x) ** 2 + (addresses.y - y) ** 2
    distance[addresses.town != town] = np.inf
    return int(np.argmin(distance))


def choose_schools(
    rng: np.random.Generator, addresses: Addresses, schools: Schools, places: Places, phase: int
) -> np.ndarray:
    """The school of a phase each household's children attend: usually the nearest, otherwise another
    in the household's locality (parents' preference)."""
    ids = np.flatnonzero(schools.phase == phase)
    sx, sy = places.x[schools.place[ids]], places.y[schools.place[ids]]
    nearest = np.empty(len(addresses.x), dtype=np.int64)
    for start in range(0, len(nearest), 20_000):  # in chunks to bound the distance matrix
        stop = start + 20_000
        d = (addresses.x[start:stop, None] - sx) ** 2 + (addresses.y[start:stop, None] - sy) ** 2
        nearest[start:stop] = ids[np.argmin(d, axis=1)]
    # A locality without a school of this phase (special schools are few) sends its children to the nearest.
    local = arr.random_member(rng, schools.locality[ids], addresses.locality, len(LOCALITIES))
    other = np.where(local >= 0, ids[np.maximum(local, 0)], nearest)
    return np.where(rng.random(len(nearest)) < dist.NEAREST_SCHOOL, nearest, other)
