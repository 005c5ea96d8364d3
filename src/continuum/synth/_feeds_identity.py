"""Who a source record says it is about: the child's identity as each agency's system holds it, with the
errors real extracts carry.

A source keeps one record per person reference (a school's pupil record, a force's nominal, a hospital's patient
number), so each error is drawn once per record and repeated on every row that record appears on. The rates are
assumptions, ordered as data officers describe their sources: schools and social care key identities carefully,
police records carry what was said at the roadside, hospitals check NHS numbers against the national spine.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from continuum.synth import _arrays as arr
from continuum.synth._families import Population
from continuum.synth._geography import Addresses
from continuum.synth._namebook import NameBook


@dataclass(frozen=True)
class Errors:
    """How often a source's record of a child differs from the truth, each a share of the source's records."""

    nickname: float = 0.0  # the name the child goes by (or a short form of the given name)
    given_typo: float = 0.0
    family_typo: float = 0.0
    other_surname: float = 0.0  # the other parent's family name
    dob_swapped: float = 0.0  # day and month transposed (only where both could be a month)
    dob_off: float = 0.0  # a day out
    dob_missing: float = 0.0
    postcode_old: float = 0.0  # where the family lived before (or a neighbouring sector)
    postcode_missing: float = 0.0
    postcode_unformatted: float = 0.0  # lower case or without the space
    capitals: float = 0.0  # the family name in capitals, as many police systems hold it
    all_capitals: float = 0.0  # both names in capitals
    spacing: float = 0.0  # a stray space before, after or inside a name
    sex_unknown: float = 0.0
    upn_missing: float = 0.0
    upn_mistyped: float = 0.0  # two digits transposed: the check letter no longer matches
    nhs_missing: float = 0.0
    nhs_mistyped: float = 0.0  # one digit mistyped: the check digit no longer matches


SCHOOL = Errors(
    nickname=0.03, given_typo=0.008, family_typo=0.012, dob_swapped=0.006, dob_off=0.003, upn_mistyped=0.003
)
POLICE = Errors(
    nickname=0.3,
    given_typo=0.04,
    family_typo=0.05,
    other_surname=0.04,
    dob_swapped=0.03,
    dob_off=0.02,
    dob_missing=0.05,
    postcode_old=0.12,
    postcode_missing=0.08,
    postcode_unformatted=0.05,
    capitals=0.45,
    all_capitals=0.1,
    spacing=0.03,
    sex_unknown=0.02,
)
HEALTH = Errors(
    nickname=0.04,
    given_typo=0.02,
    family_typo=0.02,
    other_surname=0.02,
    dob_swapped=0.01,
    dob_off=0.005,
    postcode_old=0.1,
    postcode_missing=0.02,
    capitals=0.2,
    spacing=0.01,
    nhs_missing=0.06,
    nhs_mistyped=0.01,
)
YOUTH_JUSTICE = Errors(
    nickname=0.06,
    given_typo=0.02,
    family_typo=0.02,
    other_surname=0.02,
    dob_swapped=0.01,
    postcode_old=0.08,
    postcode_unformatted=0.02,
)
SOCIAL_CARE = Errors(dob_swapped=0.004, upn_missing=0.02, upn_mistyped=0.005)

ERROR_NAMES = tuple(f.name for f in fields(Errors))


@dataclass
class Identity:
    """One source's records: the identity columns, parallel to the people they are about."""

    person: np.ndarray
    given_name: pa.Array
    family_name: pa.Array
    dob: np.ndarray  # day numbers, -1 where the source has none
    sex: pa.Array
    postcode: pa.Array
    upn: pa.Array
    nhs_number: pa.Array

    def take(self, rows: np.ndarray) -> Identity:
        index = pa.array(np.asarray(rows, dtype=np.int64))
        return Identity(
            self.person[rows],
            self.given_name.take(index),
            self.family_name.take(index),
            self.dob[rows],
            self.sex.take(index),
            self.postcode.take(index),
            self.upn.take(index),
            self.nhs_number.take(index),
        )


@dataclass
class Register:
    """What the feeds need to know about everyone in the county (people in the generator's order)."""

    pop: Population
    addresses: Addresses
    book: NameBook
    person_id: pa.Array
    given_name: pa.Array
    family_name: pa.Array
    known_as: pa.Array
    sex: pa.Array
    ethnicity: pa.Array
    upn: pa.Array
    nhs_number: pa.Array
    household_postcode: pa.Array  # per household

    def postcode(self, people: np.ndarray) -> pa.Array:
        """Each person's current postcode (null for a person with no household)."""
        household = self.pop.household[people]
        return arr.pick(self.household_postcode, np.where(household >= 0, household, -1))


