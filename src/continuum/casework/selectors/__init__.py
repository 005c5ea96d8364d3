"""Reading casework. Other modules use only what is exported here."""

from continuum.casework.selectors.caseload import Caseload, CaseloadRow, caseload
from continuum.casework.selectors.cohorts import (
    CohortPage,
    FeedbackSummary,
    Retention,
    cohort_list,
    cohort_page,
    feedback_index,
    feedback_summary,
    retention,
)
from continuum.casework.selectors.episodes import episode_get, goal_get, session_get
from continuum.casework.selectors.for_signals import EpisodeForView, Worker, episodes_for_view
from continuum.casework.selectors.pages import AssessmentPage, EpisodePage, assessment_page, episode_page, plan_needs
from continuum.casework.selectors.reporting import goal_rating_changes, programme_activity
from continuum.casework.services._common import works_on

__all__ = [
    "AssessmentPage",
    "Caseload",
    "CaseloadRow",
    "EpisodeForView",
    "CohortPage",
    "EpisodePage",
    "FeedbackSummary",
    "Retention",
    "Worker",
    "assessment_page",
    "caseload",
    "cohort_list",
    "cohort_page",
    "episode_get",
    "episode_page",
    "episodes_for_view",
    "feedback_index",
    "feedback_summary",
    "goal_get",
    "goal_rating_changes",
    "plan_needs",
    "programme_activity",
    "retention",
    "session_get",
    "works_on",
]
