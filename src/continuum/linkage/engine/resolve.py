"""From scored pairs to identities that keep their ids, and the pairs a person must review.

`resolve` joins records whose pair is at or above the upper threshold, strongest pair first (ties by the
records' ids), the way Kruskal's algorithm builds a forest, with two exceptions that a person decides
instead: a join that would put two identities already known (two different ids in `prior`) in one group,
and a join that would put together two records a reviewer said are different people (a rejected pair).
Records already placed never move here; a group that grows keeps its identity's id, and a group of new
records only is keyed `"new:" + min(record id)` for the caller to give a stable id.

Speed: only a connected component that holds two known identities or both records of a rejected pair can
be affected by the order of the joins; every other component is a group as it stands. So the components
are found at once (scipy over integer ids), and only those few are walked pair by pair in Python: 1.5
million records and a few million pairs take seconds.

Incremental runs give the same groups as a full run (the tests check it): with `prior` holding the full
run's identities of the records already placed, and `pairs` every pair touching the records not placed
(the new ones and those waiting for review: a waiting record is resolved again with them), a join the
full run made is made again or was already there, and a join the full run refused is refused because the
two sides already hold different ids. `records` need not be everyone: the records not placed, and every
record of each identity that their pairs or their decided pairs reach, give the same result in a fraction
of the time.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

NEW_PREFIX: Final = "new:"
# A record waiting for review is offered at most this many candidate pairs.
BAND_ITEMS: Final = 3
# A reviewer's acceptance places a record with certainty: it is taken before every scored pair.
ACCEPTED_PROBABILITY: Final = 1.0

Why = Literal["band", "conflict", "people"]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

_NO_DECISIONS: Mapping[tuple[str, str], str] = MappingProxyType({})


@dataclass(frozen=True)
class ReviewItem:
    """A pair for a person to decide (left_id < right_id).

    `why`: "band" (a record not placed, with a pair between the thresholds), "conflict" (a strong pair that
    would join two identities already known, or undo a rejection), "people" (the same, where both identities
    are platform people)."""

    left_id: str
    right_id: str
    match_probability: float
    why: Why


@dataclass
class Resolution:
    """Who is who after `resolve`.

    `assignments`: record id -> identity id (from `prior`) or `"new:" + min(record id)` of its group, for
    every record except those waiting. `links`: record id -> probability of the strongest pair that placed
    it (not for prior records, nor for the first record of a new group). `waiting`: records with no
    identity until a person decides one of their review items. `review`: strongest first."""

    assignments: dict[str, str]
    links: dict[str, float] = field(default_factory=dict)
    waiting: set[str] = field(default_factory=set)
    review: list[ReviewItem] = field(default_factory=list)


def resolve(
    *,
    records: Sequence[str],
    prior: Mapping[str, str],
    pairs: pa.Table,
    upper: float,
    lower: float,
    decided: Mapping[tuple[str, str], str] = _NO_DECISIONS,
    people: Collection[str] = frozenset(),
) -> Resolution:
    """Resolve `records` into identities from the scored `pairs` (columns left_id, right_id, match_probability).

    `prior`: record id -> identity id of the records already placed (entries for records not in `records`
    are ignored); they never move. `decided`: (left_id, right_id) -> "accepted" or "rejected" from clerical
    review, either order of the ids: a rejected pair never joins (not even through other records) and is
    never queued again; an accepted pair joins, before any scored pair, unless its records hold different
    identities already (that is a merge, which the caller makes). `people`: the identity ids that are
    platform people (a refused join between two of them is "people" rather than "conflict").

    Raises ValueError for a repeated or empty record id, a pair naming a record not in `records`, a missing
    probability, or thresholds out of order.
    """
    if not 0.0 <= lower <= upper <= 1.0:
        raise ValueError(f"the thresholds must satisfy 0 <= lower <= upper <= 1 (lower {lower}, upper {upper})")
    ids = _record_ids(records)
    n = len(ids)
    identity_names, label = _prior_labels(ids, prior)
    person_label = np.asarray(pc.is_in(identity_names, value_set=pa.array(list(people), pa.string())), dtype=bool)

    u, v, p = _edges(ids, pairs)
    accepted, rejected = _decisions(ids, decided)
    if len(rejected):
        dropped = np.isin(u * n + v, rejected[:, 0] * n + rejected[:, 1])
        u, v, p = u[~dropped], v[~dropped], p[~dropped]
    strong = p >= upper
    if len(accepted):
        is_accepted = np.isin(u * n + v, accepted[:, 0] * n + accepted[:, 1])
        strong &= ~is_accepted
        band = (p >= lower) & ~strong & ~is_accepted
        su = np.concatenate([accepted[:, 0], u[strong]])
        sv = np.concatenate([accepted[:, 1], v[strong]])
        sp = np.concatenate([np.full(len(accepted), ACCEPTED_PROBABILITY), p[strong]])
        first = np.concatenate([np.ones(len(accepted), dtype=bool), np.zeros(int(strong.sum()), dtype=bool)])
    else:
        band = (p >= lower) & ~strong
        su, sv, sp = u[strong], v[strong], p[strong]
        first = np.zeros(len(su), dtype=bool)
    bu, bv, bp = u[band], v[band], p[band]

    component = _components(n, su, sv, label)
    dirty = _dirty_components(component, label, rejected)
    group, refused = _walk(component, dirty, su, sv, sp, first, label, rejected, person_label)

    # Each group (named by its first record's code): its size, and its identity if it has a prior one.
    size = np.bincount(group, minlength=n)
    group_label = np.full(n, -1, dtype=np.int64)
    placed = label >= 0
    group_label[group[placed]] = label[placed]
    alone = (size[group] == 1) & ~placed

    review, waiting_codes = _review(ids, group, alone, refused, bu, bv, bp)
    waiting = np.zeros(n, dtype=bool)
    waiting[waiting_codes] = True

    # Assignments: the identity's id, or "new:" and the group's first record; named once a group.
    heads = np.flatnonzero(group == np.arange(n))
    head_label = group_label[heads]
    known = head_label >= 0
    names = np.empty(len(heads), dtype=object)
    names[known] = identity_names.take(pa.array(head_label[known])).to_numpy(zero_copy_only=False)
    names[~known] = [NEW_PREFIX + name for name in ids.take(pa.array(heads[~known])).to_pylist()]
    position = np.zeros(n, dtype=np.int64)
    position[heads] = np.arange(len(heads))
    keep = ~waiting
    assignments = dict(zip(ids.filter(pa.array(keep)).to_pylist(), names[position[group[keep]]].tolist(), strict=True))
    own = group_label[group]

    # Links: the strongest joining pair inside the record's group.
    inside = group[su] == group[sv]
    best = np.full(n, -np.inf)
    np.maximum.at(best, su[inside], sp[inside])
    np.maximum.at(best, sv[inside], sp[inside])
    first_of_new = (group == np.arange(n)) & (own < 0)
    linked = np.isfinite(best) & ~placed & ~first_of_new
    codes = np.flatnonzero(linked)
    links = dict(zip(ids.take(pa.array(codes)).to_pylist(), best[codes].tolist(), strict=True))

    waiting_ids = set(ids.take(pa.array(np.flatnonzero(waiting))).to_pylist())
    return Resolution(assignments=assignments, links=links, waiting=waiting_ids, review=review)


def _record_ids(records: Sequence[str]) -> pa.StringArray:
    """The record ids sorted (so that an id's code orders as the id does), checked unique and non-empty."""
    raw = records if isinstance(records, pa.Array) else pa.array(list(records), pa.string())
    if raw.null_count or pc.any(pc.equal(raw, "")).as_py():
        raise ValueError("a record id is empty")
    ids = raw.take(pc.sort_indices(raw))
    if len(ids) > 1:
        same = np.asarray(pc.equal(ids[1:], ids[:-1]), dtype=bool)
        if same.any():
            raise ValueError(f"the record id {ids[int(np.argmax(same))].as_py()!r} is given more than once")
    return ids


def _prior_labels(ids: pa.StringArray, prior: Mapping[str, str]) -> tuple[pa.StringArray, Ints]:
    """The identity ids of `prior`, and each record's index into them (-1: not placed)."""
    label = np.full(len(ids), -1, dtype=np.int64)
    if not prior:
        return pa.array([], pa.string()), label
    codes = pc.index_in(pa.array(list(prior.keys()), pa.string()), value_set=ids)
    encoded = pa.array(list(prior.values()), pa.string()).dictionary_encode()
    if encoded.null_count:
        raise ValueError("an identity id in prior is empty")
    known = np.asarray(codes.is_valid(), dtype=bool)
    label[np.asarray(codes.fill_null(0), dtype=np.int64)[known]] = np.asarray(encoded.indices, dtype=np.int64)[known]
    return encoded.dictionary, label


def _codes(ids: pa.StringArray, column: pa.Array | pa.ChunkedArray, what: str) -> Ints:
    if column.null_count:
        raise ValueError(f"{what} has an empty record id")
    column = column.cast(pa.string())
    codes = pc.index_in(column, value_set=ids)
    if codes.null_count:
        missing = column.filter(codes.is_null())[0].as_py()
        raise ValueError(f"{what} names the record {missing!r}, which is not among the records")
    return np.asarray(codes, dtype=np.int64)


def _edges(ids: pa.StringArray, pairs: pa.Table) -> tuple[Ints, Ints, Floats]:
    """(u, v, p) with u < v record codes, one per pair (its highest probability), self-pairs dropped."""
    ends = _codes(ids, pa.chunked_array([*pairs.column("left_id").chunks, *pairs.column("right_id").chunks]), "a pair")
    left, right = ends[: pairs.num_rows], ends[pairs.num_rows :]
    probability = pairs.column("match_probability")
    if probability.null_count:
        raise ValueError("a pair has no match_probability")
    p = np.asarray(probability.cast(pa.float64()).to_numpy(), dtype=np.float64)
    if np.isnan(p).any():
        raise ValueError("a pair's match_probability is not a number")
    u, v = np.minimum(left, right), np.maximum(left, right)
    keep = u != v
    u, v, p = u[keep], v[keep], p[keep]
    key = u * len(ids) + v
    ordered = np.sort(key)
    repeated = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeated):
        return u, v, p
    # A pair given more than once counts once, at its highest probability.
    involved = np.flatnonzero(np.isin(key, repeated))
    involved = involved[np.lexsort((-p[involved], key[involved]))]
    later = np.zeros(len(involved), dtype=bool)
    later[1:] = key[involved][1:] == key[involved][:-1]
    keep = np.ones(len(key), dtype=bool)
    keep[involved[later]] = False
    return u[keep], v[keep], p[keep]


