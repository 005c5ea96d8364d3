"""Causes for concern (skeleton: helper C builds it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from continuum.people.selectors import RecordContext


@dataclass
class ConcernsShown:
    """What one viewer sees of a child's causes for concern (helper C decides the fields)."""

    items: list[Any] = field(default_factory=list)


def concerns_for_view(ctx: RecordContext) -> ConcernsShown:
    return ConcernsShown()
