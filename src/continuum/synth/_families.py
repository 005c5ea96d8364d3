"""Households and the people in them.

Each household is a family whose births are simulated: a mother (or, in a father's step-family, a
father) has a completed number of children spaced a few years apart, and the household is observed
at a random point of that history. Children under 18 are its dependent children; grown children may
still live at home; children not yet born or long gone are not there. Drawing the point in time
uniformly makes every single year of age equally likely before the cohort weights are applied, and
the completed family sizes are calibrated so the observed households have the national mix of one,
two and three or more children.

People are numbered in one sequence; relationships between them are kept as index arrays here and
turned into rows by _relationships.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from continuum import vocabulary as vocab
from continuum.synth import _arrays as arr
from continuum.synth import _distributions as dist
from continuum.synth._identifiers import academic_age, nhs_numbers
from continuum.synth._namebook import BOYS, GIRLS, GROUPS, MEN, WOMEN, NameBook, group_index

STRUCTURES = [c for c, _ in vocab.HOUSEHOLD_STRUCTURE]
COUPLE, LONE, STEP, MULTI, KINSHIP = (
    STRUCTURES.index(s) for s in ("couple", "lone_parent", "step_family", "multigenerational", "kinship")
)
ROLES = [c for c, _ in vocab.HOUSEHOLD_ROLE]
PARENT, STEP_PARENT, CHILD, GRANDPARENT, KINSHIP_CARER, OTHER_ADULT = (
    ROLES.index(r) for r in ("parent", "step_parent", "child", "grandparent", "kinship_carer", "other_adult")
)
ETHNICITIES = [c for c, _ in vocab.ETHNICITY]
HERITAGES = list(dist.CHILD_HERITAGE)
LANGUAGES = [c for c, _ in vocab.LANGUAGE]
SEXES = ["M", "F", "U"]
MALE, FEMALE, UNKNOWN = 0, 1, 2
ENGLISH = LANGUAGES.index("eng")
WBRI = ETHNICITIES.index("WBRI")
YEAR = arr.DAYS_PER_YEAR

# Which parents a child has, by the household's "side" the child belongs to.
MOTHERS_EARLIER, FATHERS_EARLIER, BOTH_RESIDENT, NEITHER_RESIDENT = range(4)


@dataclass
class Links:
    """Directed pairs of people with a start day and an end day (-1 where open or unknown)."""

    source: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    target: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    start: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    end: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def add(self, source: np.ndarray, target: np.ndarray, start: np.ndarray | int, end: np.ndarray | int = -1) -> None:
        n = len(source)
        self.source = np.concatenate([self.source, np.asarray(source, dtype=np.int64)])
        self.target = np.concatenate([self.target, np.asarray(target, dtype=np.int64)])
        self.start = np.concatenate([self.start, np.broadcast_to(np.asarray(start, dtype=np.int64), n)])
        self.end = np.concatenate([self.end, np.broadcast_to(np.asarray(end, dtype=np.int64), n)])


@dataclass
class Population:
    """Households and people as parallel numpy arrays (people indexed 0..n-1)."""

    # Households.
    structure: np.ndarray
    household_heritage: np.ndarray
    risk: np.ndarray  # latent need, before the town's deprivation is applied
    family: np.ndarray  # the extended family (households joined by a parent who moved between them)
    # People.
    household: np.ndarray  # current household, -1 for a child not yet placed
    birth_household: np.ndarray  # household of the family the person was born into or raised by
    role: np.ndarray
    member_since: np.ndarray
    sex: np.ndarray
    dob: np.ndarray  # as recorded: an estimated date of birth is recorded as 1 January
    true_dob: np.ndarray
    dob_approximate: np.ndarray
    heritage: np.ndarray  # index into ETHNICITIES, the person's actual heritage
    ethnicity: np.ndarray  # as recorded (sometimes refused or not obtained)
    language: np.ndarray
    given: np.ndarray
    middle: np.ndarray  # (people, 2) indices into the given names, -1 for none
    known_as: np.ndarray
    family_name: np.ndarray
    family_name_second: np.ndarray  # second half of a double-barrelled name, -1 for none
    mother: np.ndarray  # person index, or a negative key for a parent who is not in the data
    father: np.ndarray
    unaccompanied: np.ndarray
    is_child: np.ndarray
    partners: Links
    step_parents: Links
    legal_parents: Links
    carers: Links
    grandparents: Links
    former_members: Links  # source is the person, target the household; the role is a parent's
    send: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    nhs_number: pa.Array | None = None

    @property
    def people(self) -> int:
        return len(self.dob)

    @property
    def households(self) -> int:
        return len(self.structure)


def structure_given_heritage() -> np.ndarray:
    """P(structure | heritage): the national shares, tilted by heritage, refitted to keep the national mix."""
    heritage = np.array([dist.CHILD_HERITAGE[h] for h in HERITAGES])
    heritage /= heritage.sum()
    target = np.array([dist.HOUSEHOLD_STRUCTURE[s] for s in STRUCTURES])
    target /= target.sum()
    tilt = np.ones((len(HERITAGES), len(STRUCTURES)))
    for structure, factors in dist.STRUCTURE_BY_HERITAGE.items():
        for h, factor in factors.items():
            tilt[HERITAGES.index(h), STRUCTURES.index(structure)] = factor
    base = target.copy()
    for _ in range(200):
        table = tilt * base
        table /= table.sum(axis=1, keepdims=True)
        base *= target / (heritage @ table)
    table = tilt * base
    return table / table.sum(axis=1, keepdims=True)


def _cohort_age(rng: np.random.Generator, upper: np.ndarray) -> np.ndarray:
    """Years since a family's first birth, uniform in time but weighted by the size of birth cohorts."""
    weights = np.concatenate([dist.AGE_COHORT, np.full(80, dist.AGE_COHORT[-1])])
    knots = np.arange(len(weights) + 1, dtype=float)
    cumulative = np.concatenate([[0.0], np.cumsum(weights)])
    return np.interp(rng.random(len(upper)) * np.interp(upper, knots, cumulative), cumulative, knots)