def _decisions(ids: pa.StringArray, decided: Mapping[tuple[str, str], str]) -> tuple[Ints, Ints]:
    """The accepted and the rejected pairs among `records`, as (k, 2) arrays of codes, lower code first."""
    empty = np.zeros((0, 2), dtype=np.int64)
    if not decided:
        return empty, empty
    for decision in decided.values():
        if decision not in ("accepted", "rejected"):
            raise ValueError(f"a decision is {decision!r}: only 'accepted' and 'rejected' are decisions")
    keys = list(decided)
    left = pc.index_in(pa.array([a for a, _ in keys], pa.string()), value_set=ids)
    right = pc.index_in(pa.array([b for _, b in keys], pa.string()), value_set=ids)
    known = np.asarray(pc.and_(left.is_valid(), right.is_valid()), dtype=bool)
    a = np.asarray(left.fill_null(0), dtype=np.int64)
    b = np.asarray(right.fill_null(0), dtype=np.int64)
    pairs = np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1)
    is_accepted = np.array([decided[key] == "accepted" for key in keys], dtype=bool)
    usable = known & (a != b)
    rejected = pairs[usable & ~is_accepted]
    # A pair decided both ways (the two orders of its ids) counts as rejected.
    accepted = pairs[usable & is_accepted]
    if len(accepted) and len(rejected):
        n = len(ids)
        accepted = accepted[~np.isin(accepted[:, 0] * n + accepted[:, 1], rejected[:, 0] * n + rejected[:, 1])]
    return _unique_rows(accepted), _unique_rows(rejected)


