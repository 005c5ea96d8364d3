"""The map of Shireford: towns, streets, postcodes and where households and places sit.

The county is a 40 km square on a metre grid with the origin at its south-west corner. Its four
localities are the quarters cut by the square's diagonals (North Shireford is the top quarter, and so
on), so each locality has its own stretch of the county boundary and meets the others in the middle.
The towns are fixed, so every run draws the same map; households, streets and places vary with the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from continuum.synth import _arrays as arr
from continuum.synth import _distributions as dist

SIDE = 40_000.0
LOCALITIES = ("North Shireford", "South Shireford", "East Shireford", "West Shireford")
OUTWARD_AREA = "SF"
# Letters allowed in the last two places of a UK postcode (Royal Mail excludes C I K M O V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_STREET_CELL = 300.0  # metres: households in one grid cell share a street
_HOMES_PER_POSTCODE = 16  # Royal Mail: a postcode unit covers about 15 addresses, of every kind of household
_FAMILY_HOMES_SHARE = 0.3  # ONS: about 28% of households have dependent children
_RURAL_SHARE = 0.08  # families living outside the towns (assumption for a mostly urban county)
_FLAT_SHARE = 0.10  # families with children living in flats (assumption; English Housing Survey order)


@dataclass(frozen=True)
class Town:
    name: str
    locality: int
    x: float
    y: float
    share: float  # of the county's households
    spread: float  # metres, standard deviation around the centre
    districts: int  # postcode districts
    deprivation: float  # multiplies the chance a family needs help
    diversity: float  # how much more likely than average a minority-heritage family lives here


TOWNS = (
    Town("Shireford", 0, 20_000, 31_000, 0.160, 1_700, 4, 1.10, 1.8),
    Town("Northbridge", 0, 14_500, 35_500, 0.060, 1_000, 2, 0.80, 0.8),
    Town("Hollowmere", 0, 25_500, 36_500, 0.045, 800, 1, 0.70, 0.6),
    Town("Kelby Cross", 0, 20_000, 25_500, 0.035, 600, 1, 0.90, 0.7),
    Town("Fallowford", 1, 20_000, 8_000, 0.110, 1_500, 3, 1.20, 1.2),
    Town("Ravensholm", 1, 13_500, 4_000, 0.055, 1_000, 2, 1.00, 0.8),
    Town("Thornleigh", 1, 26_500, 4_500, 0.045, 900, 1, 0.80, 0.6),
    Town("Wyckham St Mary", 1, 20_000, 14_000, 0.025, 600, 1, 0.70, 0.5),
    Town("Kestonbridge", 2, 32_000, 20_000, 0.120, 1_500, 3, 1.40, 1.6),
    Town("Harrowdene", 2, 35_500, 26_000, 0.050, 1_000, 2, 1.10, 1.0),
    Town("Copperfield", 2, 35_500, 13_500, 0.045, 900, 1, 1.00, 0.7),
    Town("Larkbury", 2, 27_000, 19_000, 0.025, 600, 1, 0.80, 0.6),
    Town("Elmstead", 3, 8_000, 20_000, 0.100, 1_500, 3, 0.90, 1.0),
    Town("Stallingford", 3, 4_500, 27_000, 0.050, 1_000, 2, 0.80, 0.6),
    Town("Pennock", 3, 4_500, 12_500, 0.045, 900, 1, 1.00, 0.6),
    Town("Dunmore", 3, 13_000, 21_000, 0.020, 600, 1, 0.70, 0.5),
)
TOWN_LOCALITY = np.array([t.locality for t in TOWNS])
TOWN_DEPRIVATION = np.array([t.deprivation for t in TOWNS])
# Postcode district numbers: SF1-SF4 are Shireford's, SF5-SF6 Northbridge's, and so on.
_FIRST_DISTRICT = np.cumsum([0] + [t.districts for t in TOWNS])[:-1] + 1

STREET_STEMS = [
    "Alder",
    "Ash",
    "Beech",
    "Birch",
    "Cedar",
    "Chestnut",
    "Elm",
    "Hazel",
    "Holly",
    "Juniper",
    "Larch",
    "Laurel",
    "Linden",
    "Maple",
    "Oak",
    "Pine",
    "Rowan",
    "Sycamore",
    "Willow",
    "Yew",
    "Acorn",
    "Bramble",
    "Clover",
    "Daisy",
    "Fern",
    "Heather",
    "Ivy",
    "Lavender",
    "Primrose",
    "Bluebell",
    "Foxglove",
    "Meadow",
    "Orchard",
    "Mill",
    "Church",
    "Station",
    "School",
    "Bridge",
    "Market",
    "Castle",
    "Manor",
    "Abbey",
    "Priory",
    "Chapel",
    "Victoria",
    "Albert",
    "Queens",
    "Kings",
    "Princes",
    "York",
    "Windsor",
    "Richmond",
    "Nelson",
    "Wellington",
    "Trafalgar",
    "Jubilee",
    "Coronation",
    "Newton",
    "Darwin",
    "Faraday",
    "Brunel",
    "Telford",
    "Stephenson",
    "Kestrel",
    "Falcon",
    "Heron",
    "Kingfisher",
    "Swallow",
    "Wren",
    "Robin",
    "Lark",
    "Plover",
    "Curlew",
    "Badger",
    "Otter",
    "Fox",
    "Hare",
    "Brook",
    "River",
    "Lake",
    "Spring",
    "Well",
    "Ridge",
    "Valley",
    "Field",
    "Green",
    "Common",
    "Heath",
    "Moor",
    "Marsh",
    "Ford",
    "Cross",
    "Mead",
    "Grange",
    "Farm",
    "Barn",
    "Cotton",
    "Silk",
    "Wool",
    "Tannery",
    "Forge",
    "Foundry",
    "Harvest",
    "Sandpiper",
    "Thistle",
    "Poplar",
    "Hornbeam",
    "Blackthorn",
    "Hawthorn",
    "Elder",
]
STREET_KINDS = [
    "Road",
    "Street",
    "Lane",
    "Close",
    "Avenue",
    "Drive",
    "Way",
    "Crescent",
    "Gardens",
    "Grove",
    "Court",
    "Place",
    "Rise",
    "View",
    "Walk",
    "Terrace",
    "Mews",
    "Row",
]


def locality_of(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Locality index of points: the diagonal quarters of the county square."""
    dx, dy = x - SIDE / 2, y - SIDE / 2
    vertical = np.abs(dy) >= np.abs(dx)
    return np.where(vertical, np.where(dy >= 0, 0, 1), np.where(dx >= 0, 2, 3))


