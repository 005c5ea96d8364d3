"""Resolving scored pairs into identities: every rule of the contract on hand-made pair tables, the same result
whatever the order of the input, a slow obviously-right implementation to compare with on random graphs, and
incremental runs giving the same identities as a full run."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

import pyarrow as pa
import pytest

from continuum.linkage.engine.resolve import BAND_ITEMS, Resolution, ReviewItem, Why, resolve

UPPER, LOWER = 0.9, 0.5


def pairs(*rows: tuple[str, str, float]) -> pa.Table:
    return pa.table(
        {
            "left_id": pa.array([row[0] for row in rows], pa.string()),
            "right_id": pa.array([row[1] for row in rows], pa.string()),
            "match_probability": pa.array([row[2] for row in rows], pa.float64()),
        }
    )


def run(
    records: Iterable[str],
    rows: Iterable[tuple[str, str, float]] = (),
    *,
    prior: Mapping[str, str] | None = None,
    decided: Mapping[tuple[str, str], str] | None = None,
    people: Iterable[str] = (),
) -> Resolution:
    return resolve(
        records=list(records),
        prior=prior or {},
        pairs=pairs(*rows),
        upper=UPPER,
        lower=LOWER,
        decided=decided or {},
        people=frozenset(people),
    )


def test_strong_pairs_join_and_a_group_of_new_records_is_keyed_by_its_least_record_id():
    result = run(["c", "b", "a", "d"], [("a", "b", 0.99), ("c", "b", 0.95), ("c", "d", 0.3)])
    assert result.assignments == {"a": "new:a", "b": "new:a", "c": "new:a", "d": "new:d"}
    # The first record of a new group was placed by no pair; the others by their strongest.
    assert result.links == {"b": 0.99, "c": 0.95}
    assert result.waiting == set()
    assert result.review == []


def test_a_pair_exactly_at_the_upper_threshold_joins_and_one_just_below_is_for_review():
    result = run(["a", "b", "c"], [("a", "b", UPPER), ("a", "c", UPPER - 1e-9)])
    assert result.assignments == {"a": "new:a", "b": "new:a"}
    assert result.waiting == {"c"}
    assert result.review == [ReviewItem("a", "c", UPPER - 1e-9, "band")]


def test_a_group_that_grows_keeps_the_prior_identity_and_prior_records_never_move():
    result = run(
        ["p1", "p2", "x", "y", "q"],
        [("p1", "x", 0.97), ("x", "y", 0.99), ("p2", "q", 0.93)],
        prior={"p1": "ID-1", "p2": "ID-1", "q": "ID-2"},
    )
    # p2 and q are known to be different people: their pair is for review, and neither moves.
    assert result.assignments == {"p1": "ID-1", "p2": "ID-1", "x": "ID-1", "y": "ID-1", "q": "ID-2"}
    # x and y joined each other first (0.99), then the group joined ID-1 (0.97): y's strongest pair is 0.99.
    assert result.links == {"x": 0.99, "y": 0.99}
    assert result.review == [ReviewItem("p2", "q", 0.93, "conflict")]


def test_a_record_that_would_join_two_known_identities_joins_the_stronger_and_the_other_is_for_review():
    rows = [("a", "x", 0.97), ("b", "x", 0.98)]
    conflict = run(["a", "b", "x"], rows, prior={"a": "A", "b": "B"}, people=["A"])
    assert conflict.assignments == {"a": "A", "b": "B", "x": "B"}
    assert conflict.links == {"x": 0.98}
    assert conflict.review == [ReviewItem("a", "x", 0.97, "conflict")]
    both_people = run(["a", "b", "x"], rows, prior={"a": "A", "b": "B"}, people=["A", "B"])
    assert both_people.assignments == conflict.assignments
    assert both_people.review == [ReviewItem("a", "x", 0.97, "people")]


def test_a_chain_of_new_records_between_two_known_identities_is_cut_at_its_weakest_pair():
    # a(A) - x 0.99, x - y 0.95, y - b(B) 0.98: x joins A, y joins B, the pair x-y would join A and B.
    result = run(
        ["a", "b", "x", "y"], [("a", "x", 0.99), ("x", "y", 0.95), ("b", "y", 0.98)], prior={"a": "A", "b": "B"}
    )
    assert result.assignments == {"a": "A", "b": "B", "x": "A", "y": "B"}
    assert result.review == [ReviewItem("x", "y", 0.95, "conflict")]


def test_a_join_of_two_known_identities_is_asked_once_however_many_pairs_would_make_it():
    result = run(
        ["a1", "a2", "b1", "b2"],
        [("a1", "b1", 0.95), ("a2", "b2", 0.97), ("a1", "b2", 0.92)],
        prior={"a1": "A", "a2": "A", "b1": "B", "b2": "B"},
    )
    assert result.assignments == {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}
    assert result.review == [ReviewItem("a2", "b2", 0.97, "conflict")]


def test_a_record_with_only_band_pairs_waits_with_its_best_three_for_review():
    rows = [("w", "a", 0.6), ("w", "b", 0.8), ("w", "c", 0.7), ("w", "d", 0.55), ("w", "e", 0.4)]
    result = run(["a", "b", "c", "d", "e", "w"], rows, prior={"a": "A", "b": "B", "c": "C", "d": "D"})
    assert "w" not in result.assignments
    assert result.waiting == {"w"}
    assert BAND_ITEMS == 3
    assert result.review == [
        ReviewItem("b", "w", 0.8, "band"),
        ReviewItem("c", "w", 0.7, "band"),
        ReviewItem("a", "w", 0.6, "band"),
    ]
    # e's pair is below the lower threshold: e is a new person of its own.
    assert result.assignments["e"] == "new:e"


def test_two_new_records_with_only_a_band_pair_both_wait_on_one_review_item():
    result = run(["x", "y"], [("y", "x", 0.7)])
    assert result.assignments == {}
    assert result.waiting == {"x", "y"}
    assert result.review == [ReviewItem("x", "y", 0.7, "band")]


def test_band_pairs_between_records_that_are_both_placed_are_not_queued():
    result = run(
        ["a", "b", "x", "y", "z"],
        [("a", "x", 0.95), ("y", "z", 0.95), ("x", "y", 0.7), ("a", "b", 0.6), ("b", "z", 0.8)],
        prior={"a": "A", "b": "B"},
    )
    assert result.assignments == {"a": "A", "b": "B", "x": "A", "y": "new:y", "z": "new:y"}
    assert result.waiting == set()
    assert result.review == []


def test_a_rejected_pair_never_joins_and_is_never_queued_again():
    rows = [("a", "x", 0.99), ("b", "x", 0.7)]
    result = run(["a", "b", "x"], rows, prior={"a": "A", "b": "B"}, decided={("x", "a"): "rejected"})
    # x's strong pair to A was rejected; its band pair to B is for review; the rejected one is not.
    assert result.waiting == {"x"}
    assert result.review == [ReviewItem("b", "x", 0.7, "band")]
    neither = {("a", "x"): "rejected", ("b", "x"): "rejected"}
    both = run(["a", "b", "x"], rows, prior={"a": "A", "b": "B"}, decided=neither)
    assert both.assignments == {"a": "A", "b": "B", "x": "new:x"}
    assert both.waiting == set()
    assert both.review == []


def test_a_rejected_pair_is_not_joined_through_other_records_either():
    # x - y 0.99 joins; y - a 0.98 would put x with a, which a reviewer rejected: that join is for review.
    result = run(
        ["a", "x", "y"], [("x", "y", 0.99), ("a", "y", 0.98)], prior={"a": "A"}, decided={("a", "x"): "rejected"}
    )
    assert result.assignments == {"a": "A", "x": "new:x", "y": "new:x"}
    assert result.review == [ReviewItem("a", "y", 0.98, "conflict")]
    # Among new records only: x - y, then y - z would put x with z.
    # z, placed by no pair, waits for that decision.
    new_only = run(["x", "y", "z"], [("x", "y", 0.99), ("y", "z", 0.98)], decided={("x", "z"): "rejected"})
    assert new_only.assignments == {"x": "new:x", "y": "new:x"}
    assert new_only.waiting == {"z"}
    assert new_only.review == [ReviewItem("y", "z", 0.98, "conflict")]


def test_a_rejected_pair_inside_one_known_identity_changes_nothing_here():
    result = run(["a", "b", "x"], [("a", "x", 0.95)], prior={"a": "A", "b": "A"}, decided={("a", "b"): "rejected"})
    assert result.assignments == {"a": "A", "b": "A", "x": "A"}
    assert result.review == []


def test_an_accepted_pair_joins_whatever_its_probability_before_any_scored_pair():
    rows = [("a", "x", 0.55), ("b", "x", 0.99)]
    result = run(["a", "b", "x"], rows, prior={"a": "A", "b": "B"}, decided={("x", "a"): "accepted"})
    assert result.assignments == {"a": "A", "b": "B", "x": "A"}
    assert result.links == {"x": 1.0}
    assert result.review == [ReviewItem("b", "x", 0.99, "conflict")]
    # Accepted but not scored at all this time: still joins.
    unscored = run(["a", "x"], [], prior={"a": "A"}, decided={("a", "x"): "accepted"})
    assert unscored.assignments == {"a": "A", "x": "A"}


def test_an_accepted_pair_across_two_known_identities_is_the_callers_merge_not_a_review_item():
    result = run(["a", "b"], [("a", "b", 0.99)], prior={"a": "A", "b": "B"}, decided={("a", "b"): "accepted"})
    assert result.assignments == {"a": "A", "b": "B"}
    assert result.review == []


def test_prior_identities_of_records_not_in_play_are_ignored():
    result = run(["a", "x"], [("a", "x", 0.95)], prior={"a": "A", "gone": "B"})
    assert result.assignments == {"a": "A", "x": "A"}


def test_decisions_on_records_not_in_play_are_ignored():
    result = run(["a", "x"], [("a", "x", 0.95)], decided={("a", "gone"): "rejected", ("old", "x"): "accepted"})
    assert result.assignments == {"a": "new:a", "x": "new:a"}


def test_a_pair_given_twice_counts_once_at_its_higher_probability():
    result = run(["a", "b"], [("a", "b", 0.6), ("b", "a", 0.95), ("a", "b", 0.7)])
    assert result.assignments == {"a": "new:a", "b": "new:a"}
    assert result.links == {"b": 0.95}
    twice_in_band = run(["a", "b"], [("a", "b", 0.6), ("b", "a", 0.7)])
    assert twice_in_band.review == [ReviewItem("a", "b", 0.7, "band")]


def test_records_with_no_pairs_are_new_people_and_self_pairs_and_weak_pairs_are_ignored():
    result = run(["b", "a"], [("a", "a", 0.99), ("a", "b", 0.2)])
    assert result == Resolution(assignments={"a": "new:a", "b": "new:b"})
    assert run([]) == Resolution(assignments={})


def test_ties_are_broken_by_the_record_ids_and_the_result_does_not_depend_on_the_input_order():
    records = ["a", "b", "x", "y", "w", "c"]
    rows = [("x", "a", 0.95), ("x", "b", 0.95), ("y", "b", 0.95), ("y", "c", 0.95), ("w", "a", 0.7), ("w", "c", 0.7)]
    prior = {"a": "A", "b": "B", "c": "C"}
    first = run(records, rows, prior=prior)
    # (a, x) comes before (b, x): x joins A; then (b, y) before (c, y): y joins B.
    assert first.assignments == {"a": "A", "b": "B", "c": "C", "x": "A", "y": "B"}
    assert first.review == [
        ReviewItem("b", "x", 0.95, "conflict"),
        ReviewItem("c", "y", 0.95, "conflict"),
        ReviewItem("a", "w", 0.7, "band"),
        ReviewItem("c", "w", 0.7, "band"),
    ]
    shuffler = random.Random(7)
    for _ in range(20):
        shuffled_records = shuffler.sample(records, len(records))
        shuffled_rows = [(b, a, p) if shuffler.random() < 0.5 else (a, b, p) for a, b, p in rows]
        shuffler.shuffle(shuffled_rows)
        assert run(shuffled_records, shuffled_rows, prior=prior) == first


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"records": ["a", "a"]}, "the record id 'a' is given more than once"),
        ({"records": ["a", ""]}, "a record id is empty"),
        ({"pairs": pairs(("a", "z", 0.9))}, "a pair names the record 'z', which is not among the records"),
        ({"upper": 0.4}, "the thresholds must satisfy 0 <= lower <= upper <= 1"),
        ({"decided": {("a", "b"): "not_sure"}}, "a decision is 'not_sure'"),
        ({"pairs": pa.table({"left_id": ["a"], "right_id": ["b"], "match_probability": [None]})}, "no match_prob"),
    ],
)
def test_input_the_engine_cannot_resolve_is_a_clear_error(kwargs, message):
    arguments = {"records": ["a", "b"], "prior": {}, "pairs": pairs(), "upper": UPPER, "lower": LOWER, **kwargs}
    with pytest.raises(ValueError, match=message):
        resolve(**arguments)


# A slow implementation that follows the contract's words, pair by pair, to compare the fast one with.
def reference(
    records: list[str],
    prior: Mapping[str, str],
    rows: list[tuple[str, str, float]],
    decided: Mapping[tuple[str, str], str],
    people: frozenset[str],
) -> Resolution:
    def key(a: str, b: str) -> tuple[str, str]:
        return (a, b) if a < b else (b, a)

    decisions = {key(*pair): decision for pair, decision in decided.items() if set(pair) <= set(records)}
    rejected = {pair for pair, decision in decisions.items() if decision == "rejected"}
    best: dict[tuple[str, str], float] = {}
    for a, b, p in rows:
        if a != b and key(a, b) not in decisions:
            best[key(a, b)] = max(p, best.get(key(a, b), 0.0))
    group = {r: {r} for r in records}
    for r in records:
        if r in prior:
            mates = [s for s in records if prior.get(s) == prior[r]]
            for s in mates:
                group[s] = group[mates[0]]
                group[mates[0]].add(s)

    def identity(members: set[str]) -> str | None:
        return next((prior[r] for r in sorted(members) if r in prior), None)

    edges = [(0, -1.0, a, b) for (a, b), d in sorted(decisions.items()) if d == "accepted"]
    edges += sorted((1, -p, a, b) for (a, b), p in best.items() if p >= UPPER)
    refused: list[tuple[float, str, str, Why]] = []
    strongest: dict[str, float] = {}
    for kind, minus_p, a, b in edges:
        ga, gb = group[a], group[b]
        if ga is gb:
            continue
        ia, ib = identity(ga), identity(gb)
        if ia is not None and ib is not None and ia != ib:
            if kind:
                refused.append((-minus_p, a, b, "people" if ia in people and ib in people else "conflict"))
            continue
        if any(key(x, y) in rejected for x in ga for y in gb):
            if kind:
                refused.append((-minus_p, a, b, "conflict"))
            continue
        merged = ga | gb
        for r in merged:
            group[r] = merged
        for r in (a, b):
            strongest.setdefault(r, -minus_p)
    review, asked = [], set()
    for p, a, b, why in refused:
        groups = frozenset({min(group[a]), min(group[b])})
        if groups not in asked:
            asked.add(groups)
            review.append(ReviewItem(a, b, p, why))
    alone = {r for r in records if len(group[r]) == 1 and r not in prior}
    band = []
    for r in sorted(alone):
        mine = sorted((-p, a, b) for (a, b), p in best.items() if LOWER <= p < UPPER and r in (a, b))
        band += [(a, b, -minus_p) for minus_p, a, b in mine[:BAND_ITEMS]]
    review += [ReviewItem(a, b, p, "band") for a, b, p in sorted(set(band))]
    review.sort(key=lambda item: (-item.match_probability, item.left_id, item.right_id))
    waiting = {r for r in alone if any(r in (item.left_id, item.right_id) for item in review)}
    assignments = {}
    for r in records:
        if r not in waiting:
            assignments[r] = identity(group[r]) or "new:" + min(group[r])
    # The first record of a new group was placed by no pair.
    first_of_new = {min(group[r]) for r in records if identity(group[r]) is None}
    links = {r: p for r, p in strongest.items() if r not in prior and r not in first_of_new}
    return Resolution(assignments=assignments, links=links, waiting=waiting, review=review)


Case = tuple[list[str], dict[str, str], list[tuple[str, str, float]], dict[tuple[str, str], str], frozenset[str]]


def random_case(seed: int, size: int) -> Case:
    """People with a few records each; some records already placed (prior); pairs within a person mostly
    strong, across people mostly weak; probabilities from a short list, so that ties are common."""
    rng = random.Random(seed)
    records = [f"r{i:03d}" for i in range(size)]
    person = {r: rng.randrange(size // 3) for r in records}
    prior: dict[str, str] = {}
    known = (0.05, 0.2, 0.4)[seed % 3]  # the share of records already placed
    for r in records:
        if rng.random() < known:
            prior[r] = f"P{person[r]}" if rng.random() < 0.8 else f"Q{rng.randrange(size)}"
    levels = [0.3, 0.55, 0.7, 0.85, 0.9, 0.95, 0.99]
    rows = []
    for _ in range(size * 2):
        a, b = rng.sample(records, 2)
        if person[a] == person[b]:
            p = rng.choice(levels[4:] if rng.random() < 0.85 else levels)
        else:
            p = rng.choice(levels[:4] if rng.random() < 0.9 else levels)
        rows.append((a, b, p))
    for a in records:  # and the true pairs, so that groups form
        for b in records:
            if a < b and person[a] == person[b] and rng.random() < 0.6:
                rows.append((a, b, rng.choice(levels[3:])))
    decided = {}
    for _ in range(size // 10):
        a, b = rng.sample(records, 2)
        decided[(a, b)] = rng.choice(["accepted", "rejected", "rejected"])
    people = frozenset(identity for identity in set(prior.values()) if identity.startswith("P"))
    return records, prior, rows, decided, people


@pytest.mark.parametrize("seed", range(40))
def test_the_fast_resolution_equals_the_contract_followed_pair_by_pair(seed):
    records, prior, rows, decided, people = random_case(seed, 40 + seed * 3)
    fast = run(records, rows, prior=prior, decided=decided, people=people)
    assert fast == reference(records, prior, rows, decided, people)


@pytest.mark.parametrize("in_play", ["every record", "the new and the identities their pairs touch"])
@pytest.mark.parametrize("seed", range(40))
def test_resolving_new_records_against_those_placed_gives_the_same_identities_as_resolving_everything(seed, in_play):
    records, prior, rows, decided, people = random_case(1000 + seed, 60 + seed * 4)
    full = run(records, rows, prior=prior, decided=decided, people=people)
    rng = random.Random(seed)
    # New: some records not already known to the platform, and every record waiting for review.
    new = {r for r in records if r not in prior and rng.random() < 0.3} | full.waiting

    def stable(identity: str) -> str:
        return "stable-" + identity.removeprefix("new:") if identity.startswith("new:") else identity

    placed = {r: stable(full.assignments[r]) for r in records if r not in new}
    touching = [row for row in rows if row[0] in new or row[1] in new]
    if in_play == "every record":
        playing = set(records)
    else:  # what a daily run reads: the new records, and every record of each identity their pairs reach
        reached = [(a, b) for a, b, _ in touching] + [pair for pair in decided if set(pair) & new]
        touched = {placed[r] for pair in reached for r in pair if r in placed}
        playing = new | {r for r, identity in placed.items() if identity in touched}
    incremental = run([r for r in records if r in playing], touching, prior=placed, decided=decided, people=people)

    assert incremental.waiting == full.waiting
    assert set(incremental.assignments) == playing - full.waiting
    renamed: dict[str, str] = {}  # the incremental run's "new:" keys, as the full run named those groups
    for r, identity in incremental.assignments.items():
        expected = stable(full.assignments[r])
        if identity.startswith("new:"):
            assert renamed.setdefault(identity, expected) == expected
            assert expected.startswith("stable-"), "a group of new records only is new in both runs"
        else:
            assert identity == expected
    assert len(set(renamed.values())) == len(renamed)
    assert [item for item in incremental.review if item.why == "band"] == [
        item for item in full.review if item.why == "band"
    ]
    # Every two groups the incremental run asks about, the full run asked about too (it also asks about
    # pairs of records placed earlier, and once per two groups, so not always through the same pair).
    assert _groups_asked(incremental, full) <= _groups_asked(full, full)


def _groups_asked(result: Resolution, full: Resolution) -> set[frozenset[str]]:
    """The two groups (as the full run named them; a waiting record by its own id) of each refused join."""
    return {
        frozenset(full.assignments.get(r, r) for r in (item.left_id, item.right_id))
        for item in result.review
        if item.why != "band"
    }