def _unique_rows(rows: Ints) -> Ints:
    return np.unique(rows, axis=0) if len(rows) else rows


def _components(n: int, su: Ints, sv: Ints, label: Ints) -> Ints:
    """Connected components of the strong pairs, with each prior identity's records joined together."""
    placed = np.flatnonzero(label >= 0)
    order = placed[np.argsort(label[placed], kind="stable")]
    if len(order):
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = label[order][1:] != label[order][:-1]
        head = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
    else:
        head = order
    rows = np.concatenate([su, order])
    cols = np.concatenate([sv, head])
    graph = coo_array((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(n, n)).tocsr()
    _, component = connected_components(graph, directed=False)
    return np.asarray(component, dtype=np.int64)


def _dirty_components(component: Ints, label: Ints, rejected: Ints) -> Bools:
    """Components where the order of the joins matters: two prior identities, or a rejected pair inside."""
    count = int(component.max()) + 1 if len(component) else 0
    dirty = np.zeros(count, dtype=bool)
    placed = label >= 0
    if placed.any():
        width = int(label.max()) + 1
        labelled = np.unique(component[placed] * width + label[placed])
        dirty |= np.bincount(labelled // width, minlength=count) >= 2
    if len(rejected):
        a, b = rejected[:, 0], rejected[:, 1]
        # A rejected pair inside one prior identity cannot be acted on here: the identity never splits.
        inside = (component[a] == component[b]) & ~((label[a] >= 0) & (label[a] == label[b]))
        dirty[component[a][inside]] = True
    return dirty


Refused = list[tuple[float, int, int, Why]]


def _walk(
    component: Ints,
    dirty: Bools,
    su: Ints,
    sv: Ints,
    sp: Floats,
    first: Bools,
    label: Ints,
    rejected: Ints,
    person_label: Bools,
) -> tuple[Ints, Refused]:
    """Each record's group (a record code), and the strong pairs refused (as review items).

    A clean component is one group; a dirty one is walked pair by pair, accepted pairs first, then the
    strongest first, ties by the lower then the higher record id."""
    n = len(component)
    # A clean component's group is named by its first record; `minimum.at` finds it.
    head = np.full(int(component.max()) + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(head, component, np.arange(n))
    group = head[component]
    refused: Refused = []
    in_dirty = dirty[component] if n else np.zeros(0, dtype=bool)
    if not in_dirty.any():
        return group, refused

    records = np.flatnonzero(in_dirty)
    parent: dict[int, int] = {int(r): int(r) for r in records}
    members: dict[int, set[int]] = {int(r): {int(r)} for r in records}
    identity: dict[int, int] = {int(r): int(label[r]) for r in records}
    # Group root -> the records a reviewer said are someone else than one of the group's.
    barred: dict[int, set[int]] = {}
    for a, b in rejected.tolist():
        if in_dirty[a] and not (label[a] >= 0 and label[a] == label[b]):
            barred.setdefault(a, set()).add(b)
            barred.setdefault(b, set()).add(a)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def join(a: int, b: int) -> None:
        if len(members[a]) < len(members[b]):
            a, b = b, a
        parent[b] = a
        members[a] |= members.pop(b)
        if identity[a] < 0:
            identity[a] = identity[b]
        if b in barred:
            barred.setdefault(a, set()).update(barred.pop(b))

    # Each prior identity's records are one group from the start.
    by_identity: dict[int, int] = {}
    for r in records.tolist():
        if label[r] >= 0:
            if label[r] in by_identity:
                ra, rb = find(by_identity[label[r]]), find(r)
                if ra != rb:
                    join(ra, rb)
            else:
                by_identity[int(label[r])] = r

    edges = np.flatnonzero(in_dirty[su])
    order = edges[np.lexsort((sv[edges], su[edges], -sp[edges], ~first[edges]))]
    walk = zip(sp[order].tolist(), su[order].tolist(), sv[order].tolist(), first[order].tolist(), strict=True)
    for p, a, b, decided in walk:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        ia, ib = identity[ra], identity[rb]
        if ia >= 0 and ib >= 0 and ia != ib:
            why: Why = "people" if person_label[ia] and person_label[ib] else "conflict"
        elif (ra in barred and not barred[ra].isdisjoint(members[rb])) or (
            rb in barred and not barred[rb].isdisjoint(members[ra])
        ):
            why = "conflict"
        else:
            join(ra, rb)
            continue
        # An accepted pair refused here (across two identities) is the caller's merge to make, not a question.
        if not decided:
            refused.append((p, a, b, why))

    for held in members.values():
        group[list(held)] = min(held)
    return group, refused


def _review(
    ids: pa.StringArray, group: Ints, alone: Bools, refused: Refused, bu: Ints, bv: Ints, bp: Floats
) -> tuple[list[ReviewItem], Ints]:
    """The review items (refused joins, one per pair of groups; band pairs of records not placed) and the
    records that wait for them."""
    chosen: list[tuple[float, int, int, Why]] = []
    seen: set[tuple[int, int]] = set()
    for p, a, b, why in refused:  # strongest first already
        groups = (int(min(group[a], group[b])), int(max(group[a], group[b])))
        if groups not in seen:
            seen.add(groups)
            chosen.append((p, a, b, why))

    # Band pairs: each record not placed offers its best BAND_ITEMS pairs.
    ends_u, ends_v = alone[bu], alone[bv]
    owner = np.concatenate([bu[ends_u], bv[ends_v]])
    cu = np.concatenate([bu[ends_u], bu[ends_v]])
    cv = np.concatenate([bv[ends_u], bv[ends_v]])
    cp = np.concatenate([bp[ends_u], bp[ends_v]])
    order = np.lexsort((cv, cu, -cp, owner))
    owner, cu, cv, cp = owner[order], cu[order], cv[order], cp[order]
    run_start = np.ones(len(owner), dtype=bool)
    run_start[1:] = owner[1:] != owner[:-1]
    start_at = np.maximum.accumulate(np.where(run_start, np.arange(len(owner)), 0))
    best = (np.arange(len(owner)) - start_at) < BAND_ITEMS
    band_pairs = {(int(a), int(b)): float(p) for a, b, p in zip(cu[best], cv[best], cp[best], strict=True)}
    chosen += [(p, a, b, "band") for (a, b), p in band_pairs.items()]

    waiting = np.unique(
        np.concatenate(
            [
                owner[best],
                np.array([x for _, a, b, _ in chosen for x in (a, b) if alone[x]], dtype=np.int64),
            ]
        )
    )
    chosen.sort(key=lambda item: (-item[0], item[1], item[2]))
    names = ids.take(pa.array(np.array([x for _, a, b, _ in chosen for x in (a, b)], dtype=np.int64))).to_pylist()
    review = [ReviewItem(names[2 * i], names[2 * i + 1], p, why) for i, (p, _, _, why) in enumerate(chosen)]
    return review, waiting
