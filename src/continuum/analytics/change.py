"""Change on an outcome measure, for one child and for a programme: honest about error and small numbers.

Reliable change
    Jacobson, N. S. & Truax, P. (1991). Clinical significance: a statistical approach to defining
    meaningful change in psychotherapy research. Journal of Consulting and Clinical Psychology, 59(1),
    12-19. The standard error of the difference between two scores is S_diff = sqrt(2) * SD * sqrt(1 - r)
    (SD: the standard deviation of the scores before help; r: the measure's reliability); the reliable
    change index is RCI = (after - before) / S_diff, and a change is reliable when |RCI| > 1.96 (a
    change that measurement error alone would produce less than 5% of the time).

Goal-based outcomes (GBO)
    Goals rated 0-10. Edbrooke-Childs, J., Jacob, J., Law, D., Deighton, J. & Wolpert, M. (2015).
    Interpreting standardized and idiographic outcome measures in CAMHS: what does change mean and how
    does it relate to functioning and experience? Child and Adolescent Mental Health, 20(3), 142-148:
    a change of 2.45 points or more between the first and last rating is reliable change (the figure CORC
    uses for the GBO). The paper's record was found; the 2.45 figure itself could not be read in a public
    copy while writing this, so it is as the brief and CORC's guidance give it.

SDQ reliabilities
    Goodman, R. (2001). Psychometric properties of the Strengths and Difficulties Questionnaire. Journal
    of the American Academy of Child and Adolescent Psychiatry, 40(11), 1337-1345: internal consistency
    (Cronbach's alpha) in a national British sample of 10,438 5-15-year-olds, mean .73 over its scales.
    `SDQ_RELIABILITY` holds the alphas by informant and score. Only the paper's abstract (the mean) could
    be read in a public copy while writing this; the table's values are as the paper is widely quoted, and
    should be checked against the paper before the reliable-change figures are published.

A programme's change (`measure_change`)
    Paired scores only (a child with an entry and an exit score); the mean change, exit - entry, with a
    95% confidence interval from Student's t distribution with n - 1 degrees of freedom; a standardised
    effect size, the mean change divided by the standard deviation of the entry scores (the "effect
    size" of Kazis, Anderson & Meenan 1989, Medical Care 27(3 Suppl), S178-S189: Cohen's d with the
    baseline standard deviation); the numbers with reliable improvement, no reliable change and reliable
    deterioration; and how many of those who started in the high bands left them. Nothing is computed
    for fewer than `minimum` (5) children: the result says so instead.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from scipy import stats

RELIABLE_Z: Final = 1.96
GBO_RELIABLE_CHANGE: Final = 2.45
GBO_LOWEST: Final = 0
GBO_HIGHEST: Final = 10
MINIMUM_CHILDREN: Final = 5

RELIABLE_IMPROVEMENT: Final = "reliable_improvement"
NO_RELIABLE_CHANGE: Final = "no_reliable_change"
RELIABLE_DETERIORATION: Final = "reliable_deterioration"

# Goodman (2001), internal consistency (Cronbach's alpha), by (informant, score): see the module docstring.
SDQ_RELIABILITY: Final[Mapping[tuple[str, str], float]] = {
    ("parent", "total"): 0.82,
    ("teacher", "total"): 0.87,
    ("self", "total"): 0.80,
    ("parent", "emotional"): 0.67,
    ("teacher", "emotional"): 0.78,
    ("self", "emotional"): 0.66,
    ("parent", "conduct"): 0.63,
    ("teacher", "conduct"): 0.74,
    ("self", "conduct"): 0.60,
    ("parent", "hyperactivity"): 0.77,
    ("teacher", "hyperactivity"): 0.88,
    ("self", "hyperactivity"): 0.67,
    ("parent", "peer"): 0.57,
    ("teacher", "peer"): 0.70,
    ("self", "peer"): 0.41,
    ("parent", "prosocial"): 0.65,
    ("teacher", "prosocial"): 0.84,
    ("self", "prosocial"): 0.66,
    ("parent", "impact"): 0.81,
    ("teacher", "impact"): 0.85,
    ("self", "impact"): 0.74,
}


def reliable_change_index(pre: float, post: float, *, sd: float, reliability: float) -> float:
    """Jacobson & Truax's RCI: (post - pre) / (sqrt(2) * sd * sqrt(1 - reliability)); reliable when |RCI| > 1.96."""
    return (post - pre) / _s_diff(sd, reliability)