def _inside(x: np.ndarray, y: np.ndarray, locality: np.ndarray) -> np.ndarray:
    return (x >= 0) & (x < SIDE) & (y >= 0) & (y < SIDE) & (locality_of(x, y) == locality)


@dataclass
class Addresses:
    """Where each household lives."""

    town: np.ndarray
    locality: np.ndarray
    x: np.ndarray
    y: np.ndarray
    address_line: pa.Array
    street: pa.Array
    postcode: pa.Array
    moved_on: np.ndarray  # day the household moved to its current address, or -1 if not a recent move
    earlier: np.ndarray  # (households, 2): household whose address was each earlier address, or -1
    earlier_moved_on: np.ndarray  # day the household moved into the first earlier address


def choose_towns(rng: np.random.Generator, minority: np.ndarray) -> np.ndarray:
    """A town for each household; minority-heritage families lean towards the more diverse towns."""
    share = np.array([t.share for t in TOWNS])
    diversity = np.array([t.diversity for t in TOWNS])
    table = np.vstack([share, share * diversity])
    return arr.categorical_rows(rng, table, minority.astype(np.int64))


def place_households(rng: np.random.Generator, town: np.ndarray, as_of: int) -> Addresses:
    """Coordinates, street addresses and postcodes for households already given a town."""
    n = len(town)
    x, y = _positions(rng, town)
    # Rural households live anywhere in their locality and take the nearest town's post town.
    rural = rng.random(n) < _RURAL_SHARE
    locality = TOWN_LOCALITY[town]
    rx, ry = _uniform_in_locality(rng, locality[rural])
    x[rural], y[rural] = rx, ry
    town = town.copy()
    town[rural] = _nearest_town(rx, ry, locality[rural])
    line, street, postcode = _streets(rng, town, x, y)
    moved = (rng.random(n) < dist.MOVED_HOUSEHOLDS) & (n > 1)  # one household alone has nowhere else it lived
    moved_on = np.where(moved, as_of - (rng.uniform(0.2, 6.0, n) * arr.DAYS_PER_YEAR).astype(np.int64), -1)
    earlier = np.full((n, 2), -1, dtype=np.int64)
    # An earlier address is one some other household lives at now.
    earlier[moved, 0] = (np.flatnonzero(moved) + rng.integers(1, max(n, 2), moved.sum())) % n
    second = moved & (rng.random(n) < dist.TWO_EARLIER_ADDRESSES)
    earlier[second, 1] = (np.flatnonzero(second) + rng.integers(1, max(n, 2), second.sum())) % n
    earlier_moved_on = moved_on - (rng.uniform(1.0, 5.0, n) * arr.DAYS_PER_YEAR).astype(np.int64)
    return Addresses(town, locality, x, y, line, street, postcode, moved_on, earlier, earlier_moved_on)


