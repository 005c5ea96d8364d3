"""Writing casework. Other modules use only what is exported here."""

from continuum.casework.services.assessments import DomainAnswer, assessment_record
from continuum.casework.services.cohorts import (
    cohort_create,
    cohort_facilitator_add,
    cohort_member_add,
    cohort_member_leave,
    cohort_session_record,
)
from continuum.casework.services.episodes import (
    episode_close,
    episode_open,
    family_member_add,
    team_member_add,
    team_member_end,
)
from continuum.casework.services.feedback import feedback_record
from continuum.casework.services.plans import goal_add, goal_rate, plan_save, review_record
from continuum.casework.services.sessions import session_limit_extend, session_record

__all__ = [
    "DomainAnswer",
    "assessment_record",
    "cohort_create",
    "cohort_facilitator_add",
    "cohort_member_add",
    "cohort_member_leave",
    "cohort_session_record",
    "episode_close",
    "episode_open",
    "family_member_add",
    "feedback_record",
    "goal_add",
    "goal_rate",
    "plan_save",
    "review_record",
    "session_limit_extend",
    "session_record",
    "team_member_add",
    "team_member_end",
]
