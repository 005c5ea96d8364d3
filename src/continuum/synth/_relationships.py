"""Relationships between people: parents, step-parents, grandparents, carers, brothers and sisters of
every kind, partners past and present, and teenagers who know each other."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from continuum import vocabulary as vocab
from continuum.synth import _arrays as arr
from continuum.synth._families import STEP, YEAR, Population
from continuum.synth._services import Placements

KINDS = [c for c, _ in vocab.RELATIONSHIP_KIND]
CONFIDENCES = [c for c, _ in vocab.CONFIDENCE]
CONFIRMED, REPORTED, INFERRED = (CONFIDENCES.index(c) for c in ("confirmed", "reported", "inferred"))
_PEER_SHARE = 0.10  # of 12-17 year olds with a recorded peer or associate (assumption)
_PEER_SAME_SCHOOL = 0.8


@dataclass
class Relationships:
    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray
    start: np.ndarray  # -1 where not known
    end: np.ndarray  # -1 where continuing
    confidence: np.ndarray


class _Rows:
    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(
        self,
        source: np.ndarray,
        target: np.ndarray,
        kind: str,
        start: np.ndarray | int,
        end: np.ndarray | int,
        confidence: np.ndarray | int,
    ) -> None:
        n = len(source)
        self.parts.append(
            tuple(
                np.broadcast_to(np.asarray(v, dtype=np.int64), n)
                for v in (source, target, np.full(n, KINDS.index(kind)), start, end, confidence)
            )
        )

    def finish(self) -> Relationships:
        columns = [np.concatenate([p[i] for p in self.parts]) for i in range(6)]
        return Relationships(*columns)


def build(
    seed: int, pop: Population, placements: Placements, school_of: np.ndarray, locality_of: np.ndarray, as_of: int
) -> Relationships:
    """Every relationship between people in the county, as the directed or (for symmetric kinds) single rows."""
    rng = arr.stream(seed, "relationships")
    rows = _Rows()
    dob = pop.dob
    person = np.arange(pop.people)

    # Parents: birth parents (a non-resident father is "reported" more often than confirmed) and legal parents.
    for parent in (pop.mother, pop.father):
        known = parent >= 0
        child, of = person[known], parent[known]
        elsewhere = pop.household[of] != pop.birth_household[child]
        confidence = np.where(elsewhere & (rng.random(len(child)) < 0.6), REPORTED, CONFIRMED)
        rows.add(of, child, "parent", dob[child], -1, confidence)
    legal = pop.legal_parents
    rows.add(legal.source, legal.target, "parent", dob[legal.target], -1, CONFIRMED)
    steps = pop.step_parents
    rows.add(
        steps.source,
        steps.target,
        "step_parent",
        steps.start,
        -1,
        np.where(rng.random(len(steps.source)) < 0.3, REPORTED, CONFIRMED),
    )

    # Grandparents: a parent's parent, and grandparents caring for grandchildren whose parents are not in the data.
    for parent in (pop.mother, pop.father):
        known = parent >= 0
        child, of = person[known], parent[known]
        for grandparent in (pop.mother[of], pop.father[of]):
            ok = grandparent >= 0
            rows.add(grandparent[ok], child[ok], "grandparent", dob[child[ok]], -1, CONFIRMED)
    kin = pop.grandparents
    rows.add(kin.source, kin.target, "grandparent", kin.start, -1, CONFIRMED)

    # Carers: kinship carers and foster carers.
    rows.add(pop.carers.source, pop.carers.target, "carer", pop.carers.start, -1, CONFIRMED)
    for column in range(2):
        carer = placements.carers[:, column]
        ok = carer >= 0
        rows.add(carer[ok], placements.child[ok], "carer", placements.since[ok], -1, CONFIRMED)

    _siblings(rows, pop)
    _step_siblings(rows, pop)
    partners = pop.partners
    current = partners.end < 0
    rows.add(
        partners.source,
        partners.target,
        "partner",
        partners.start,
        partners.end,
        np.where(current & (rng.random(len(current)) < 0.7), CONFIRMED, REPORTED),
    )
    _peers(rng, rows, pop, school_of, locality_of, as_of)
    return rows.finish()


def _pairs_within(groups: np.ndarray, items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every unordered pair of items that share a group."""
    order = np.lexsort((items, groups))
    groups, items = groups[order], items[order]
    _, starts, counts = np.unique(groups, return_index=True, return_counts=True)
    position = arr.group_arange(counts)
    size = np.repeat(counts, counts)
    later = size - 1 - position  # how many items follow this one in its group
    first = np.repeat(np.arange(len(items)), later)
    second = first + 1 + arr.group_arange(later)
    return items[first], items[second]


