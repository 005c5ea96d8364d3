"""Checking a feed's files (every feed but attendance marks, which `marks` checks in DuckDB): each cell against its
column, keys unique within a file, identifiers' check characters, and the table's row checks.

    checked = check_feed(FEEDS["police"], [Path("police.csv")])
    checked.errors      # FILE:LINE:FIELD problems; the caller loads nothing when there are any
    checked.rows        # typed rows (with the quarantine: the rows without errors)

Never raises for a problem in a file: every problem, up to MAX_PROBLEMS, is in the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from continuum.signals.feeds.spec import Checked, Feed, Progress

MAX_PROBLEMS = 200  # problems reported per load; the rest are counted in a final line


def check_feed(
    feed: Feed, paths: Sequence[Path], *, names: Sequence[str] | None = None, progress: Progress | None = None
) -> Checked:
    """Check every file of one load. `names` are the files as the caller named them (shown in problems); by
    default the paths as given. A later file's row replaces an earlier file's row with the same key."""
    raise NotImplementedError
