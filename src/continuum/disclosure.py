"""Small-number suppression: no published count small enough to pick out a child, or to be worked out.

Plain Python. Every count, table and chart of children that leaves the service goes through here, so
the rule is written once.

The rule is the cell suppression that the Office for National Statistics, the Department for Education
and NHS England (formerly NHS Digital) describe in their statistical disclosure control guidance for
tables of counts: first hide the cells small enough to identify someone (primary suppression), then hide
enough other cells that the small ones cannot be got back by subtracting what is still shown from a
total (secondary, or complementary, suppression).

**Primary suppression.** A count from 1 to SMALL_NUMBER - 1 is not shown. A zero is always shown: it
identifies nobody. So a hidden cell is never zero, and anyone may know that.

**Secondary suppression.** In a table whose cells add up to a known total, hiding one cell is not
enough: with 9 children, of whom 7 are boys and none of unknown sex, 9 - 7 - 0 gives the hidden number
of girls. The total counts as known when it is published, and also when it is not but could be worked
out: every breakdown of the same children adds up to the same number, so one breakdown shown in full
gives it away. So whenever a cell of such a table is hidden, `suppress_table` hides further cells, the
smallest non-zero count first and every cell with that count together, until

1. at least two cells are hidden,
2. the hidden counts are not all 1, and
3. the hidden counts are not all SMALL_NUMBER - 1, unless every non-zero count is hidden.

Subtraction then gives only what the hidden counts add up to. Why that is enough, even for a reader who
knows this rule: which cells are hidden depends on the counts alone, never on where they sit in the
table, so swapping two hidden counts gives a table that would be published exactly the same way, and a
hidden count can only be pinned down if all the hidden counts are equal. They are then all small (at
least one is). All 1s would be given away, as the hidden cells would add up to their number: condition
2. All 2s or all 3s could as well be other small counts (2 + 2 = 1 + 3), published the same way. All
SMALL_NUMBER - 1 (4s), beside non-zero counts still shown, could be nothing else: small counts adding up
to four times their number are all 4, and a larger count would only have been hidden with them had they
not been enough on their own: condition 3. (With every non-zero count hidden, 4 + 4 could be 3 + 5.)
Equal counts go together because splitting them by place would tell: had the first of two equal counts
been hidden and the second shown, the hidden one would be known to be no larger than the shown one.

The tests try every table of up to five cells adding up to at most 24, of six up to 14, and thousands of
larger random ones, as that reader and as one who only subtracts: each hidden count always has at least
two possible values. That is the whole guarantee: a reader may still learn that two hidden counts are 1
and 20 without knowing which is which.

In a table with a total every hidden cell reads "suppressed", whether it was small or hidden to protect
another, so a reader cannot tell which is which. A table whose cells do not add up to anything (children
with each kind of involvement, where one child can have several) needs only primary suppression, and its
hidden cells read "fewer than 5".

Sometimes nothing can be hidden that protects a table: all the children are in one small cell (so there
are fewer than SMALL_NUMBER of them), or each non-zero cell holds exactly one child. `suppress_table`
then raises `TableDiscloses` and the table must not be published. That can only happen when there are
fewer than SMALL_NUMBER children, or no more children than the table has cells.

These are one-way tables, whose cells add up to one total. A cross-tabulation, with totals for each row
and each column, needs every row and column protected at once, which this module does not do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SMALL_NUMBER = 5

FEWER_THAN = f"fewer than {SMALL_NUMBER}"
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None  # None when suppressed
    hidden_as: str = FEWER_THAN  # what a reader sees in place of a suppressed count

    @property
    def shown(self) -> str:
        return self.hidden_as if self.count is None else f"{self.count:,}"


class TableDiscloses(ValueError):
    """No choice of cells to hide stops this table's small counts being worked out from its total."""


def _small(count: int) -> bool:
    return 0 < count < SMALL_NUMBER


def suppress(label: str, count: int) -> CountRow:
    """A count published on its own, suppressed if it is small enough to identify someone.

    Never use it cell by cell for a table whose cells add up to a total: that is `suppress_table`.
    """
    if count < 0:
        raise ValueError(f"{label}: a count cannot be negative ({count})")
    return CountRow(label, None if _small(count) else count)


def suppress_table(rows: Sequence[tuple[str, int]], *, total: int | None) -> list[CountRow]:
    """A table of labelled counts: small counts hidden and, given its total, enough others hidden with them.

    `total` is what the counts add up to, when that is published or could be worked out (every
    breakdown of the same children has the same total): pass it even if the page does not print it.
    Pass None only when the counts do not add up to a number of children, as when one child can be
    counted in several rows. Raises `TableDiscloses` when no cells can be hidden that protect the table.
    """
    counts = [count for _, count in rows]
    if any(count < 0 for count in counts):
        raise ValueError(f"a count cannot be negative: {list(rows)}")
    if total is None:
        return [suppress(label, count) for label, count in rows]
    if sum(counts) != total:
        raise ValueError(f"the counts add up to {sum(counts):,}, not to the total {total:,}")
    hidden = {i for i, count in enumerate(counts) if _small(count)}
    if hidden:
        # Zeros are never hidden, so a hidden cell is at least 1. Equal counts go together.
        candidates = sorted({count for i, count in enumerate(counts) if count > 0 and i not in hidden})
        while not _protected(counts, hidden):
            if not candidates:
                raise TableDiscloses(f"{len(rows)} counts adding up to {total:,} cannot be protected")
            smallest = candidates.pop(0)
            hidden.update(i for i, count in enumerate(counts) if count == smallest)
    return [CountRow(label, None if i in hidden else count, SUPPRESSED) for i, (label, count) in enumerate(rows)]


def _protected(counts: Sequence[int], hidden: set[int]) -> bool:
    """Conditions 1 to 3 of the module's rule: no hidden count can be pinned down."""
    values = {counts[i] for i in hidden}
    everything_hidden = all(count == 0 or i in hidden for i, count in enumerate(counts))
    return len(hidden) >= 2 and values != {1} and (values != {SMALL_NUMBER - 1} or everything_hidden)
