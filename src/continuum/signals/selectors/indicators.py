"""A child's indicators as the single view shows them (skeleton: helper A builds it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from continuum.people.selectors import RecordContext


@dataclass(frozen=True)
class ShownIndicator:
    name: str  # in the definitions
    label: str  # "Attendance rate"
    window: str  # last_90_days, school_year, last_12_months
    window_label: str  # "Last 90 days"
    display: str  # "87.5%", "3"
    value: float
    numerator: int
    denominator: int | None
    met: bool | None  # for a threshold (persistent absence)
    definition_url: str
    trend: list[tuple[datetime.date, float]] = field(default_factory=list)  # earlier periods, oldest first


def child_indicators(ctx: RecordContext) -> list[ShownIndicator]:
    """The child's indicators from the latest run, only those in categories the viewer may read."""
    return []