@dataclass
class _Births:
    household: np.ndarray
    age: np.ndarray  # years at the as-of date
    structure: np.ndarray
    heritage: np.ndarray
    first_birth: np.ndarray  # years before the as-of date


def _draw_births(rng: np.random.Generator, households: int, table: np.ndarray) -> _Births:
    heritage_p = np.array([dist.CHILD_HERITAGE[h] for h in HERITAGES])
    heritage = arr.categorical(rng, heritage_p, households)
    structure = arr.categorical_rows(rng, table, heritage)
    completed = arr.categorical(rng, np.array(dist.COMPLETED_FAMILY), households) + 1
    household = np.repeat(np.arange(households), completed)
    order = arr.group_arange(completed)
    gap = dist.BIRTH_GAP_MIN_YEARS + rng.gamma(*dist.BIRTH_GAP_GAMMA, len(household))
    gap[rng.random(len(household)) < dist.TWIN_SHARE] = 0.0
    gap[order == 0] = 0.0
    running = np.cumsum(gap)
    starts = arr.group_starts(completed)
    offset = running - np.repeat(running[starts], completed)
    span = offset[starts + completed - 1]
    first_birth = _cohort_age(rng, 18.0 + span)
    age = first_birth[household] - offset
    at_home = np.zeros(len(age), dtype=bool)
    years = np.floor(age).astype(np.int64)
    for year, share in dist.ADULT_CHILD_AT_HOME.items():
        at_home |= (years == year) & (rng.random(len(age)) < share)
    at_home &= structure[household] != KINSHIP  # grown siblings in kinship care are carers, drawn separately
    present = ((age >= 0) & (age < 18)) | at_home
    return _Births(household[present], age[present], structure, heritage, first_birth)


def _births_for(rng: np.random.Generator, children: int) -> _Births:
    """Draw families until they hold exactly `children` dependent children."""
    table = structure_given_heritage()
    parts: list[_Births] = []
    have = 0
    offset = 0
    while have < children:
        size = int((children - have) / 1.7 * 1.05) + 20
        part = _draw_births(rng, size, table)
        dependants = np.bincount(part.household[part.age < 18], minlength=size)
        keep = dependants > 0  # a very long gap between births can leave a family with none
        renumber = np.cumsum(keep) - 1
        chosen = keep[part.household]
        parts.append(
            _Births(
                renumber[part.household[chosen]] + offset,
                part.age[chosen],
                part.structure[keep],
                part.heritage[keep],
                part.first_birth[keep],
            )
        )
        have += int(dependants.sum())
        offset += int(keep.sum())
    births = _Births(
        *(
            np.concatenate([getattr(p, f) for p in parts])
            for f in ("household", "age", "structure", "heritage", "first_birth")
        )
    )
    dependant = births.age < 18
    running = np.cumsum(np.bincount(births.household[dependant], minlength=len(births.structure)))
    last = int(np.searchsorted(running, children))
    excess = int(running[last] - children)
    keep = births.household <= last
    if excess:
        # Drop the youngest dependent children of the last family.
        youngest = np.flatnonzero((births.household == last) & dependant)[-excess:]
        keep[youngest] = False
    return _Births(
        births.household[keep],
        births.age[keep],
        births.structure[: last + 1],
        births.heritage[: last + 1],
        births.first_birth[: last + 1],
    )


def _age_to_dob(age: np.ndarray, as_of: int, youngest_adult: int) -> np.ndarray:
    """Birth day from an age in years; under-18s land exactly inside the 18 years before as_of."""
    span = as_of - youngest_adult  # days in which a child's birthday can fall
    child = np.floor(np.clip(age, 0, None) / 18.0 * span).astype(np.int64)
    adult = span + 1 + np.floor((age - 18.0) * YEAR).astype(np.int64)
    return as_of - np.where(age < 18.0, np.minimum(child, span - 1), adult)


def youngest_adult_birthday(as_of: int) -> int:
    """The latest day of birth that makes someone 18 or over at as_of."""
    day = arr.date_of(as_of)
    try:
        eighteen = day.replace(year=day.year - 18)
    except ValueError:  # 29 February
        eighteen = day.replace(year=day.year - 18, day=28)
    return arr.day_number(eighteen)


def build(seed: int, children: int, as_of: int, book: NameBook) -> Population:
    """Households holding exactly `children` children, plus unaccompanied children awaiting placement."""
    rng = arr.stream(seed, "families")
    unaccompanied = round(dist.UASC_SHARE_OF_LOOKED_AFTER * dist.OPEN_PER_10K["looked_after"] * children / 10_000)
    births = _births_for(rng, children - unaccompanied)
    builder = _Builder(rng, births, as_of)
    builder.households()
    builder.unaccompanied(unaccompanied)
    return builder.finish(seed, book)