def _s_diff(sd: float, reliability: float) -> float:
    if not (math.isfinite(sd) and sd > 0):
        raise ValueError(f"the standard deviation must be a positive number, not {sd!r}")
    if not 0 <= reliability < 1:
        raise ValueError(f"the reliability must be from 0 to below 1, not {reliability!r}")
    return math.sqrt(2) * sd * math.sqrt(1 - reliability)


@dataclass(frozen=True)
class GoalChange:
    """A goal's change from its first to its last rating, and whether it is reliable (`outcome`)."""

    first: float
    last: float
    change: float
    outcome: str  # RELIABLE_IMPROVEMENT, NO_RELIABLE_CHANGE or RELIABLE_DETERIORATION


def goal_change(first: float, last: float) -> GoalChange:
    """The change on a goal-based outcome (rated 0-10, higher is better): reliable at 2.45 points or more."""
    for name, rating in (("first", first), ("last", last)):
        if isinstance(rating, bool) or not isinstance(rating, int | float) or not math.isfinite(rating):
            raise ValueError(f"the {name} goal rating must be a number from 0 to 10, not {rating!r}")
        if not GBO_LOWEST <= rating <= GBO_HIGHEST:
            raise ValueError(f"the {name} goal rating is {rating}: goals are rated from 0 to 10")
    change = last - first
    return GoalChange(first, last, change, _outcome(change, GBO_RELIABLE_CHANGE, higher_is_better=True, strict=False))


def _outcome(change: float, reliable: float, *, higher_is_better: bool, strict: bool) -> str:
    """Which way a change goes, if it is at least (strict: more than) `reliable` points."""
    size = abs(change)
    if size < reliable or (strict and size == reliable):
        return NO_RELIABLE_CHANGE
    return RELIABLE_IMPROVEMENT if (change > 0) == higher_is_better else RELIABLE_DETERIORATION


@dataclass(frozen=True)
class Pair:
    """One child's entry score and exit score (None when there is no exit score), with their bands."""

    child_id: str
    entry: float
    exit: float | None
    entry_band: str | None = None
    exit_band: str | None = None


@dataclass(frozen=True)
class MeasureChange:
    """What a programme's paired scores on one measure show.

    Only `started`, `paired`, `missing_exit`, `too_few` and `verdict` are given when fewer than `minimum`
    children have both scores; every figure is None then. `reliable_difference` is the change in points
    that counts as reliable (given, or 1.96 * S_diff); the reliable-change counts are None when neither a
    reliable difference nor a reliability was given. `left_high` is None when fewer than `minimum` started
    in a high band. Changes are exit - entry: negative is better when lower scores are better.
    """

    started: int
    paired: int
    missing_exit: int
    minimum: int
    too_few: bool
    higher_is_better: bool
    verdict: str
    mean_entry: float | None = None
    mean_exit: float | None = None
    mean_change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    effect_size: float | None = None
    reliable_difference: float | None = None
    improved: int | None = None
    no_change: int | None = None
    deteriorated: int | None = None
    improved_share: float | None = None
    no_change_share: float | None = None
    deteriorated_share: float | None = None
    started_high: int | None = None
    left_high: int | None = None
    left_high_share: float | None = None


