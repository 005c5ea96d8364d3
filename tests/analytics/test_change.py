"""Reliable change, goal-based outcomes and a programme's change, on numbers worked by hand."""

from __future__ import annotations

import math

import pytest

from continuum.analytics.change import (
    GBO_RELIABLE_CHANGE,
    NO_RELIABLE_CHANGE,
    RELIABLE_DETERIORATION,
    RELIABLE_IMPROVEMENT,
    SDQ_RELIABILITY,
    Pair,
    goal_change,
    measure_change,
    reliable_change_index,
)
from continuum.analytics.sdq import SDQ_BANDED_SCORES, SDQ_INFORMANTS


def test_reliable_change_index_worked_by_hand():
    # S_diff = sqrt(2) * SD * sqrt(1 - r) = sqrt(2) * 5 * sqrt(0.18) = 5 * sqrt(0.36) = 5 * 0.6 = 3.0
    # RCI = (post - pre) / S_diff = (12 - 20) / 3.0 = -2.667: beyond -1.96, a reliable fall
    assert reliable_change_index(20, 12, sd=5, reliability=0.82) == pytest.approx(-8 / 3)
    # (20 - 15) / 3.0 = 1.667: within 1.96, not reliable
    assert reliable_change_index(15, 20, sd=5, reliability=0.82) == pytest.approx(5 / 3)


@pytest.mark.parametrize(("sd", "reliability"), [(0, 0.8), (-1, 0.8), (5, 1.0), (5, -0.1), (math.nan, 0.8)])
def test_reliable_change_needs_a_spread_and_a_reliability_below_one(sd, reliability):
    with pytest.raises(ValueError):
        reliable_change_index(10, 12, sd=sd, reliability=reliability)


def test_published_sdq_reliabilities_cover_every_banded_score_of_every_informant():
    assert SDQ_RELIABILITY[("parent", "total")] == 0.82
    assert SDQ_RELIABILITY[("teacher", "total")] == 0.87
    assert SDQ_RELIABILITY[("self", "total")] == 0.80
    for informant in SDQ_INFORMANTS:
        for score in SDQ_BANDED_SCORES:
            assert 0 < SDQ_RELIABILITY[(informant, score)] < 1


@pytest.mark.parametrize(
    ("first", "last", "change", "outcome"),
    [
        (2, 5, 3, RELIABLE_IMPROVEMENT),  # 3 >= 2.45
        (4, 6, 2, NO_RELIABLE_CHANGE),  # 2 < 2.45
        (8, 5, -3, RELIABLE_DETERIORATION),
        (0, 10, 10, RELIABLE_IMPROVEMENT),
        (3.0, 5.45, 2.45, RELIABLE_IMPROVEMENT),  # a mean of goals: exactly 2.45 counts
        (5, 5, 0, NO_RELIABLE_CHANGE),
    ],
)
def test_goal_based_outcome_change(first, last, change, outcome):
    result = goal_change(first, last)
    assert result.change == pytest.approx(change)
    assert result.outcome == outcome
    assert GBO_RELIABLE_CHANGE == 2.45


@pytest.mark.parametrize(
    ("first", "last", "says"),
    [
        (3, 11, "the last goal rating is 11: goals are rated from 0 to 10"),
        (-1, 4, "the first goal rating is -1: goals are rated from 0 to 10"),
        (True, 4, "the first goal rating must be a number from 0 to 10, not True"),
        ("5", 4, "the first goal rating must be a number from 0 to 10, not '5'"),
        (5, math.inf, "the last goal rating must be a number from 0 to 10, not inf"),
    ],
)
def test_a_goal_rating_outside_0_to_10_is_refused(first, last, says):
    with pytest.raises(ValueError) as raised:
        goal_change(first, last)
    assert str(raised.value) == says


FIVE = [
    Pair("a", 20, 14, "very_high", "high"),
    Pair("b", 18, 15, "high", "close_to_average"),
    Pair("c", 15, 15, "slightly_raised", "slightly_raised"),
    Pair("d", 22, 16, "very_high", "slightly_raised"),
    Pair("e", 25, 20, "very_high", "very_high"),
]