def _siblings(rows: _Rows, pop: Population) -> None:
    """Brothers and sisters: both parents shared (sibling) or one (half-sibling), parents in the data or not."""
    person = np.arange(pop.people)
    by_parent = [_pairs_within(key[key != -1], person[key != -1]) for key in (pop.mother, pop.father)]
    a = np.concatenate([p[0] for p in by_parent])
    b = np.concatenate([p[1] for p in by_parent])
    low, high = np.minimum(a, b), np.maximum(a, b)
    pairs, shared = np.unique(low * pop.people + high, return_counts=True)
    low, high = pairs // pop.people, pairs % pop.people
    together = pop.birth_household[low] == pop.birth_household[high]
    confidence = np.where(together, CONFIRMED, REPORTED)
    start = np.maximum(pop.dob[low], pop.dob[high])
    full = shared >= 2
    rows.add(low[full], high[full], "sibling", start[full], -1, confidence[full])
    rows.add(low[~full], high[~full], "half_sibling", start[~full], -1, confidence[~full])


def _step_siblings(rows: _Rows, pop: Population) -> None:
    """Children of the two partners in a step-family who share no parent."""
    person = np.arange(pop.people)
    parent = np.concatenate([pop.mother, pop.father])
    child = np.concatenate([person, person])
    known = parent >= 0
    parent, child = parent[known], child[known]
    order = np.argsort(parent, kind="stable")
    parent, child = parent[order], child[order]
    partners = pop.partners
    in_step = (partners.end < 0) & (pop.structure[np.maximum(pop.household[partners.source], 0)] == STEP)
    a, b, since = partners.source[in_step], partners.target[in_step], partners.start[in_step]
    start_a, count_a = np.searchsorted(parent, a), np.searchsorted(parent, a, side="right") - np.searchsorted(parent, a)
    start_b, count_b = np.searchsorted(parent, b), np.searchsorted(parent, b, side="right") - np.searchsorted(parent, b)
    combinations = count_a * count_b
    couple = np.repeat(np.arange(len(a)), combinations)
    k = arr.group_arange(combinations)
    first = child[start_a[couple] + k // count_b[couple]]
    second = child[start_b[couple] + k % count_b[couple]]
    shares = (pop.mother[first] == pop.mother[second]) | (pop.father[first] == pop.father[second])
    ok = (first != second) & ~shares
    low, high = np.minimum(first[ok], second[ok]), np.maximum(first[ok], second[ok])
    pairs, index = np.unique(low * pop.people + high, return_index=True)
    low, high = pairs // pop.people, pairs % pop.people
    start = np.maximum(since[couple[ok]][index], np.maximum(pop.dob[low], pop.dob[high]))
    rows.add(
        low,
        high,
        "step_sibling",
        start,
        -1,
        np.where(pop.birth_household[low] == pop.birth_household[high], CONFIRMED, REPORTED),
    )


def _peers(
    rng: np.random.Generator, rows: _Rows, pop: Population, school_of: np.ndarray, locality_of: np.ndarray, as_of: int
) -> None:
    """Some teenagers know each other: mostly from the same school, some from the same locality."""
    age = arr.whole_years(pop.dob, as_of)
    teen = np.flatnonzero(pop.is_child & (age >= 12))
    if len(teen) < 2:
        return
    who = teen[rng.random(len(teen)) < _PEER_SHARE]
    who = np.repeat(who, rng.integers(1, 4, len(who)))
    school = school_of[who]
    same_school = (school >= 0) & (rng.random(len(who)) < _PEER_SAME_SCHOOL)
    schools = int(school_of.max()) + 2
    by_school = arr.random_member(rng, school_of[teen] + 1, np.where(same_school, school + 1, 0), schools)
    by_place = arr.random_member(rng, locality_of[teen], locality_of[who], int(locality_of.max()) + 1)
    other = np.where(same_school & (by_school >= 0), teen[np.maximum(by_school, 0)], teen[np.maximum(by_place, 0)])
    ok = other != who
    low, high = np.minimum(who[ok], other[ok]), np.maximum(who[ok], other[ok])
    pairs = np.unique(low * pop.people + high)
    low, high = pairs // pop.people, pairs % pop.people
    related = (pop.birth_household[low] == pop.birth_household[high]) | (pop.household[low] == pop.household[high])
    low, high = low[~related], high[~related]
    known_since = np.maximum(
        as_of - (rng.random(len(low)) * 2 * YEAR).astype(np.int64),
        np.maximum(pop.dob[low], pop.dob[high]) + int(10 * YEAR),
    )
    rows.add(
        low, high, "peer", np.minimum(known_since, as_of), -1, np.where(rng.random(len(low)) < 0.6, REPORTED, INFERRED)
    )
