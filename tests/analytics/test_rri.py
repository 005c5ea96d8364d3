"""The relative rate index and its 95% interval (Katz's log method), on numbers worked by hand."""

from __future__ import annotations

import pytest

from continuum.analytics.rri import RRI, rate, relative_rate_index


def test_three_times_the_reference_rate_with_its_interval():
    # Group: 30 flagged of 1,000 (rate 0.03). Reference: 50 of 5,000 (rate 0.01). RRI = 0.03 / 0.01 = 3.
    # Variance of ln(RRI): 1/30 - 1/1000 + 1/50 - 1/5000 = 0.033333 - 0.001 + 0.02 - 0.0002 = 0.052133;
    # its square root 0.228327, times 1.959964 = 0.447513. ln 3 = 1.098612, so
    # low = exp(1.098612 - 0.447513) = exp(0.651099) = 1.9176, high = exp(1.546125) = 4.6933.
    found = relative_rate_index(group_events=30, group_population=1000, reference_events=50, reference_population=5000)
    assert found.rri == pytest.approx(3.0)
    assert found.low == pytest.approx(1.9176, abs=1e-4)
    assert found.high == pytest.approx(4.6933, abs=1e-4)
    assert found.significant


def test_the_same_rate_gives_one_and_an_interval_either_side():
    # 4 of 200 and 40 of 2,000: both 0.02, RRI = 1. Variance: 1/4 - 1/200 + 1/40 - 1/2000
    # = 0.25 - 0.005 + 0.025 - 0.0005 = 0.2695; sqrt 0.519134 x 1.959964 = 1.017484;
    # low = exp(-1.017484) = 0.3615, high = exp(1.017484) = 2.7662: wide, few children.
    found = relative_rate_index(group_events=4, group_population=200, reference_events=40, reference_population=2000)
    assert (found.rri, round(found.low, 4), round(found.high, 4)) == (pytest.approx(1.0), 0.3615, 2.7662)
    assert not found.significant


def test_twice_the_rate_on_small_numbers_is_not_significant_at_95_but_is_at_z_1():
    # 10 of 100 against 5 of 100: RRI 2. Variance 1/10 - 1/100 + 1/5 - 1/100 = 0.28; sqrt 0.529150.
    # z 1.959964: 1.037115 either side of ln 2 = 0.693147: exp(-0.343968) = 0.7090, exp(1.730262) = 5.6421.
    # z 1: 0.529150 either side: exp(0.163997) = 1.1782, exp(1.222297) = 3.3950.
    at_95 = relative_rate_index(group_events=10, group_population=100, reference_events=5, reference_population=100)
    assert (round(at_95.low, 4), round(at_95.high, 4)) == (0.7090, 5.6421)
    assert not at_95.significant
    at_1 = relative_rate_index(
        group_events=10, group_population=100, reference_events=5, reference_population=100, z=1.0
    )
    assert (round(at_1.low, 4), round(at_1.high, 4)) == (1.1782, 3.3950)
    assert at_1.significant


def test_a_group_flagged_less_often_has_an_index_below_one():
    # 5 of 1,000 (0.005) against 50 of 5,000 (0.01): RRI 0.5. Variance 1/5 - 1/1000 + 1/50 - 1/5000 = 0.2188;
    # sqrt 0.467760 x 1.959964 = 0.916793; ln 0.5 = -0.693147: exp(-1.609940) = 0.1999, exp(0.223646) = 1.2506.
    found = relative_rate_index(group_events=5, group_population=1000, reference_events=50, reference_population=5000)
    assert (found.rri, round(found.low, 4), round(found.high, 4)) == (pytest.approx(0.5), 0.1999, 1.2506)


def test_no_child_of_the_group_flagged_gives_zero_without_an_interval():
    assert relative_rate_index(
        group_events=0, group_population=300, reference_events=20, reference_population=1000
    ) == RRI(0.0, None, None)


def test_no_child_of_the_reference_group_flagged_leaves_the_index_undefined():
    found = relative_rate_index(group_events=3, group_population=300, reference_events=0, reference_population=1000)
    assert found == RRI(None, None, None)
    assert not found.significant


@pytest.mark.parametrize(
    ("a", "n1", "c", "n2"),
    [(1, 0, 1, 10), (1, 10, 1, 0), (11, 10, 1, 10), (1, 10, 11, 10), (-1, 10, 1, 10)],
)
def test_impossible_counts_are_refused(a, n1, c, n2):
    with pytest.raises(ValueError):
        relative_rate_index(group_events=a, group_population=n1, reference_events=c, reference_population=n2)


def test_a_rate_is_per_child_and_none_for_nobody():
    assert rate(3, 300) == pytest.approx(0.01)
    assert rate(0, 0) is None