def test_a_programmes_change_worked_by_hand():
    result = measure_change([*FIVE, Pair("f", 19, None, "high")], higher_is_better=False, reliability=0.82, sd=5)
    assert (result.started, result.paired, result.missing_exit, result.too_few) == (6, 5, 1, False)
    # entry 20 18 15 22 25 (mean 20), exit 14 15 15 16 20 (mean 16)
    assert result.mean_entry == 20 and result.mean_exit == 16
    # changes -6 -3 0 -6 -5: mean -4; deviations -2 1 4 -2 -1, squares 4 1 16 4 1 = 26;
    # SD = sqrt(26 / 4) = 2.5495; SE = 2.5495 / sqrt(5) = 1.1402; t(0.975, 4 df) = 2.7764;
    # half-width 2.7764 * 1.1402 = 3.1656: interval -7.166 to -0.834
    assert result.mean_change == -4
    assert result.ci_low == pytest.approx(-7.1656, abs=1e-4)
    assert result.ci_high == pytest.approx(-0.8344, abs=1e-4)
    # entry SD: deviations 0 -2 -5 2 5, squares 0 4 25 4 25 = 58; sqrt(58 / 4) = 3.8079; -4 / 3.8079 = -1.0505
    assert result.effect_size == pytest.approx(-1.0505, abs=1e-4)
    # S_diff = sqrt(2) * 5 * sqrt(0.18) = 3.0, so a change of more than 1.96 * 3.0 = 5.88 points is reliable:
    # -6 and -6 improved (lower is better); -3, 0 and -5 are within it
    assert result.reliable_difference == pytest.approx(5.88)
    assert (result.improved, result.no_change, result.deteriorated) == (2, 3, 0)
    assert (result.improved_share, result.no_change_share, result.deteriorated_share) == (0.4, 0.6, 0.0)
    # four of the five paired started high or very high: fewer than five, so how many left is not given
    assert result.started_high == 4 and result.left_high is None and result.left_high_share is None
    assert result.verdict == (
        "On average the 5 children's scores improved by 4.0 points (95% confidence interval -7.2 to -0.8). "
        "The interval does not include no change, so chance alone is an unlikely explanation; without a "
        "comparison group this does not show that the help caused it. 1 of the 6 children who started have "
        "no exit score and are not counted: the result may not hold for them."
    )


def test_reliable_change_uses_the_entry_scores_spread_when_no_sd_is_given():
    result = measure_change(FIVE, higher_is_better=False, reliability=0.82)
    # S_diff = 3.8079 * 0.6 = 2.2847; 1.96 * 2.2847 = 4.478: -6, -6 and -5 improved; -3 and 0 did not
    assert result.reliable_difference == pytest.approx(4.478, abs=1e-3)
    assert (result.improved, result.no_change, result.deteriorated) == (3, 2, 0)


def test_leaving_the_high_bands_is_counted_when_five_or_more_started_high():
    pairs = [
        Pair("a", 20, 12, "very_high", "close_to_average"),
        Pair("b", 18, 13, "high", "slightly_raised"),
        Pair("c", 19, 19, "high", "high"),
        Pair("d", 22, 21, "very_high", "very_high"),
        Pair("e", 25, 14, "very_high", "slightly_raised"),
        Pair("f", 10, 8, "close_to_average", "close_to_average"),
    ]
    result = measure_change(pairs, higher_is_better=False, reliable_difference=5)
    assert (result.started_high, result.left_high, result.left_high_share) == (5, 3, 0.6)
    # changes -8 -5 0 -1 -11 -2: at least 5 points is reliable here
    assert (result.improved, result.no_change, result.deteriorated) == (3, 3, 0)


def test_goals_are_better_higher_and_reliable_at_2_45():
    pairs = [
        Pair(c, first, last) for c, first, last in [("a", 2, 6), ("b", 3, 5), ("c", 5, 2), ("d", 1, 7), ("e", 4, 4)]
    ]
    result = measure_change(pairs, higher_is_better=True, reliable_difference=GBO_RELIABLE_CHANGE)
    # changes +4 +2 -3 +6 0
    assert (result.improved, result.no_change, result.deteriorated) == (2, 2, 1)
    assert result.mean_change == pytest.approx(1.8)


def test_an_interval_that_includes_no_change_says_so():
    pairs = [
        Pair(str(n), entry, exit_) for n, (entry, exit_) in enumerate([(10, 12), (10, 8), (10, 11), (10, 9), (10, 10)])
    ]
    result = measure_change(pairs, higher_is_better=False)
    # changes +2 -2 +1 -1 0: mean 0; SD sqrt(10 / 4) = 1.5811; half-width 2.7764 * 1.5811 / sqrt(5) = 1.963
    assert result.ci_low == pytest.approx(-1.963, abs=1e-3) and result.ci_high == pytest.approx(1.963, abs=1e-3)
    assert result.effect_size is None  # every entry score the same: no spread to standardise by
    assert result.improved is None  # neither a reliability nor a reliable difference given
    assert result.verdict == (
        "The average change for the 5 children (0.0 points, 95% confidence interval -2.0 to +2.0) could be no "
        "change at all: these scores do not show a clear improvement or deterioration."
    )


def test_too_few_children_give_no_figures():
    pairs = [*FIVE[:3], Pair("x", 20, None), Pair("y", 21, None), Pair("z", 17, None)]
    result = measure_change(pairs, higher_is_better=False, reliability=0.82)
    assert (result.started, result.paired, result.missing_exit, result.too_few) == (6, 3, 3, True)
    assert result.verdict == (
        "Too few children with scores at entry and exit to conclude anything (3; at least 5 are needed)."
    )
    assert result.mean_change is None and result.ci_low is None and result.improved is None
    assert result.started_high is None and result.effect_size is None


def test_scores_that_are_not_numbers_are_refused():
    with pytest.raises(ValueError, match="child b: nan is not a score"):
        measure_change([Pair("a", 1, 2), Pair("b", math.nan, 2)], higher_is_better=True)