def measure_change(
    pairs: Sequence[Pair],
    *,
    higher_is_better: bool,
    reliability: float | None = None,
    reliable_difference: float | None = None,
    sd: float | None = None,
    high_bands: frozenset[str] = frozenset({"high", "very_high"}),
    minimum: int = MINIMUM_CHILDREN,
) -> MeasureChange:
    """The change from entry to exit over `pairs` (see the module docstring for the methods).

    Reliable change: at least `reliable_difference` points when it is given (as for goal-based
    outcomes); otherwise Jacobson & Truax with `reliability` and `sd` (the SD of the entry scores when
    `sd` is None). A child started high when the entry band is in `high_bands`, and left when the exit
    band is known and is not.
    """
    for pair in pairs:
        for value in (pair.entry, pair.exit):
            if value is not None and (isinstance(value, bool) or not math.isfinite(value)):
                raise ValueError(f"child {pair.child_id}: {value!r} is not a score")
    if minimum < 2:
        raise ValueError("at least two children are needed to estimate a spread")
    complete = [pair for pair in pairs if pair.exit is not None]
    started, paired = len(pairs), len(complete)
    missing = started - paired
    if paired < minimum:
        verdict = (
            f"Too few children with scores at entry and exit to conclude anything "
            f"({paired}; at least {minimum} are needed)."
        )
        return MeasureChange(started, paired, missing, minimum, True, higher_is_better, verdict)

    entry = [pair.entry for pair in complete]
    exits = [float(pair.exit) for pair in complete if pair.exit is not None]
    changes = [after - before for before, after in zip(entry, exits, strict=True)]
    mean_change = statistics.fmean(changes)
    spread = statistics.stdev(changes)
    half = float(stats.t.ppf(0.975, paired - 1)) * spread / math.sqrt(paired)
    entry_sd = statistics.stdev(entry)
    effect = mean_change / entry_sd if entry_sd > 0 else None

    threshold: float | None = None
    strict = False
    if reliable_difference is not None:
        if not (math.isfinite(reliable_difference) and reliable_difference > 0):
            raise ValueError(f"the reliable difference must be a positive number, not {reliable_difference!r}")
        threshold = reliable_difference
    elif reliability is not None:
        basis = sd if sd is not None else entry_sd
        if basis > 0:
            threshold, strict = RELIABLE_Z * _s_diff(basis, reliability), True
    counts: dict[str, int] | None = None
    if threshold is not None:
        outcomes = [_outcome(change, threshold, higher_is_better=higher_is_better, strict=strict) for change in changes]
        counts = {
            kind: outcomes.count(kind) for kind in (RELIABLE_IMPROVEMENT, NO_RELIABLE_CHANGE, RELIABLE_DETERIORATION)
        }

    high = [pair for pair in complete if pair.entry_band in high_bands]
    left = sum(1 for pair in high if pair.exit_band is not None and pair.exit_band not in high_bands)
    enough_high = len(high) >= minimum

    return MeasureChange(
        started=started,
        paired=paired,
        missing_exit=missing,
        minimum=minimum,
        too_few=False,
        higher_is_better=higher_is_better,
        verdict=_verdict(mean_change, mean_change - half, mean_change + half, paired, started, higher_is_better),
        mean_entry=statistics.fmean(entry),
        mean_exit=statistics.fmean(exits),
        mean_change=mean_change,
        ci_low=mean_change - half,
        ci_high=mean_change + half,
        effect_size=effect,
        reliable_difference=threshold,
        improved=counts[RELIABLE_IMPROVEMENT] if counts else None,
        no_change=counts[NO_RELIABLE_CHANGE] if counts else None,
        deteriorated=counts[RELIABLE_DETERIORATION] if counts else None,
        improved_share=counts[RELIABLE_IMPROVEMENT] / paired if counts else None,
        no_change_share=counts[NO_RELIABLE_CHANGE] / paired if counts else None,
        deteriorated_share=counts[RELIABLE_DETERIORATION] / paired if counts else None,
        started_high=len(high),
        left_high=left if enough_high else None,
        left_high_share=left / len(high) if enough_high else None,
    )


def _verdict(mean: float, low: float, high: float, paired: int, started: int, higher_is_better: bool) -> str:
    interval = f"95% confidence interval {_points(low)} to {_points(high)}"
    if low > 0 or high < 0:
        better = (mean > 0) == higher_is_better
        direction = "improved" if better else "got worse"
        sentence = (
            f"On average the {paired} children's scores {direction} by {abs(mean):.1f} points ({interval}). "
            f"The interval does not include no change, so chance alone is an unlikely explanation; "
            f"without a comparison group this does not show that the help caused it."
        )
    else:
        sentence = (
            f"The average change for the {paired} children ({_points(mean)} points, {interval}) "
            f"could be no change at all: these scores do not show a clear improvement or deterioration."
        )
    if started > paired:
        missing = started - paired
        sentence += (
            f" {missing} of the {started} children who started have no exit score"
            " and are not counted: the result may not hold for them."
        )
    return sentence


def _points(value: float) -> str:
    """A change to one decimal, with its sign ("-2.3", "+0.4", "0.0")."""
    shown = f"{value:.1f}"
    if shown in ("-0.0", "0.0"):
        return "0.0"
    return shown if value < 0 else f"+{shown}"