def records(rng: np.random.Generator, register: Register, people: np.ndarray, errors: Errors) -> Identity:
    """One source record for each of `people` (person indices), with that source's errors drawn."""
    n = len(people)
    pop = register.pop
    draw = {name: rng.random(n) < getattr(errors, name) for name in ERROR_NAMES}
    take = pa.array(people)
    given = register.given_name.take(take)
    family = register.family_name.take(take)

    # Names: the name the child goes by, the other parent's surname, then the keying slips.
    short = pc.coalesce(
        register.known_as.take(take),
        arr.pick(register.book.nicknames, register.book.draw_nickname(rng, pop.given[people])),
    )
    nickname = draw["nickname"] & pc.is_valid(short).to_numpy(zero_copy_only=False)
    given = arr.choose(nickname, pc.fill_null(short, ""), given)
    parent = np.where(pop.mother[people] >= 0, pop.mother[people], pop.father[people])
    other = arr.pick(register.family_name, np.where(parent >= 0, parent, -1))
    other_surname = (
        draw["other_surname"]
        & pc.is_valid(other).to_numpy(zero_copy_only=False)
        & ~pc.fill_null(pc.equal(other, family), True).to_numpy(zero_copy_only=False)
    )
    family = arr.choose(other_surname, pc.fill_null(other, ""), family)
    given = _slips(rng, given, draw["given_typo"])
    family = _slips(rng, family, draw["family_typo"])
    capitals = draw["capitals"] | draw["all_capitals"]
    family = arr.choose(capitals, pc.utf8_upper(family), family)
    given = arr.choose(draw["all_capitals"], pc.utf8_upper(given), given)
    given = _spaced(rng, given, draw["spacing"])

    # Dates of birth, never after the youngest person's (a slip does not make a date in the future).
    born = pop.dob[people].copy()
    latest = int(pop.dob.max(initial=0))
    year, month, day = arr.calendar(born)
    swapped = ((year - 1970) * 12 + day - 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    swapped += month - 1
    swap = draw["dob_swapped"] & (day <= 12) & (day != month) & (swapped <= latest)
    born = np.where(swap, swapped, born)
    shifted = born + np.where(rng.random(n) < 0.5, -1, 1)
    born = np.where(draw["dob_off"] & ~swap & (shifted <= latest), shifted, born)
    born = np.where(draw["dob_missing"], -1, born)

    # Postcodes: an earlier home (the family's before a move, or the birth family's for a child in care),
    # otherwise a neighbouring sector of the current one.
    postcode = register.postcode(people)
    earlier = _earlier_postcode(register, people)
    old = draw["postcode_old"] & pc.is_valid(postcode).to_numpy(zero_copy_only=False)  # (no household: no postcode)
    postcode = arr.choose(old, pc.coalesce(earlier, _neighbouring_sector(postcode)), postcode)
    unformatted = draw["postcode_unformatted"] & ~draw["postcode_missing"]
    squashed = pc.replace_substring(postcode, " ", "")
    postcode = arr.choose(unformatted, arr.choose(rng.random(n) < 0.5, pc.utf8_lower(postcode), squashed), postcode)
    postcode = arr.choose(draw["postcode_missing"], pa.nulls(n, pa.string()), postcode)

    sex = register.sex.take(take)
    sex = arr.choose(draw["sex_unknown"], pa.array(["U"] * n, type=pa.string()), sex)
    upn = register.upn.take(take)
    upn = arr.choose(draw["upn_mistyped"], _transposed_upn(rng, upn), upn)
    upn = arr.choose(draw["upn_missing"], pa.nulls(n, pa.string()), upn)
    nhs = register.nhs_number.take(take)
    nhs = arr.choose(draw["nhs_mistyped"], _mistyped_digit(rng, nhs), nhs)
    nhs = arr.choose(draw["nhs_missing"], pa.nulls(n, pa.string()), nhs)

    return Identity(people, given, family, born, sex, postcode, upn, nhs)


# Keys next to each other on a UK keyboard: a slip types a neighbour.
_NEIGHBOURS = {
    "a": "sqz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


def slip(name: str, kind: int, at: float) -> str:
    """One keying slip, never in the first letter: a neighbouring key, two letters swapped, one dropped or doubled."""
    if len(name) < 3:
        return name + name[-1:]
    i = 1 + int(at * (len(name) - 2))
    letter = name[i]
    if kind == 0 and letter.lower() in _NEIGHBOURS:
        keys = _NEIGHBOURS[letter.lower()]
        typed = keys[int(at * 997) % len(keys)]
        return name[:i] + (typed.upper() if letter.isupper() else typed) + name[i + 1 :]
    if kind == 1 and name[i + 1 : i + 2] not in ("", letter):
        return name[:i] + name[i + 1] + letter + name[i + 2 :]
    if kind == 2:
        return name[: i + 1] + name[i:]
    return name[:i] + name[i + 1 :]


def _slips(rng: np.random.Generator, names: pa.Array, where: np.ndarray) -> pa.Array:
    rows = np.flatnonzero(where)
    if len(rows) == 0:
        return names
    kinds, places = rng.integers(0, 4, len(rows)), rng.random(len(rows))
    old = names.take(pa.array(rows)).to_pylist()
    new = [slip(name, int(k), float(p)) for name, k, p in zip(old, kinds, places, strict=True)]
    return _replace(names, rows, new)


def _spaced(rng: np.random.Generator, names: pa.Array, where: np.ndarray) -> pa.Array:
    rows = np.flatnonzero(where)
    if len(rows) == 0:
        return names
    kinds = rng.integers(0, 3, len(rows))
    old = names.take(pa.array(rows)).to_pylist()
    new = [
        (f" {name}", f"{name} ", name.replace(" ", "  ") if " " in name else f"{name}  ")[k]
        for name, k in zip(old, kinds, strict=True)
    ]
    return _replace(names, rows, new)


def _replace(values: pa.Array, rows: np.ndarray, new: list[str]) -> pa.Array:
    """values with values[rows[i]] replaced by new[i]."""
    index = np.full(len(values), -1)
    index[rows] = np.arange(len(rows))
    return arr.choose(index >= 0, arr.pick(pa.array(new, type=pa.string()), index), values)


def _earlier_postcode(register: Register, people: np.ndarray) -> pa.Array:
    pop, addresses = register.pop, register.addresses
    household = pop.household[people]
    birth = pop.birth_household[people]
    moved_away = (birth >= 0) & (birth != household)  # a child in foster care: the family home
    earlier = np.where(household >= 0, addresses.earlier[np.maximum(household, 0), 0], -1)
    source = np.where(moved_away, birth, earlier)
    return arr.pick(register.household_postcode, source)


def _neighbouring_sector(postcodes: pa.Array) -> pa.Array:
    """The same postcode in the next sector of its district ('SF3 2AB' -> 'SF3 3AB'): valid in form, not the home."""
    text = pc.fill_null(postcodes, "SF1 0AA")
    outward = pc.utf8_slice_codeunits(text, 0, -4)
    sector = pc.cast(pc.utf8_slice_codeunits(text, -3, -2), pa.int64())
    rest = pc.utf8_slice_codeunits(text, -2)
    moved = pc.cast(pc.bit_wise_and(pc.add(sector, 1), 7), pa.string())  # stay within 0-7
    out = pc.binary_join_element_wise(outward, pc.binary_join_element_wise(moved, rest, ""), " ")
    return pc.if_else(pc.is_valid(postcodes), out, pa.nulls(len(postcodes), pa.string()))


def _transposed_upn(rng: np.random.Generator, upns: pa.Array) -> pa.Array:
    """Each UPN with two neighbouring digits of its last twelve swapped, the first unequal pair from a random place.

    Swapping unequal digits always breaks the check letter (their weights differ and 23 is prime), so a mistyped
    UPN never equals another child's."""
    chars = _chars(upns, 13, "A000000000000")
    rows = np.arange(len(chars))
    pairs = np.arange(4, 12)  # the establishment, year and serial digits, each with the next
    unequal = chars[:, pairs] != chars[:, pairs + 1]
    offset = rng.integers(0, len(pairs), len(chars))
    rotated = (offset[:, None] + np.arange(len(pairs))) % len(pairs)
    first = rotated[rows, np.argmax(np.take_along_axis(unequal, rotated, axis=1), axis=1)]
    i = pairs[first]
    left, right = chars[rows, i].copy(), chars[rows, i + 1].copy()
    chars[rows, i], chars[rows, i + 1] = right, left
    out = arr.fixed_width(chars)
    return pc.if_else(pc.is_valid(upns), out, pa.nulls(len(upns), pa.string()))


def _mistyped_digit(rng: np.random.Generator, numbers: pa.Array) -> pa.Array:
    """Each NHS number with one of its first nine digits changed: the check digit then never matches."""
    chars = _chars(numbers, 10, "0000000000")
    rows = np.arange(len(chars))
    at = rng.integers(3, 9, len(chars))  # keep the 999 test prefix
    digit = chars[rows, at] - ord("0")
    chars[rows, at] = (digit + rng.integers(1, 10, len(chars))) % 10 + ord("0")
    out = arr.fixed_width(chars)
    return pc.if_else(pc.is_valid(numbers), out, pa.nulls(len(numbers), pa.string()))


def _chars(values: pa.Array, width: int, blank: str) -> np.ndarray:
    text = pc.fill_null(values, blank)
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)[text.offset : text.offset + len(text) + 1]
    return data[offsets[:-1, None] + np.arange(width)].copy()
