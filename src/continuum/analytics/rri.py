"""The relative rate index (RRI): how much more (or less) often one group is counted than a reference group.

Plain Python. The RRI is the rate at which a group is counted (here: flagged by the gap finder) per child of the
group, divided by the same rate in a reference group:

    RRI = (a / n1) / (c / n2)

with `a` of the group's `n1` children counted and `c` of the reference group's `n2`. An RRI of 1 means the group is
counted at the reference group's rate; 2, twice as often; 0.5, half as often. It is the measure of the youth justice
disproportionality literature: the US Office of Juvenile Justice and Delinquency Prevention's method for measuring
disproportionate minority contact (Feyerherm and Butts, 2002; the DMC Technical Assistance Manual and the National DMC
Databook's "What is an RRI?"), which divides each group's rate of contact by the rate for White young people, the
majority group. Which group is the reference is the caller's choice (docs/gap-finder.md).

The 95% confidence interval is Katz's log method (Katz, Baptista, Azen and Pike, "Obtaining confidence intervals for
the risk ratio in cohort studies", Biometrics 34, 1978): the log of a ratio of two proportions is close to normal,
with standard error sqrt(1/a - 1/n1 + 1/c - 1/n2), so

    low, high = exp(ln(RRI) -+ z * sqrt(1/a - 1/n1 + 1/c - 1/n2))        (z = 1.96 for 95%)

An interval that does not include 1 says the difference is unlikely to be chance alone; a wide one says there are
too few children to tell.

Zero counts. With no child of the reference group counted (c = 0) there is no rate to compare with: the RRI is not
defined, and neither is its interval (all three are None). With none of the group counted (a = 0) the RRI is 0,
but the log method has no interval (ln 0): low and high are None, and the page says "not enough to tell". No
continuity correction (adding 0.5) is made: it would invent a rate the data do not have. A group or reference
group of no children, or more counted than there are children, is a mistake by the caller (ValueError).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the standard normal's 97.5th percentile: a two-sided 95% interval


@dataclass(frozen=True)
class RRI:
    """A relative rate index and its confidence interval; None where it is not defined (see the module)."""

    rri: float | None
    low: float | None
    high: float | None

    @property
    def significant(self) -> bool:
        """Whether the interval excludes 1 (the group's rate differs from the reference group's)."""
        return self.low is not None and self.high is not None and (self.low > 1 or self.high < 1)


def rate(events: int, population: int) -> float | None:
    """Events per child of the population (None for no children)."""
    return None if population <= 0 else events / population


def relative_rate_index(
    *,
    group_events: int,
    group_population: int,
    reference_events: int,
    reference_population: int,
    z: float = Z_95,
) -> RRI:
    """The group's rate over the reference group's, with Katz's log interval at `z` (95% by default)."""
    for name, events, population in (
        ("group", group_events, group_population),
        ("reference group", reference_events, reference_population),
    ):
        if population <= 0:
            raise ValueError(f"the {name} has no children ({population})")
        if not 0 <= events <= population:
            raise ValueError(f"the {name} has {events} counted of {population} children")
    if reference_events == 0:
        return RRI(None, None, None)
    index = (group_events / group_population) / (reference_events / reference_population)
    if group_events == 0:
        return RRI(0.0, None, None)
    spread = z * math.sqrt(1 / group_events - 1 / group_population + 1 / reference_events - 1 / reference_population)
    log_index = math.log(index)
    return RRI(index, math.exp(log_index - spread), math.exp(log_index + spread))