def _positions(rng: np.random.Generator, town: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    cx = np.array([t.x for t in TOWNS])[town]
    cy = np.array([t.y for t in TOWNS])[town]
    spread = np.array([t.spread for t in TOWNS])[town]
    locality = TOWN_LOCALITY[town]
    x = cx + rng.normal(0, 1, len(town)) * spread
    y = cy + rng.normal(0, 1, len(town)) * spread
    # Keep every household inside its town's locality: redraw closer in, then fall back to the centre.
    for shrink in (0.6, 0.3):
        out = ~_inside(x, y, locality)
        x[out] = cx[out] + rng.normal(0, 1, out.sum()) * spread[out] * shrink
        y[out] = cy[out] + rng.normal(0, 1, out.sum()) * spread[out] * shrink
    out = ~_inside(x, y, locality)
    x[out], y[out] = cx[out], cy[out]
    return x, y


def _uniform_in_locality(rng: np.random.Generator, locality: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.empty(len(locality))
    y = np.empty(len(locality))
    todo = np.arange(len(locality))
    while len(todo):
        tx, ty = rng.uniform(0, SIDE, len(todo)), rng.uniform(0, SIDE, len(todo))
        ok = locality_of(tx, ty) == locality[todo]
        x[todo[ok]], y[todo[ok]] = tx[ok], ty[ok]
        todo = todo[~ok]
    return x, y


def _nearest_town(x: np.ndarray, y: np.ndarray, locality: np.ndarray) -> np.ndarray:
    tx = np.array([t.x for t in TOWNS])
    ty = np.array([t.y for t in TOWNS])
    distance = (x[:, None] - tx) ** 2 + (y[:, None] - ty) ** 2
    distance[TOWN_LOCALITY[None, :] != locality[:, None]] = np.inf
    return np.argmin(distance, axis=1)


def _district(town: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Postcode district number: a town's districts are sectors around its centre."""
    count = np.array([t.districts for t in TOWNS])[town]
    angle = np.arctan2(y - np.array([t.y for t in TOWNS])[town], x - np.array([t.x for t in TOWNS])[town])
    sector = np.minimum(((angle + np.pi) / (2 * np.pi) * count).astype(np.int64), count - 1)
    return _FIRST_DISTRICT[town] + sector


def _streets(
    rng: np.random.Generator, town: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Address line, street name and postcode of each household.

    Households in the same district and 300 m grid cell share a street; a street's houses are numbered
    from west to east; each run of 16 house numbers shares a postcode unit.
    """
    n = len(town)
    district = _district(town, x, y)
    cells = int(SIDE // _STREET_CELL) + 1
    street_key = (district * cells + (x // _STREET_CELL).astype(np.int64)) * cells + (y // _STREET_CELL).astype(
        np.int64
    )
    streets, street = np.unique(street_key, return_inverse=True)
    street_district = streets // (cells * cells)
    street_town = np.searchsorted(_FIRST_DISTRICT, street_district, side="right") - 1
    # Name streets town by town from a shuffled list of stem and kind pairs, so names are unique in a town.
    names = np.array([f"{stem} {kind}" for stem in STREET_STEMS for kind in STREET_KINDS if stem != kind])
    order = np.argsort(street_town, kind="stable")
    rank = np.empty(len(streets), dtype=np.int64)
    rank[order] = arr.group_arange(np.bincount(street_town, minlength=len(TOWNS)))
    if rank.max() >= len(names):
        raise ValueError("too many streets in one town for the street-name list")
    shuffles = np.stack([rng.permutation(len(names)) for _ in TOWNS])
    street_name = names[shuffles[street_town, rank]]
    # House numbers along each street: only about one home in three has dependent children, so the
    # families' numbers are spaced out (and postcode units count every home).
    by_street = np.lexsort((x, street))
    step = rng.geometric(_FAMILY_HOMES_SHARE, n)
    running = np.cumsum(step)
    starts = arr.group_starts(np.bincount(street[by_street], minlength=len(streets)))
    first = np.repeat(running[starts] - step[starts], np.bincount(street[by_street], minlength=len(streets)))
    number = np.empty(n, dtype=np.int64)
    number[by_street] = running - first
    flat = rng.random(n) < _FLAT_SHARE
    on_street = pa.array(street_name[street])
    house = arr.join(arr.integers_as_text(number), on_street, sep=" ")
    flats = arr.join("Flat", arr.integers_as_text(rng.integers(1, 9, n)), sep=" ")
    line = arr.choose(flat, arr.join(flats, house, sep=", "), house)
    # Postcode units: consecutive numbers on a street, each unit a unique inward code in its district.
    unit_key = street * 100_000 + (number - 1) // _HOMES_PER_POSTCODE
    units, unit = np.unique(unit_key, return_inverse=True)
    unit_district = street_district[units // 100_000]
    inward_codes = np.array([f"{d}{a}{b}" for d in range(10) for a in INWARD_LETTERS for b in INWARD_LETTERS])
    districts = int(_FIRST_DISTRICT[-1] + TOWNS[-1].districts)
    unit_rank = np.empty(len(units), dtype=np.int64)
    order = np.argsort(unit_district, kind="stable")
    unit_rank[order] = arr.group_arange(np.bincount(unit_district, minlength=districts))
    if unit_rank.max() >= len(inward_codes):
        raise ValueError("too many postcode units in one district")
    shuffles = np.stack([rng.permutation(len(inward_codes)) for _ in range(districts)])
    unit_postcode = np.char.add(
        np.char.add(OUTWARD_AREA, unit_district.astype(str)),
        np.char.add(" ", inward_codes[shuffles[unit_district, unit_rank]]),
    )
    return line, on_street, pa.array(unit_postcode[unit])


def town_names() -> list[str]:
    return [t.name for t in TOWNS]


def locality_names() -> list[str]:
    return list(LOCALITIES)
