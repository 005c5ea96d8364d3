"""Reads of record linkage. Other modules use only what is exported here."""

from continuum.linkage.selectors.review import (
    History,
    MergeView,
    PairView,
    ReviewQueue,
    can_read_history,
    identity_change,
    identity_history,
    review_pair,
    review_queue,
)

__all__ = [
    "History",
    "MergeView",
    "PairView",
    "ReviewQueue",
    "can_read_history",
    "identity_change",
    "identity_history",
    "review_pair",
    "review_queue",
]