class _Builder:
    """Assembles people block by block; each block's index range is known when it is added."""

    def __init__(self, rng: np.random.Generator, births: _Births, as_of: int) -> None:
        self.rng = rng
        self.births = births
        self.as_of = as_of
        self.youngest_adult = youngest_adult_birthday(as_of)
        self.h = len(births.structure)
        self.columns: dict[str, list[np.ndarray]] = {
            k: []
            for k in (
                "household",
                "role",
                "member_since",
                "sex",
                "dob",
                "heritage",
                "mother",
                "father",
                "name_heritage",
            )
        }
        self.count = 0
        self.partners = Links()
        self.step_parents = Links()
        self.legal_parents = Links()
        self.carers = Links()
        self.grandparents = Links()
        self.former_members = Links()

    # -- people blocks ---------------------------------------------------------------------------

    def add(self, **columns: np.ndarray | int) -> np.ndarray:
        """Add a block of people (columns not given are -1); returns their indices."""
        n = len(np.asarray(columns["household"]))
        for key, values in self.columns.items():
            values.append(np.broadcast_to(np.asarray(columns.get(key, -1), dtype=np.int64), n).copy())
        index = np.arange(self.count, self.count + n)
        self.count += n
        return index

    def column(self, key: str) -> np.ndarray:
        return np.concatenate(self.columns[key]) if self.columns[key] else np.empty(0, dtype=np.int64)

    def set(self, key: str, index: np.ndarray, values: np.ndarray) -> None:
        """Change a column for people already added (blocks are concatenated once, on demand)."""
        merged = self.column(key)
        merged[index] = values
        self.columns[key] = [merged]

    # -- households ------------------------------------------------------------------------------

    def households(self) -> None:
        """Everyone in the drawn families: the adults the children live with, then the children."""
        b, h, as_of = self.births, self.h, self.as_of
        self.structure = b.structure
        self.kid_household = b.household
        self.kid_dob = _age_to_dob(b.age, as_of, self.youngest_adult)
        count = np.bincount(self.kid_household, minlength=h)
        self.first_kid = arr.group_starts(count)
        self.kid_count = count
        self.position = arr.group_arange(count)
        self.oldest = self.kid_dob[self.first_kid]
        self.youngest = self.kid_dob[self.first_kid + count - 1]
        self.first_birth = as_of - (b.first_birth * YEAR).astype(np.int64)
        self._heritages()
        self._arrangements()
        self._dates()
        self._couples()
        self._kinship_carers()
        self._grandparents()
        self._children()
        # Twice: moving a parent's birth earlier can make a grandparent too young for them.
        self._parents_old_enough()
        self._parents_old_enough()

    def _heritages(self) -> None:
        """Heritage of the household's women and men: the children's, or the two halves of a mixed heritage."""
        rng, b = self.rng, self.births
        heritage_code = np.array([ETHNICITIES.index(x) for x in HERITAGES])
        self.household_heritage = heritage_code[b.heritage]
        self.woman_heritage, self.man_heritage = self.household_heritage.copy(), self.household_heritage.copy()
        for mixed, (first_side, second_side, mother_first) in dist.MIXED_PARENTS.items():
            rows = np.flatnonzero(b.heritage == HERITAGES.index(mixed))
            one = np.array([ETHNICITIES.index(c) for c in first_side])[rng.integers(0, len(first_side), len(rows))]
            two = np.array([ETHNICITIES.index(c) for c in second_side])[rng.integers(0, len(second_side), len(rows))]
            swap = rng.random(len(rows)) >= mother_first
            self.woman_heritage[rows] = np.where(swap, two, one)
            self.man_heritage[rows] = np.where(swap, one, two)

    def _arrangements(self) -> None:
        """Who lives with the children, and so which of their parents each child lives with (their side)."""
        rng, h, structure, kh, position = self.rng, self.h, self.structure, self.kid_household, self.position
        self.lone_father = (structure == LONE) & (rng.random(h) < dist.LONE_FATHER_SHARE)
        self.same_sex = (structure == COUPLE) & (rng.random(h) < dist.SAME_SEX_COUPLE_SHARE)
        self.male_couple = self.same_sex & (rng.random(h) < 0.4)
        self.female_couple = self.same_sex & ~self.male_couple
        self.multi_couple = (structure == MULTI) & (rng.random(h) < dist.MULTIGENERATIONAL_ON_COUPLE)
        step = structure == STEP
        kind = np.where(step, arr.categorical(rng, np.array(list(dist.STEP_FAMILY_KIND.values())), h), -1)
        # A step-family's earlier children are one partner's from before; after the widest gap between
        # births may come the couple's own.
        gap = np.where(position > 0, self.kid_dob - np.roll(self.kid_dob, 1), -1)
        widest = np.lexsort((-gap, kh))
        widest = widest[np.r_[True, np.diff(kh[widest]) != 0]]
        wide = gap[widest] >= 1.2 * YEAR
        self.joint = step & (self.kid_count >= 2) & wide & (rng.random(h) < dist.STEP_FAMILY_JOINT_CHILDREN)
        earlier_count = np.where(self.joint, position[widest], self.kid_count)
        self.step_kind = np.where((kind == 2) & (earlier_count < 2), 0, kind)

        side = np.full(len(kh), BOTH_RESIDENT)
        side[((structure[kh] == LONE) | (structure[kh] == MULTI)) & ~self.multi_couple[kh]] = MOTHERS_EARLIER
        side[self.lone_father[kh]] = FATHERS_EARLIER
        side[self.female_couple[kh]] = MOTHERS_EARLIER  # the second mother is a legal, not a birth, parent
        side[self.male_couple[kh] | (structure[kh] == KINSHIP)] = NEITHER_RESIDENT
        earlier = step[kh] & (position < earlier_count[kh])
        side[earlier & (self.step_kind[kh] == 0)] = MOTHERS_EARLIER
        side[earlier & (self.step_kind[kh] == 1)] = FATHERS_EARLIER
        both = earlier & (self.step_kind[kh] == 2)
        side[both] = np.where(rng.random(both.sum()) < 0.5, MOTHERS_EARLIER, FATHERS_EARLIER)
        brings_both = self.step_kind == 2  # each partner brings at least one child
        side[self.first_kid[brings_both]] = MOTHERS_EARLIER
        side[(self.first_kid + earlier_count - 1)[brings_both]] = FATHERS_EARLIER
        self.side = side

    def _dates(self) -> None:
        """The parents' births and when couples got together."""
        rng, h, structure, as_of = self.rng, self.h, self.structure, self.as_of
        kh, kid_dob = self.kid_household, self.kid_dob
        # The anchor parent is the one whose births these are (the father, in a father's step-family).
        self.anchor_male = self.lone_father | self.male_couple | (self.step_kind == 1)
        lone_like = (structure == LONE) | ((structure == MULTI) & ~self.multi_couple) | (structure == KINSHIP)
        partnered_mean, partnered_sd = dist.MOTHER_AGE_AT_FIRST_BIRTH["partnered"]
        lone_mean, lone_sd = dist.MOTHER_AGE_AT_FIRST_BIRTH["lone"]
        age_at_first = np.where(
            lone_like, rng.normal(lone_mean, lone_sd, h), rng.normal(partnered_mean, partnered_sd, h)
        )
        age_at_first = np.clip(age_at_first + self.anchor_male * dist.FATHER_OLDER_BY[0], 16.5, 44.0)
        anchor_dob = self.first_birth - (age_at_first * YEAR).astype(np.int64)
        self.anchor_dob = np.where(self.anchor_male, anchor_dob, np.maximum(anchor_dob, self.youngest - int(46 * YEAR)))

        # Couples got together before their first child; a step-family formed after the last earlier
        # child (and before the couple's own first).
        is_earlier = self.side != BOTH_RESIDENT
        last_earlier_dob = np.full(h, -(10**9))
        np.maximum.at(last_earlier_dob, kh[is_earlier], kid_dob[is_earlier])
        first_joint_dob = np.full(h, 10**9)
        np.minimum.at(first_joint_dob, kh[~is_earlier], kid_dob[~is_earlier])
        self.p2_sex = np.where(self.same_sex == self.anchor_male, MALE, FEMALE)
        older = (rng.normal(*dist.FATHER_OLDER_BY, h) * YEAR).astype(np.int64)
        p2_dob = np.where(
            self.same_sex,
            self.anchor_dob + (rng.normal(0, 4, h) * YEAR).astype(np.int64),
            self.anchor_dob + np.where(self.p2_sex == MALE, -older, older),
        )
        together = self.first_birth - (rng.uniform(0.5, 6.0, h) * YEAR).astype(np.int64)
        adult = np.maximum(self.anchor_dob, p2_dob) + int(16.5 * YEAR)
        self.together = np.minimum(np.maximum(together, adult), self.first_birth)
        low = last_earlier_dob + int(0.3 * YEAR)
        high = np.where(self.joint, first_joint_dob - int(0.8 * YEAR), as_of - int(0.05 * YEAR))
        formed = np.where(high > low, low + (rng.random(h) * (high - low)).astype(np.int64), np.minimum(low, high))
        formed = np.clip(formed, last_earlier_dob, as_of - 1)
        step = structure == STEP
        self.formed = np.where(step, formed, self.together)
        p2_dob = np.where(step, np.minimum(p2_dob, formed - int(18 * YEAR)), p2_dob)
        self.p2_dob = np.where(self.same_sex, np.minimum(p2_dob, self.oldest - int(18 * YEAR)), p2_dob)

    def _couples(self) -> None:
        """The resident parent (anchor) and their partner, if any."""
        structure = self.structure
        step = structure == STEP
        p1_sex = np.where(self.anchor_male, MALE, FEMALE)
        rows = np.flatnonzero(structure != KINSHIP)
        self.p1 = np.full(self.h, -1)
        since = np.where(step, self.together, self.formed)  # a step-family's resident parent was there first
        self.p1[rows] = self.add(
            household=rows,
            role=PARENT,
            member_since=since[rows],
            sex=p1_sex[rows],
            dob=self.anchor_dob[rows],
            heritage=np.where(self.anchor_male, self.man_heritage, self.woman_heritage)[rows],
        )
        rows = np.flatnonzero((structure == COUPLE) | step | self.multi_couple)
        self.p2 = np.full(self.h, -1)
        self.p2[rows] = self.add(
            household=rows,
            role=np.where(step[rows], STEP_PARENT, PARENT),
            member_since=self.formed[rows],
            sex=self.p2_sex[rows],
            dob=self.p2_dob[rows],
            heritage=np.where(self.p2_sex == MALE, self.man_heritage, self.woman_heritage)[rows],
        )
        self.partners.add(self.p1[rows], self.p2[rows], self.formed[rows])
        # The resident birth mother and father of the household's children, where there is one.
        woman = np.where(p1_sex == FEMALE, self.p1, np.where(self.p2_sex == FEMALE, self.p2, -1))
        man = np.where(p1_sex == MALE, self.p1, np.where(self.p2_sex == MALE, self.p2, -1))
        self.woman = np.where(self.male_couple, -1, np.where(self.female_couple, self.p1, woman))
        self.man = np.where(self.same_sex, -1, man)

    def _kinship_carers(self) -> None:
        """Kinship carers: grandparents, an aunt (and her partner) or a grown-up brother or sister."""
        rng, as_of = self.rng, self.as_of
        kin = np.flatnonzero(self.structure == KINSHIP)
        kinds = list(dist.KINSHIP_CARERS)
        carer_kind = arr.categorical(rng, np.array(list(dist.KINSHIP_CARERS.values())), len(kin))
        youngest, oldest = self.youngest[kin], self.oldest[kin]
        span = np.maximum(as_of - youngest - int(0.1 * YEAR), 1)
        placed = np.minimum(youngest + int(0.05 * YEAR) + (rng.random(len(kin)) * span).astype(np.int64), as_of - 1)
        mother_dob = self.anchor_dob[kin]  # the children's mother, who is not in the household
        grandmother = np.isin(carer_kind, [kinds.index("grandparents"), kinds.index("grandmother")])
        sibling = carer_kind == kinds.index("older_sibling")
        carer_dob = np.where(
            grandmother,
            mother_dob - (rng.uniform(18, 32, len(kin)) * YEAR).astype(np.int64),
            mother_dob + (rng.normal(0, 5, len(kin)) * YEAR).astype(np.int64),
        )
        carer_dob = np.minimum(carer_dob, oldest - int(16 * YEAR))
        sibling_dob = np.minimum(oldest - (rng.uniform(3, 9, len(kin)) * YEAR).astype(np.int64), as_of - int(19 * YEAR))
        sibling_dob = np.minimum(np.maximum(sibling_dob, mother_dob + int(16.5 * YEAR)), as_of - int(18.5 * YEAR))
        first = self.add(
            household=kin,
            role=KINSHIP_CARER,
            member_since=placed,
            sex=np.where(sibling & (rng.random(len(kin)) < 0.45), MALE, FEMALE),
            dob=np.where(sibling, sibling_dob, carer_dob),
            heritage=self.woman_heritage[kin],
            mother=np.where(sibling, self.absent_mother(kin), -1),
            father=np.where(sibling, self.absent_father(kin), -1),
        )
        pair = np.isin(carer_kind, [kinds.index("grandparents"), kinds.index("aunt_and_uncle")])
        partner_dob = carer_dob - (rng.normal(2.5, 3.5, len(kin)) * YEAR).astype(np.int64)
        # A grandfather was old enough to be the children's mother's father.
        partner_dob = np.where(grandmother, np.minimum(partner_dob, mother_dob - int(17 * YEAR)), partner_dob)
        second = self.add(
            household=kin[pair],
            role=KINSHIP_CARER,
            member_since=placed[pair],
            sex=MALE,
            dob=partner_dob[pair],
            heritage=self.woman_heritage[kin[pair]],
        )
        self.partners.add(first[pair], second, placed[pair] - (rng.uniform(2, 20, pair.sum()) * YEAR).astype(np.int64))
        self.kinship_carer = np.full((self.h, 2), -1)
        self.kinship_carer[kin, 0] = first
        self.kinship_carer[kin[pair], 1] = second
        self.placed = np.zeros(self.h, dtype=np.int64)
        self.placed[kin] = placed
        self.kinship_grandparents = kin[grandmother]

    def _grandparents(self) -> None:
        """Grandparents in multigenerational households: the mother's parents, or (more often in South
        Asian families) the father's."""
        rng, as_of = self.rng, self.as_of
        multi = np.flatnonzero(self.structure == MULTI)
        asian = np.isin(
            self.household_heritage[multi], [ETHNICITIES.index(c) for c in ("AIND", "APKN", "ABAN", "AOTH")]
        )
        paternal = self.multi_couple[multi] & (rng.random(len(multi)) < np.where(asian, 0.7, 0.3))
        their_child = np.where(paternal, self.p2[multi], self.p1[multi])
        their_child_dob = np.where(paternal, self.p2_dob[multi], self.anchor_dob[multi])
        oldest = self.oldest[multi]
        arrived = oldest + (rng.random(len(multi)) * np.maximum(as_of - oldest - int(0.2 * YEAR), 1)).astype(np.int64)
        one = rng.random(len(multi)) < dist.ONE_GRANDPARENT
        with_gm = ~one | (rng.random(len(multi)) < 0.75)
        with_gf = ~one | ~with_gm
        gm_dob = their_child_dob - (rng.uniform(19, 36, len(multi)) * YEAR).astype(np.int64)
        gf_dob = np.minimum(
            gm_dob - (rng.normal(2.5, 3.5, len(multi)) * YEAR).astype(np.int64), their_child_dob - int(17 * YEAR)
        )
        heritage = np.where(paternal, self.man_heritage[multi], self.woman_heritage[multi])
        gm, gf = np.full(len(multi), -1), np.full(len(multi), -1)
        for chosen, sex, dob, people in ((with_gm, FEMALE, gm_dob, gm), (with_gf, MALE, gf_dob, gf)):
            people[chosen] = self.add(
                household=multi[chosen],
                role=GRANDPARENT,
                member_since=arrived[chosen],
                sex=sex,
                dob=dob[chosen],
                heritage=heritage[chosen],
            )
        couple = with_gm & with_gf
        married = np.maximum(
            their_child_dob - (rng.uniform(1, 6, len(multi)) * YEAR).astype(np.int64), gm_dob + int(18 * YEAR)
        )
        self.partners.add(gm[couple], gf[couple], married[couple])
        self.set("mother", their_child, gm)
        self.set("father", their_child, gf)
        self.multigenerational = (multi, gm, gf, paternal)

    def _children(self) -> None:
        rng, kh, side, b = self.rng, self.kid_household, self.side, self.births
        structure, kid_dob = self.structure, self.kid_dob
        mother = np.where(np.isin(side, [MOTHERS_EARLIER, BOTH_RESIDENT]), self.woman[kh], -1)
        father = np.where(np.isin(side, [FATHERS_EARLIER, BOTH_RESIDENT]), self.man[kh], -1)
        mother = np.where(mother < 0, self.absent_mother(kh), mother)
        father = np.where(father < 0, self.absent_father(kh), father)
        # Children arrived at birth, except a partner's children who came with them and children in kinship care.
        since = kid_dob.copy()
        step = structure[kh] == STEP
        came_with_partner = step & (self.step_kind[kh] == 2) & (side == FATHERS_EARLIER)
        since[came_with_partner] = np.maximum(kid_dob, self.formed[kh])[came_with_partner]
        in_kin = structure[kh] == KINSHIP
        since[in_kin] = np.maximum(kid_dob, self.placed[kh])[in_kin]
        mixed = np.isin(b.heritage[kh], _mixed_indices())
        from_father = mixed & (rng.random(len(kh)) < 0.5)  # a mixed-heritage child's name may come from either side
        kids = self.add(
            household=kh,
            role=np.where(b.age >= 18, OTHER_ADULT, CHILD),
            member_since=since,
            sex=np.where(rng.random(len(kh)) < dist.MALE_SHARE, MALE, FEMALE),
            dob=kid_dob,
            heritage=self.household_heritage[kh],
            mother=mother,
            father=father,
            name_heritage=np.where(from_father, self.man_heritage[kh], self.woman_heritage[kh]),
        )
        unknown = kids[rng.random(len(kids)) < dist.SEX_UNKNOWN_SHARE]  # sex not known or not stated: rare
        self.set("sex", unknown, np.full(len(unknown), UNKNOWN))
        self.kids = kids

        # Step-parents, legal second parents, kinship carers and kinship grandparents, to the children.
        p1, p2 = self.p1[kh], self.p2[kh]
        for which, step_parent in ((MOTHERS_EARLIER, p2), (FATHERS_EARLIER, np.where(self.step_kind[kh] == 1, p2, p1))):
            rows = step & (side == which)
            self.step_parents.add(step_parent[rows], kids[rows], self.formed[kh[rows]])
        same_sex, male_couple = self.same_sex[kh], self.male_couple[kh]
        self.legal_parents.add(p2[same_sex], kids[same_sex], kid_dob[same_sex])
        self.legal_parents.add(p1[male_couple], kids[male_couple], kid_dob[male_couple])
        grandparents = np.zeros(self.h, dtype=bool)
        grandparents[self.kinship_grandparents] = True
        for column in range(2):
            carer = self.kinship_carer[kh, column]
            rows = in_kin & (carer >= 0)
            self.carers.add(carer[rows], kids[rows], self.placed[kh[rows]])
            rows &= grandparents[kh]
            self.grandparents.add(carer[rows], kids[rows], kid_dob[rows])

    def absent_mother(self, household: np.ndarray) -> np.ndarray:
        """Key of a birth mother not in the data (one per household)."""
        return -(2 + 2 * np.asarray(household, dtype=np.int64))

    def absent_father(self, household: np.ndarray) -> np.ndarray:
        return -(3 + 2 * np.asarray(household, dtype=np.int64))

    def _parents_old_enough(self) -> None:
        dob = self.column("dob")
        sex = self.column("sex")
        mother, father = self.column("mother"), self.column("father")
        eldest = np.full(self.count, 10**9)
        for parent in (mother, father):
            known = parent >= 0
            np.minimum.at(eldest, parent[known], dob[known])
        np.minimum.at(eldest, self.legal_parents.source, dob[self.legal_parents.target])
        limit = eldest - np.where(sex == FEMALE, int(16 * YEAR), int(17 * YEAR))
        # Parents and carers are adults, so the county holds exactly the children asked for.
        role = self.column("role")
        limit = np.where(np.isin(role, [CHILD, OTHER_ADULT]), limit, np.minimum(limit, self.youngest_adult))
        fixed = np.minimum(dob, limit)
        self.columns["dob"] = [fixed]
        self.columns["member_since"] = [np.maximum(self.column("member_since"), fixed)]

    # -- unaccompanied asylum-seeking children ----------------------------------------------------

    def unaccompanied(self, n: int) -> None:
        rng = self.rng
        ages = np.array(list(dist.UASC_AGE))[arr.categorical(rng, np.array(list(dist.UASC_AGE.values())), n)]
        age = ages + rng.random(n)
        heritage = np.array([ETHNICITIES.index(c) for c in dist.UASC_HERITAGE])[
            arr.categorical(rng, np.array(list(dist.UASC_HERITAGE.values())), n)
        ]
        dob = _age_to_dob(age, self.as_of, self.youngest_adult)
        self.uasc = self.add(
            household=np.full(n, -1),
            role=CHILD,
            member_since=self.as_of,
            sex=np.where(rng.random(n) < dist.UASC_MALE, MALE, FEMALE),
            dob=dob,
            heritage=heritage,
        )

    # -- everything else about each person --------------------------------------------------------

    def finish(self, seed: int, book: NameBook) -> Population:
        rng = arr.stream(seed, "people")
        h = self.h
        household = self.column("household")
        sex = self.column("sex")
        dob = self.column("dob")
        heritage = self.column("heritage")
        n = self.count
        is_child = dob > self.youngest_adult
        uasc = np.zeros(n, dtype=bool)
        uasc[self.uasc] = True
        in_household = household >= 0
        hh = np.where(in_household, household, 0)

        # Home language by household heritage; White British adults in a mixed home speak English.
        home = np.full(h, ENGLISH)
        for code, (chance, shares) in dist.HOME_LANGUAGE.items():
            rows = np.flatnonzero((self.household_heritage == ETHNICITIES.index(code)) & (rng.random(h) < chance))
            choices = np.array([LANGUAGES.index(lang) for lang in shares])
            home[rows] = choices[arr.categorical(rng, np.array(list(shares.values())), len(rows))]
        language = np.where(in_household, home[hh], ENGLISH)
        language = np.where(~is_child & (heritage == WBRI) & (self.household_heritage[hh] != WBRI), ENGLISH, language)
        language = np.where(is_child & (rng.random(n) < dist.CHILD_ENGLISH_IN_OTHER_LANGUAGE_HOME), ENGLISH, language)
        # Unaccompanied children: mostly Afghan (Dari, Pashto), Sudanese or Eritrean (Arabic, Tigrinya),
        # Iranian, Kurdish or Syrian; (heritage: (language, other language, language their names follow)).
        arrivals = {"AOTH": ("fas", "other", "fas"), "BAFR": ("ara", "other", "other"), "OOTH": ("ara", "fas", "ara")}
        name_language = np.where(in_household, home[hh], language)
        for code, (one, other, names) in arrivals.items():
            rows = self.uasc[heritage[self.uasc] == ETHNICITIES.index(code)]
            language[rows] = np.where(rng.random(len(rows)) < 0.6, LANGUAGES.index(one), LANGUAGES.index(other))
            name_language[rows] = LANGUAGES.index(names)

        # Recorded ethnicity: a few records say refused or not yet obtained.
        not_known = rng.random(n) < np.where(is_child, dist.NOT_KNOWN_SHARE["children"], dist.NOT_KNOWN_SHARE["adults"])
        refused = rng.random(n) < dist.REFUSED_OF_NOT_KNOWN
        ethnicity = np.where(
            not_known, np.where(refused, ETHNICITIES.index("REFU"), ETHNICITIES.index("NOBT")), heritage
        )

        # Names.
        name_heritage = self.column("name_heritage")
        name_heritage = np.where(name_heritage >= 0, name_heritage, heritage)
        group = group_index(name_heritage, name_language, ETHNICITIES, LANGUAGES)
        boy = (sex == MALE) | ((sex == UNKNOWN) & (rng.random(n) < 0.5))
        pool = np.where(
            is_child | (dob > self.as_of - int(26 * YEAR)), np.where(boy, BOYS, GIRLS), np.where(boy, MEN, WOMEN)
        )
        given = book.draw_given(rng, group, pool)
        given = self._distinct_within_household(rng, book, given, group, pool, household)
        middle_rate = np.full(n, dist.MIDDLE_NAME["default"])
        for key in ("british", "irish"):
            middle_rate[group == GROUPS.index(key)] = dist.MIDDLE_NAME[key]
        middle = np.full((n, 2), -1)
        has_middle = rng.random(n) < middle_rate
        middle[:, 0] = np.where(has_middle, book.draw_given(rng, group, pool), -1)
        middle[:, 1] = np.where(
            has_middle & (rng.random(n) < dist.TWO_MIDDLE_NAMES), book.draw_given(rng, group, pool), -1
        )
        for column in range(2):
            middle[given == middle[:, column], column] = -1
        nickname = book.draw_nickname(rng, given)
        known_as = np.where(rng.random(n) < dist.KNOWN_AS_WHEN_NAME_HAS_ONE, nickname, -1)

        mother, father = self.column("mother"), self.column("father")
        self._link_absent_fathers(rng, dob, mother, father, household, heritage)
        family_name, second = self._family_names(rng, book, group, sex, mother, father, home)

        # Estimated dates of birth: most unaccompanied children's, and some adults' from abroad.
        approximate = uasc & (rng.random(n) < 0.7)
        approximate |= ~is_child & (
            rng.random(n)
            < np.where(language != ENGLISH, dist.DOB_APPROXIMATE["adult_other_language"], dist.DOB_APPROXIMATE["adult"])
        )
        # The record holds 1 January of the estimated year; the truth keeps the real date.
        estimated = arr.first_of_year(dob)
        recorded_dob = np.where(
            approximate, np.where(is_child, np.maximum(estimated, self.youngest_adult + 1), estimated), dob
        )
        send = _send_status(rng, dob, sex, is_child, self.as_of)
        nhs_missing = rng.random(n) < np.where(
            uasc,
            dist.NHS_NUMBER_MISSING["uasc"],
            np.where(
                ~is_child & (language != ENGLISH),
                dist.NHS_NUMBER_MISSING["adult_other_language"],
                dist.NHS_NUMBER_MISSING["default"],
            ),
        )
        nhs_number = nhs_numbers(rng, ~nhs_missing)

        family = _extended_families(h, self.former_members, household)
        return Population(
            structure=self.structure,
            household_heritage=self.household_heritage,
            risk=np.exp(rng.normal(0, dist.HOUSEHOLD_RISK_SPREAD, h)),
            family=family,
            household=household,
            birth_household=household.copy(),
            role=self.column("role"),
            member_since=self.column("member_since"),
            sex=sex,
            dob=recorded_dob,
            true_dob=dob,
            dob_approximate=approximate,
            heritage=heritage,
            ethnicity=ethnicity,
            language=language,
            given=given,
            middle=middle,
            known_as=known_as,
            family_name=family_name,
            family_name_second=second,
            mother=mother,
            father=father,
            unaccompanied=uasc,
            is_child=is_child,
            partners=self.partners,
            step_parents=self.step_parents,
            legal_parents=self.legal_parents,
            carers=self.carers,
            grandparents=self.grandparents,
            former_members=self.former_members,
            send=send,
            nhs_number=nhs_number,
        )

    def _distinct_within_household(
        self,
        rng: np.random.Generator,
        book: NameBook,
        given: np.ndarray,
        group: np.ndarray,
        pool: np.ndarray,
        household: np.ndarray,
    ) -> np.ndarray:
        """Redraw a name that a brother or sister already has (once; a rare clash may remain)."""
        key = np.where(household >= 0, household, -1 - np.arange(len(household)))
        order = np.lexsort((given, key))
        clash = np.zeros(len(given), dtype=bool)
        clash[order[1:]] = (key[order[1:]] == key[order[:-1]]) & (given[order[1:]] == given[order[:-1]])
        rows = np.flatnonzero(clash)
        given = given.copy()
        given[rows] = book.draw_given(rng, group[rows], pool[rows])
        return given

    def _link_absent_fathers(
        self,
        rng: np.random.Generator,
        dob: np.ndarray,
        mother: np.ndarray,
        father: np.ndarray,
        household: np.ndarray,
        heritage: np.ndarray,
    ) -> None:
        """Make some step-fathers the birth father of a lone mother's (or another step-family's) children.

        A father who left one family often lives in another: the step-father of one household is then
        the non-resident birth father of children elsewhere in the county. He must be old enough, of the
        heritage the children's father has, and have left the first family before forming the second.
        """
        h = self.h
        kids = self.kids
        absent_side = self.side == MOTHERS_EARLIER
        absent_side &= ~self.same_sex[self.kid_household]
        slots = np.unique(self.kid_household[absent_side])
        slot_kids = kids[absent_side]
        slot_of_kid = self.kid_household[absent_side]
        oldest = np.full(h, 10**9)
        youngest = np.full(h, -(10**9))
        np.minimum.at(oldest, slot_of_kid, dob[slot_kids])
        np.maximum.at(youngest, slot_of_kid, dob[slot_kids])
        men = self.p2[(self.structure == STEP) & (self.step_kind != 1)]
        men = men[rng.random(len(men)) < dist.STEP_FATHER_WITH_EARLIER_FAMILY_IN_COUNTY]
        if len(slots) == 0 or len(men) == 0:
            return
        target = slots[rng.integers(0, len(slots), len(men))]
        his_household = household[men]
        separated_low = youngest[target] - int(0.5 * YEAR)
        separated_high = np.minimum(self.formed[his_household] - int(0.2 * YEAR), self.as_of - 30)
        ok = (target != his_household) & (dob[men] <= oldest[target] - int(17 * YEAR))
        ok &= np.abs(dob[men] - dob[self.p1[target]]) < 10 * YEAR  # of an age with the children's mother
        ok &= separated_high > separated_low
        ok &= heritage[men] == self.man_heritage[target]
        men, target = men[ok], target[ok]
        _, first = np.unique(target, return_index=True)  # each family has one father
        first = np.sort(first)
        men, target = men[first], target[first]
        separated = separated_low[ok][first] + (
            rng.random(len(men)) * (separated_high[ok][first] - separated_low[ok][first])
        ).astype(np.int64)
        linked = np.isin(slot_of_kid, target)
        lookup = np.full(h, -1)
        lookup[target] = men
        father[slot_kids[linked]] = lookup[slot_of_kid[linked]]
        together = np.maximum(
            oldest[target] - (rng.uniform(0.5, 4.0, len(men)) * YEAR).astype(np.int64),
            np.maximum(dob[men], dob[self.p1[target]]) + int(15 * YEAR),
        )
        together = np.minimum(together, np.minimum(oldest[target], separated) - 60)
        self.partners.add(self.p1[target], men, together, separated)
        self.former_members.add(men, target, together, separated)

    def _family_names(
        self,
        rng: np.random.Generator,
        book: NameBook,
        group: np.ndarray,
        sex: np.ndarray,
        mother: np.ndarray,
        father: np.ndarray,
        home: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Family names: each adult's birth name, then names passed on, taken or kept as families do."""
        h, p1, p2 = self.h, self.p1, self.p2
        born = book.draw_family(rng, group)
        # A grandparent couple share the grandfather's name, and their child in the household was born with it.
        multi, gm, gf, paternal = self.multigenerational
        both = (gm >= 0) & (gf >= 0)
        born[gm[both]] = born[gf[both]]
        born[np.where(paternal, p2[multi], p1[multi])] = born[np.where(gf >= 0, gf, gm)]
        # The names of birth parents who are not in the data.
        absent_father = book.draw_family(rng, group_index(self.man_heritage, home, ETHNICITIES, LANGUAGES))
        absent_mother = book.draw_family(rng, group_index(self.woman_heritage, home, ETHNICITIES, LANGUAGES))
        absent_father[self.former_members.target] = born[self.former_members.source]

        current = born.copy()
        couple = (p1 >= 0) & (p2 >= 0) & ~self.same_sex
        p1_female = sex[np.maximum(p1, 0)] == FEMALE
        wife, husband = np.where(p1_female, p1, p2), np.where(p1_female, p2, p1)
        takes = couple & (rng.random(h) < np.where(self.structure == STEP, 0.5, dist.MOTHER_TAKES_PARTNER_SURNAME))
        current[wife[takes]] = born[husband[takes]]
        keeps_former = (self.structure == LONE) & ~self.lone_father & (rng.random(h) < 0.35)
        current[p1[keeps_former]] = absent_father[keeps_former]

        # Children: brothers and sisters with the same parents carry the same name, so draw per family side.
        kids, kh, side = self.kids, self.kid_household, self.side
        known_father, known_mother = father[kids] >= 0, mother[kids] >= 0
        father_name = np.where(known_father, current[np.maximum(father[kids], 0)], absent_father[kh])
        mother_name = np.where(known_mother, current[np.maximum(mother[kids], 0)], absent_mother[kh])
        mother_born = np.where(known_mother, born[np.maximum(mother[kids], 0)], absent_mother[kh])
        step_father = current[np.maximum(p2[kh], 0)]
        u = rng.random((h, 4))[kh, side]
        structure = self.structure[kh]
        earlier = side == MOTHERS_EARLIER
        name = father_name.copy()
        name = np.where(side == BOTH_RESIDENT, np.where(u > 0.97, mother_born, father_name), name)
        name = np.where(earlier, np.where(u < 0.5, father_name, mother_name), name)
        name = np.where(
            earlier & (structure == STEP),
            np.where(u < 0.55, father_name, np.where(u < 0.85, mother_born, step_father)),
            name,
        )
        name = np.where(earlier & self.same_sex[kh], mother_name, name)
        name = np.where(side == NEITHER_RESIDENT, np.where(u < 0.5, father_name, mother_born), name)
        name = np.where((side == NEITHER_RESIDENT) & self.same_sex[kh], current[np.maximum(p1[kh], 0)], name)
        family_name = current
        family_name[kids] = name
        second = np.full(self.count, -1)
        double = (side == BOTH_RESIDENT) & (u < dist.DOUBLE_BARRELLED_CHILD) & (mother_born != name)
        family_name[kids[double]] = mother_born[double]
        second[kids[double]] = name[double]

        # Kinship carers: grandparents and aunts carry the mother's birth name, an older sibling the children's.
        children_name = np.zeros(h, dtype=np.int64)
        children_name[kh] = family_name[kids]
        kin = np.flatnonzero(self.structure == KINSHIP)
        first, partner = self.kinship_carer[kin, 0], self.kinship_carer[kin, 1]
        sibling = mother[first] != -1  # an older brother or sister shares the children's parents
        family_name[first] = np.where(sibling, children_name[kin], absent_mother[kin])
        grandfather = np.isin(kin, self.kinship_grandparents) & (partner >= 0)
        family_name[partner[grandfather]] = absent_mother[kin[grandfather]]
        return family_name, second


def _send_status(
    rng: np.random.Generator, dob: np.ndarray, sex: np.ndarray, is_child: np.ndarray, as_of: int
) -> np.ndarray:
    """Index into SEND_STATUS (N, K, E) for each child; -1 for adults."""
    age = np.clip(academic_age(dob, as_of), -1, 17)
    ages = sorted(dist.SEND_BY_AGE)
    support = np.array([dist.SEND_BY_AGE[a][0] for a in ages])[age - ages[0]]
    plan = np.array([dist.SEND_BY_AGE[a][1] for a in ages])[age - ages[0]]
    factors = np.array([dist.SEND_SEX_FACTOR[s] for s in SEXES])[sex]
    support, plan = support * factors[:, 0], plan * factors[:, 1]
    u = rng.random(len(dob))
    status = np.where(u < plan, 2, np.where(u < plan + support, 1, 0))
    return np.where(is_child, status, -1)


def _mixed_indices() -> list[int]:
    return [HERITAGES.index(code) for code in dist.MIXED_PARENTS]


def _extended_families(households: int, former: Links, household: np.ndarray) -> np.ndarray:
    """Label each household with its extended family: households joined by a parent who moved between them."""
    label = np.arange(households)
    a = former.target
    b = household[former.source]
    while len(a):
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]
        if np.array_equal(before, label):
            break
    return label
