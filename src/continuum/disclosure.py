"""Small-number suppression: no published count small enough to pick out a child.

Plain Python. Every count and chart of children that leaves the service goes through here, so the
rule is written once: a count from 1 to SMALL_NUMBER - 1 is shown as "fewer than 5", and a zero is
shown as zero (it identifies nobody).
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL_NUMBER = 5


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int | None  # None when suppressed

    @property
    def shown(self) -> str:
        return f"fewer than {SMALL_NUMBER}" if self.count is None else f"{self.count:,}"


def suppress(label: str, count: int) -> CountRow:
    """One labelled count, suppressed if it is small enough to identify someone."""
    return CountRow(label, count if count == 0 or count >= SMALL_NUMBER else None)
