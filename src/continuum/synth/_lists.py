"""Two lists of children to link: names, date of birth and postcode only, each list keying them its own way.

What a council gets when two services send lists of the children they work with: no shared identifier, the
same child spelt two ways, and siblings and twins who share a surname, a postcode and sometimes a birthday (the
pairs a linker must not join). `two_lists` draws families (one to four children, twins among them, siblings
sharing a home and usually a family name), puts a share of the children on both lists and the rest on one
only, and gives each list its own errors (_feeds_identity.Errors): the name a child goes by, keying slips, the
other parent's family name, day and month swapped or a day out, an earlier home's postcode, capitals and stray
spaces, blanks. The rates are assumptions in the range the county's feeds use, the right-hand list the
noisier (a health or police extract against a council register).

Plain Python over numpy; the same arguments always give the same lists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from continuum.synth import _arrays as arr
from continuum.synth import _namebook
from continuum.synth._feeds import write_csv
from continuum.synth._feeds_identity import Errors, slip
from continuum.synth._geography import INWARD_LETTERS, OUTWARD_AREA

AS_OF = datetime.date(2026, 11, 1)
LEFT_ERRORS = Errors(
    nickname=0.05,
    given_typo=0.02,
    family_typo=0.02,
    other_surname=0.02,
    dob_swapped=0.01,
    dob_off=0.01,
    dob_missing=0.01,
    postcode_old=0.08,
    postcode_missing=0.03,
    postcode_unformatted=0.05,
    capitals=0.2,
    spacing=0.01,
)
RIGHT_ERRORS = Errors(
    nickname=0.15,
    given_typo=0.04,
    family_typo=0.04,
    other_surname=0.04,
    dob_swapped=0.02,
    dob_off=0.02,
    dob_missing=0.03,
    postcode_old=0.12,
    postcode_missing=0.06,
    postcode_unformatted=0.05,
    capitals=0.3,
    all_capitals=0.05,
    spacing=0.02,
)
_CHILDREN_PER_FAMILY = (0.4, 0.35, 0.17, 0.08)  # one to four children
_TWINS = 0.015  # a sibling born the same day (the county's twin share)
_HALF_SIBLING = 0.12  # a younger sibling with another family name
_BRITISH = 0.7  # the rest spread over the other name groups
_DISTRICTS, _SECTORS, _UNITS = 24, 10, 400
SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("date_of_birth", pa.date32()),
        ("postcode", pa.string()),
    ]
)


@dataclass(frozen=True)
class TwoLists:
    left: pa.Table  # SCHEMA, record ids L00001 ...
    right: pa.Table  # SCHEMA, record ids R00001 ...
    truth: pa.Table  # left_id, right_id: every pair of records about the same child

    def write(self, out: Path) -> None:
        """left.csv, right.csv and truth.csv in `out` (dates as YYYY-MM-DD, blanks empty)."""
        out.mkdir(parents=True, exist_ok=True)
        for name, table in (("left", self.left), ("right", self.right), ("truth", self.truth)):
            write_csv(out / f"{name}.csv", {column: table[column] for column in table.column_names})


def two_lists(size: int = 5000, *, seed: int = 1, shared: float = 0.8) -> TwoLists:
    """Two lists of `size` children each, `shared` of them on both (so size * shared true pairs)."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a whole number of at least 1, not {size!r}")
    if not 0.0 <= shared <= 1.0:
        raise ValueError(f"shared must be from 0 to 1, not {shared!r}")
    both = round(size * shared)
    people = _children(arr.stream(seed, "lists people"), both + 2 * (size - both))
    rng = arr.stream(seed, "lists choice")
    order = rng.permutation(people.count)
    on_both, left_only, right_only = order[:both], order[both:size], order[size : 2 * size - both]
    left_people = rng.permutation(np.concatenate([on_both, left_only]))
    right_people = rng.permutation(np.concatenate([on_both, right_only]))
    left = _records(arr.stream(seed, "lists left"), people, left_people, LEFT_ERRORS, "L")
    right = _records(arr.stream(seed, "lists right"), people, right_people, RIGHT_ERRORS, "R")
    left_at = {int(p): i for i, p in enumerate(left_people)}
    pairs = sorted((left_at[int(p)], j) for j, p in enumerate(right_people) if int(p) in left_at)
    truth = pa.table(
        {
            "left_id": pa.array([left["record_id"][i].as_py() for i, _ in pairs], pa.string()),
            "right_id": pa.array([right["record_id"][j].as_py() for _, j in pairs], pa.string()),
        }
    )
    return TwoLists(left, right, truth)


@dataclass(frozen=True)
class _People:
    book: _namebook.NameBook
    given: np.ndarray  # index into book.given
    family: list[str]
    other_family: list[str]  # the other parent's family name
    dob: np.ndarray  # day numbers
    postcode: list[str]
    earlier_postcode: list[str]

    @property
    def count(self) -> int:
        return len(self.given)


