"""The agency feeds as plain Python (no Django): definitions, checking, and attendance marks at scale."""

from continuum.signals.feeds.spec import (
    Checked,
    Column,
    Event,
    Feed,
    FeedTable,
    Person,
    Problem,
    Rejected,
    Row,
    SourceFile,
)

__all__ = [
    "Checked",
    "Column",
    "Event",
    "Feed",
    "FeedTable",
    "Person",
    "Problem",
    "Rejected",
    "Row",
    "SourceFile",
]
