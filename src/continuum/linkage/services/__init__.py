"""Writes of record linkage. Other modules (and the pages, and the commands) use only what is exported here.

By concern: running (linking every record, or the new ones), review (a reviewer's decision on a pair), merging
(merge and unmerge), evaluation (against a known truth), records (reading the records into the engine's tables).
"""

from continuum.linkage.services.common import LinkageError, pair_state
from continuum.linkage.services.evaluation import Evaluation, evaluate_linkage
from continuum.linkage.services.merging import merge_identities, unmerge
from continuum.linkage.services.records import RecordSet, read_records
from continuum.linkage.services.review import DECISIONS, current_state, decide_review
from continuum.linkage.services.running import RunResult, run_linkage, trained_model

__all__ = [
    "DECISIONS",
    "Evaluation",
    "LinkageError",
    "RecordSet",
    "RunResult",
    "current_state",
    "decide_review",
    "evaluate_linkage",
    "merge_identities",
    "pair_state",
    "read_records",
    "run_linkage",
    "trained_model",
    "unmerge",
]