def _children(rng: np.random.Generator, wanted: int) -> _People:
    """At least `wanted` children in families, then cut to `wanted` (the last family may lose its youngest)."""
    book = _namebook.build()
    groups = len(_namebook.GROUPS)
    british = _namebook.GROUPS.index("british")
    families = wanted  # more than enough: every family has at least one child
    sizes = 1 + np.searchsorted(np.cumsum(_CHILDREN_PER_FAMILY), rng.random(families), side="right")
    sizes = np.minimum(sizes, len(_CHILDREN_PER_FAMILY))
    families = int(np.searchsorted(np.cumsum(sizes), wanted)) + 1
    sizes = sizes[:families]
    other_group = rng.integers(0, groups - 1, families)
    group = np.where(rng.random(families) < _BRITISH, british, other_group + (other_group >= british))
    family_index = book.draw_family(rng, group)
    other_index = book.draw_family(rng, group)
    home = _postcodes(rng, families)
    earlier = _postcodes(rng, families)
    today = arr.day_number(AS_OF)

    family_of = np.repeat(np.arange(families), sizes)
    girl = rng.random(len(family_of)) < 0.49
    given = book.draw_given(rng, group[family_of], np.where(girl, _namebook.GIRLS, _namebook.BOYS))
    youngest = today - rng.integers(0, 16 * 365, families)
    gaps = rng.integers(300, 4 * 365, len(family_of))
    gaps[rng.random(len(family_of)) < _TWINS] = 0
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    dob = np.empty(len(family_of), dtype=np.int64)
    half = rng.random(len(family_of)) < _HALF_SIBLING
    family: list[str] = []
    other: list[str] = []
    for f in range(families):
        born = int(youngest[f])
        for k in range(int(sizes[f])):  # the youngest first, each elder sibling born a gap earlier
            i = int(first[f]) + k
            if k:
                born -= int(gaps[i])
            dob[i] = born
            own, parent = int(family_index[f]), int(other_index[f])
            if k and half[i]:
                own, parent = parent, own
            forms = book.family_feminine if girl[i] else book.family_masculine
            family.append(forms[own].as_py())
            other.append(forms[parent].as_py())
    keep = slice(0, wanted)
    return _People(
        book=book,
        given=given[keep],
        family=family[:wanted],
        other_family=other[:wanted],
        dob=dob[keep],
        postcode=[home[f] for f in family_of[keep]],
        earlier_postcode=[earlier[f] for f in family_of[keep]],
    )


def _postcodes(rng: np.random.Generator, count: int) -> list[str]:
    district = rng.integers(1, _DISTRICTS + 1, count)
    sector = rng.integers(0, _SECTORS, count)
    unit = rng.integers(0, _UNITS, count)
    letters = len(INWARD_LETTERS)
    return [
        f"{OUTWARD_AREA}{d} {s}{INWARD_LETTERS[u // letters % letters]}{INWARD_LETTERS[u % letters]}"
        for d, s, u in zip(district.tolist(), sector.tolist(), unit.tolist(), strict=True)
    ]


def _records(rng: np.random.Generator, people: _People, who: np.ndarray, errors: Errors, prefix: str) -> pa.Table:
    """One list: a record for each of `who` (indices into people), with `errors` drawn for each record."""
    n = len(who)
    draw = {name: rng.random(n) < getattr(errors, name) for name in errors.__dataclass_fields__}
    kinds, places, sides = rng.integers(0, 4, (2, n)), rng.random((2, n)), rng.random(n)
    nickname = people.book.draw_nickname(rng, people.given[who])
    today = arr.day_number(AS_OF)
    given_names, family_names, dobs, postcodes = [], [], [], []
    for row, person in enumerate(who.tolist()):
        given = people.book.given[int(people.given[person])].as_py()
        if draw["nickname"][row] and nickname[row] >= 0:
            given = people.book.nicknames[int(nickname[row])].as_py()
        family = people.other_family[person] if draw["other_surname"][row] else people.family[person]
        if draw["given_typo"][row]:
            given = slip(given, int(kinds[0, row]), float(places[0, row]))
        if draw["family_typo"][row]:
            family = slip(family, int(kinds[1, row]), float(places[1, row]))
        if draw["capitals"][row] or draw["all_capitals"][row]:
            family = family.upper()
        if draw["all_capitals"][row]:
            given = given.upper()
        if draw["spacing"][row]:
            given = f" {given}" if sides[row] < 0.5 else f"{given} "
        given_names.append(given)
        family_names.append(family)
        dobs.append(_dob(int(people.dob[person]), draw, row, sides[row], today))
        postcodes.append(_postcode(people, person, draw, row, sides[row]))
    ids = [f"{prefix}{i + 1:05d}" for i in range(n)]
    return pa.table(
        [
            pa.array(ids, pa.string()),
            pa.array(given_names, pa.string()),
            pa.array(family_names, pa.string()),
            pa.array(dobs, pa.date32()),
            pa.array(postcodes, pa.string()),
        ],
        schema=SCHEMA,
    )


def _dob(born: int, draw: dict[str, np.ndarray], row: int, side: float, today: int) -> datetime.date | None:
    if draw["dob_missing"][row]:
        return None
    day = arr.date_of(born)
    if draw["dob_swapped"][row] and day.day <= 12 and day.day != day.month:
        swapped = day.replace(month=day.day, day=day.month)
        if arr.day_number(swapped) <= today:
            return swapped
    if draw["dob_off"][row]:
        moved = born + (-1 if side < 0.5 else 1)
        return arr.date_of(min(moved, today))
    return day


def _postcode(people: _People, person: int, draw: dict[str, np.ndarray], row: int, side: float) -> str | None:
    if draw["postcode_missing"][row]:
        return None
    postcode = people.earlier_postcode[person] if draw["postcode_old"][row] else people.postcode[person]
    if draw["postcode_unformatted"][row]:
        return postcode.lower() if side < 0.5 else postcode.replace(" ", "")
    return postcode
