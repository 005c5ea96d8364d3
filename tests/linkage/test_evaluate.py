"""Pairwise precision, recall and F1, worked by hand."""

from __future__ import annotations

import itertools
import random

import pytest

from continuum.linkage.engine.evaluate import Scores, pairwise


def test_a_small_linkage_scored_by_hand():
    truth = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
    predicted = {"a1": "x", "a2": "x", "a3": "y", "b1": "y", "b2": "y", "c1": "z"}
    scores = pairwise(predicted, truth)
    # True pairs: A has C(3,2) = 3, B has C(2,2) = 1, C none: 4.
    # Predicted pairs: x = {a1, a2} 1, y = {a3, b1, b2} 3, z none: 4.
    # Correct: the cells (A, x) = {a1, a2} 1, (A, y) = {a3} 0, (B, y) = {b1, b2} 1, (C, z) 0: 2.
    # Precision 2/4 = 0.5, recall 2/4 = 0.5, F1 = 2 * 0.25 / 1.0 = 0.5.
    assert scores == Scores(
        records=6, true_pairs=4, predicted_pairs=4, correct_pairs=2, precision=0.5, recall=0.5, f1=0.5
    )
    assert scores.line() == "precision 0.5000 recall 0.5000 F1 0.5000"


def test_uneven_precision_and_recall():
    truth = {f"a{i}": "A" for i in range(4)} | {"b0": "B", "b1": "B"}
    # a0..a3 split 2 + 2; b0, b1 together, and a stranger's record (not in the truth) with them.
    predicted = {"a0": "p", "a1": "p", "a2": "q", "a3": "q", "b0": "r", "b1": "r", "zz": "r"}
    scores = pairwise(predicted, truth)
    # True: C(4,2) + C(2,2) = 6 + 1 = 7. Predicted (truth records only): p 1, q 1, r {b0, b1} 1 = 3.
    # Correct: (A,p) 1, (A,q) 1, (B,r) 1 = 3. Precision 3/3 = 1, recall 3/7, F1 = 2 * (3/7) / (1 + 3/7) = 0.6.
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (7, 3, 3)
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx(3 / 7)
    assert scores.f1 == pytest.approx(0.6)
    assert scores.line() == "precision 1.0000 recall 0.4286 F1 0.6000"


def test_waiting_and_unpredicted_records_are_on_their_own():
    truth = {"a1": "A", "a2": "A", "a3": "A"}
    # a2 waits for review (None), a3 is not in the prediction at all: only a1 is placed.
    scores = pairwise({"a1": "x", "a2": None}, truth)
    # True 3, predicted 0 (x holds one truth record): precision 1 by convention, recall 0, F1 0.
    assert scores == Scores(3, 3, 0, 0, 1.0, 0.0, 0.0)
    # Two waiting records are not a pair of the same identity.
    assert pairwise({"a1": None, "a2": None, "a3": None}, truth).predicted_pairs == 0


def test_records_not_in_the_truth_are_ignored():
    truth = {"a1": "A", "a2": "A"}
    predicted = {"a1": "x", "a2": "x", "other1": "x", "other2": "x"}
    # x holds four records but only a1 and a2 count: 1 predicted pair, and it is correct.
    assert pairwise(predicted, truth) == Scores(2, 1, 1, 1, 1.0, 1.0, 1.0)


def test_nothing_to_link_and_nothing_linked_is_perfect_by_convention():
    assert pairwise({"a": "x", "b": "y"}, {"a": "A", "b": "B"}) == Scores(2, 0, 0, 0, 1.0, 1.0, 1.0)
    assert pairwise({}, {}) == Scores(0, 0, 0, 0, 1.0, 1.0, 1.0)
    # Everything wrongly linked, nothing to link: precision 0/1, recall 1 by convention, F1 0.
    assert pairwise({"a": "x", "b": "x"}, {"a": "A", "b": "B"}) == Scores(2, 0, 1, 0, 0.0, 1.0, 0.0)


@pytest.mark.parametrize("seed", range(5))
def test_contingency_counting_equals_listing_every_pair(seed):
    rng = random.Random(seed)
    records = [f"r{i}" for i in range(120)]
    truth = {r: f"P{rng.randrange(40)}" for r in records}
    predicted = {r: (None if rng.random() < 0.1 else f"I{rng.randrange(30)}") for r in records[:110]}
    scores = pairwise(predicted, truth)
    same_person = {(a, b) for a, b in itertools.combinations(records, 2) if truth[a] == truth[b]}
    linked = {
        (a, b)
        for a, b in itertools.combinations(records, 2)
        if predicted.get(a) is not None and predicted.get(a) == predicted.get(b)
    }
    assert scores.true_pairs == len(same_person)
    assert scores.predicted_pairs == len(linked)
    assert scores.correct_pairs == len(same_person & linked)
