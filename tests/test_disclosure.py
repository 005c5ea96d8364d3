"""Small-number suppression: no hidden count can be worked out from what a table shows and its total.

The strong tests attack every table of up to five cells adding up to at most 24 (and of six up to 14),
and thousands of larger random ones: they try every way of filling in the hidden cells that a reader
could think of, and check that each hidden cell could still be at least two different numbers. One
reader knows only the shown counts and the total (every subtraction); the other also knows the rule in
continuum.disclosure, and keeps only the tables that would have been published exactly as this one was.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

import pytest

from continuum.disclosure import (
    FEWER_THAN,
    SMALL_NUMBER,
    SUPPRESSED,
    CountRow,
    TableDiscloses,
    suppress,
    suppress_table,
)
from tests.suppression_attacks import (
    Published,
    completions,
    hidden_cells,
    publish,
    remainder,
    same_publication,
    tables,
    two_values_each,
    values_by_subtraction,
)

# Every table of 1 to 5 cells adding up to at most 24, and of 6 cells up to 14, grouped by what a reader
# sees. A group holds every table that would have been published the same way: everything a reader who
# knows the rule could believe.
EVERY_SIZE = [(cells, 24) for cells in range(1, 6)] + [(6, 14)]


@pytest.fixture(scope="module")
def every_small_table() -> dict[tuple[int, Published | None], list[tuple[int, ...]]]:
    """Every table, by its total and what a reader sees of it (None: refused)."""
    groups: dict[tuple[int, Published | None], list[tuple[int, ...]]] = defaultdict(list)
    for cells, largest_total in EVERY_SIZE:
        for total in range(largest_total + 1):
            for counts in tables(cells, total):
                groups[total, publish(counts)].append(counts)
    return groups


def test_no_subtraction_recovers_a_hidden_count_in_any_small_table(every_small_table):
    checked = 0
    for (total, published), behind in every_small_table.items():
        if published is None or None not in published:
            continue
        for i, values in values_by_subtraction(published, total).items():
            assert len(values) >= 2, f"{published} adding up to {total}: cell {i} can only be {values}"
        assert behind[0] in set(completions(published, total))  # the reader's reasoning fits the real table
        checked += 1
    assert checked > 25_000  # distinct tables as published, with something hidden


def test_a_reader_who_knows_the_rule_cannot_pin_down_any_hidden_count_in_any_small_table(every_small_table):
    checked = 0
    for (total, published), behind in every_small_table.items():
        if published is None:
            continue
        for i in hidden_cells(published):
            values = {table[i] for table in behind}
            assert len(values) >= 2, f"{published} adding up to {total}: cell {i} must be {values} ({behind})"
        checked += len(behind) if None in published else 0
    assert checked > 150_000  # tables with something hidden
    every = sum(math.comb(total + cells - 1, cells - 1) for cells, most in EVERY_SIZE for total in range(most + 1))
    assert sum(len(behind) for behind in every_small_table.values()) == every  # none left out


def test_a_table_is_refused_only_when_nothing_could_protect_it(every_small_table):
    refused = [counts for (_, published), behind in every_small_table.items() if published is None for counts in behind]
    for counts in refused:
        non_zero = [count for count in counts if count]
        assert any(0 < count < SMALL_NUMBER for count in counts)
        # All the children in one small cell, or one child in each non-zero cell.
        assert len(non_zero) == 1 or non_zero == [1] * sum(counts), counts
    assert refused


def random_table(rng: random.Random) -> tuple[int, ...]:
    """A table shaped like real breakdowns: some empty or small groups, some middling, some large."""
    kinds = [(0, 0), (1, SMALL_NUMBER - 1), (SMALL_NUMBER, 30), (31, 5000)]
    return tuple(rng.randint(*rng.choices(kinds, weights=[2, 4, 3, 3])[0]) for _ in range(rng.randint(2, 8)))


def test_no_hidden_count_is_recovered_in_thousands_of_random_tables_with_large_counts():
    rng = random.Random(20260509)
    attacked_knowing_the_rule = 0
    for _ in range(4000):
        counts = random_table(rng)
        total, published = sum(counts), publish(counts)
        if published is None or None not in published:
            continue
        for i, values in values_by_subtraction(published, total).items():
            assert len(values) >= 2, f"{published} adding up to {total}: cell {i} can only be {values}"
        # Where there are few enough ways to fill the hidden cells, also try each one as a reader who
        # knows the rule: keep the tables that would have been published exactly like this.
        hidden = hidden_cells(published)
        if math.comb(remainder(published, total) - 1, len(hidden) - 1) <= 3000:
            for i, values in two_values_each(published, same_publication(published, total)).items():
                assert len(values) >= 2, f"{published} adding up to {total}: cell {i} must be {values}"
            attacked_knowing_the_rule += 1
    assert attacked_knowing_the_rule > 1000


def test_the_example_from_the_issue_total_minus_boys_no_longer_gives_the_girls():
    rows = suppress_table([("Female", 2), ("Male", 7), ("Not known", 0)], total=9)
    assert [row.count for row in rows] == [None, None, 0]
    assert [row.shown for row in rows] == [SUPPRESSED, SUPPRESSED, "0"]


def test_small_counts_are_hidden_and_zero_and_larger_counts_shown():
    assert [suppress(str(n), n).count for n in range(7)] == [0, None, None, None, None, 5, 6]
    assert suppress("one", 1).shown == FEWER_THAN == f"fewer than {SMALL_NUMBER}"
    assert suppress("many", 12345).shown == "12,345"


def test_a_table_without_a_total_hides_only_its_small_counts_and_says_they_are_small():
    rows = suppress_table([("Early help", 3), ("Known to police", 40), ("CAMHS", 0)], total=None)
    assert rows == [CountRow("Early help", None), CountRow("Known to police", 40), CountRow("CAMHS", 0)]
    assert rows[0].shown == FEWER_THAN


def test_a_table_with_enough_small_counts_hides_nothing_else():
    rows = suppress_table([("0 to 4", 3), ("5 to 10", 2), ("11 to 15", 50)], total=55)
    assert [row.count for row in rows] == [None, None, 50]


def test_hidden_ones_are_not_left_to_be_deduced():
    # Two hidden 1s with the rest shown: the 2 left over could only be 1 + 1.
    rows = suppress_table([("a", 1), ("b", 1), ("c", 9), ("d", 30)], total=41)
    assert [row.count for row in rows] == [None, None, None, 30]


def test_hidden_fours_are_not_left_to_be_deduced_beside_a_shown_count():
    # Small counts adding up to 13 - 5 = 8 can only be 4 + 4, and the 5 would not have been hidden with
    # them unless they needed it: so it is hidden.
    rows = suppress_table([("a", 5), ("b", 4), ("c", 4)], total=13)
    assert [row.count for row in rows] == [None, None, None]
    # With nothing else to hide, 4 + 4 is safe: 3 + 5 or 2 + 6 would be published the same way.
    assert [row.count for row in suppress_table([("a", 4), ("b", 4), ("c", 0)], total=8)] == [None, None, 0]


def test_equal_counts_are_hidden_together_not_split_by_their_place():
    # Hiding only the first 6 would tell a reader it is no larger than the 6 still shown.
    rows = suppress_table([("a", 6), ("b", 6), ("c", 4), ("d", 90)], total=106)
    assert [row.count for row in rows] == [None, None, None, 90]


def test_which_counts_are_hidden_does_not_depend_on_the_order_of_the_rows():
    rng = random.Random(7)
    for _ in range(2000):
        counts = random_table(rng)
        order = rng.sample(range(len(counts)), len(counts))
        published, reordered = publish(counts), publish(tuple(counts[i] for i in order))
        assert reordered == (None if published is None else tuple(published[i] for i in order)), counts


def test_a_table_that_nothing_can_protect_is_refused():
    with pytest.raises(TableDiscloses):
        suppress_table([("a", 1), ("b", 1), ("c", 1), ("d", 1), ("e", 1)], total=5)
    with pytest.raises(TableDiscloses):
        suppress_table([("a", 3), ("b", 0), ("c", 0)], total=3)


def test_counts_that_do_not_add_up_to_the_total_are_refused():
    with pytest.raises(ValueError, match="add up to 9, not to the total 10"):
        suppress_table([("a", 2), ("b", 7)], total=10)
    with pytest.raises(ValueError, match="negative"):
        suppress_table([("a", -1), ("b", 7)], total=6)
