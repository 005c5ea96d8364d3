"""Writes of the agency feeds: loading a feed's files (checked first, then all or nothing, or with the quarantine)."""

from continuum.signals.services.alerts import AlertsResult, alert_follow_up, raise_attendance_alerts  # noqa: F401
from continuum.signals.services.gap import GapFinderError, GapResult, run_gap_finder
from continuum.signals.services.indicators import IndicatorsError, refresh_indicators
from continuum.signals.services.loading import (
    FeedLoadError,
    LoadResult,
    csv_files,
    load_feed,
    load_feed_folder,
)

__all__ = [
    "FeedLoadError",
    "IndicatorsError",
    "GapFinderError",
    "GapResult",
    "LoadResult",
    "csv_files",
    "load_feed",
    "load_feed_folder",
    "refresh_indicators",
    "run_gap_finder",
]
