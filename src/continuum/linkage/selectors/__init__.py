"""Reads of record linkage. Other modules use only what is exported here.

By concern: review (the clerical review queue, a pair, the history of merges), identities (who a person is across
the feeds, for the single view; the runs, for administrators).
"""

from continuum.linkage.selectors.identities import (
    identity_of_person,
    linked_source_people,
    records_of_identity,
    run_list,
)
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
    "identity_of_person",
    "linked_source_people",
    "records_of_identity",
    "review_pair",
    "review_queue",
    "run_list",
]
