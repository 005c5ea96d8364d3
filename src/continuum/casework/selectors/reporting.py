"""Casework's half of the programme outcome report: counts over a programme's episodes in a period.

Only counts and the ids the report needs to pair questionnaires (never a name): the outcome report
(`continuum.measures.selectors.programme_outcomes`) audits the read and suppresses small numbers before
anything is shown. The period runs from `start` to `end`, both days included.

- Started: episodes whose start date falls in the period. Closed: episodes whose end date falls in it.
- Sessions: one-to-one, family, group and school sessions held in the period, by attendance.
- Group courses: the programme's cohorts that ended in the period, and how many who started stayed to
  the end (retention, against the programme's target).
- Goals: for each child whose episode closed in the period, the mean of each goal's first rating and
  the mean of each goal's last rating (goals rated at least twice).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q

from continuum.agencies import access
from continuum.agencies.access import SystemActor
from continuum.casework.models import CohortMember, Episode, GoalRating, Session


def may_read_programme_figures(viewer: Any) -> bool:
    """Who may read a programme's figures: those who see aggregates, and commands run by the system."""
    return isinstance(viewer, SystemActor) or access.can_see_aggregates(viewer)


@dataclass(frozen=True)
class ClosedEpisode:
    episode_id: Any
    person_id: Any
    start_date: datetime.date
    end_date: datetime.date
    closure_reason: str


@dataclass(frozen=True)
class CohortRetention:
    """Group courses that ended in the period: children who started them and children who stayed to the end."""

    courses: int
    started: int
    stayed: int


@dataclass(frozen=True)
class ProgrammeActivity:
    children_started: int  # distinct children with an episode starting in the period
    children_closed: int  # distinct children with an episode closing in the period
    closure_reasons: dict[str, int]  # closure reason code -> children (their last episode closed in the period)
    sessions: dict[str, int]  # attendance code -> sessions held in the period
    retention: CohortRetention
    closed: list[ClosedEpisode] = field(default_factory=list)  # one per child: their last episode closed


def _closed(programme_id: Any, start: datetime.date, end: datetime.date) -> list[ClosedEpisode]:
    rows = (
        Episode.objects.filter(programme_id=programme_id, end_date__gte=start, end_date__lte=end)
        .order_by("person_id", "end_date", "created_at")
        .values_list("pk", "person_id", "start_date", "end_date", "closure_reason")
    )
    last: dict[Any, ClosedEpisode] = {}
    for pk, person_id, started, ended, reason in rows:
        assert ended is not None  # filtered on it
        last[person_id] = ClosedEpisode(pk, person_id, started, ended, reason)
    return list(last.values())


def programme_activity(
    *, viewer: Any, programme_id: Any, start: datetime.date, end: datetime.date
) -> ProgrammeActivity:
    """The programme's episodes, sessions and group courses in the period (not audited: the report audits)."""
    access.require(may_read_programme_figures(viewer))
    started = (
        Episode.objects.filter(programme_id=programme_id, start_date__gte=start, start_date__lte=end)
        .values("person_id")
        .distinct()
        .count()
    )
    closed = _closed(programme_id, start, end)
    sessions = dict(
        Session.objects.filter(episode__programme_id=programme_id, held_on__gte=start, held_on__lte=end)
        .values_list("attendance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # A member who left on or after the course's end date stayed to the end.
    members = CohortMember.objects.filter(
        cohort__programme_id=programme_id, cohort__end_date__gte=start, cohort__end_date__lte=end
    ).aggregate(
        courses=Count("cohort_id", distinct=True),
        started=Count("pk"),
        stayed=Count("pk", filter=Q(left_on__isnull=True) | Q(left_on__gte=F("cohort__end_date"))),
    )
    return ProgrammeActivity(
        children_started=started,
        children_closed=len(closed),
        closure_reasons=dict(Counter(episode.closure_reason for episode in closed)),
        sessions=sessions,
        retention=CohortRetention(members["courses"] or 0, members["started"] or 0, members["stayed"] or 0),
        closed=closed,
    )


def goal_rating_changes(*, viewer: Any, episode_ids: Iterable[Any]) -> dict[Any, tuple[float, float | None]]:
    """For each child (person id) with a rated goal in these episodes: the mean of their goals' first ratings and
    the mean of their last ratings over goals rated at least twice (None when no goal has a second rating)."""
    access.require(may_read_programme_figures(viewer))
    ratings = (
        GoalRating.objects.filter(goal__plan__episode_id__in=list(episode_ids))
        .order_by("goal_id", "rated_on", "id")
        .values_list("goal__plan__episode__person_id", "goal_id", "rating")
    )
    by_goal: dict[Any, list[int]] = defaultdict(list)
    person_of: dict[Any, Any] = {}
    for person_id, goal_id, rating in ratings:
        by_goal[goal_id].append(rating)
        person_of[goal_id] = person_id
    firsts: dict[Any, list[int]] = defaultdict(list)
    lasts: dict[Any, list[int]] = defaultdict(list)
    once: dict[Any, list[int]] = defaultdict(list)
    for goal_id, values in by_goal.items():
        if len(values) >= 2:
            firsts[person_of[goal_id]].append(values[0])
            lasts[person_of[goal_id]].append(values[-1])
        else:
            once[person_of[goal_id]].append(values[0])
    changes: dict[Any, tuple[float, float | None]] = {}
    for person in set(firsts) | set(once):
        if person in firsts:
            changes[person] = (sum(firsts[person]) / len(firsts[person]), sum(lasts[person]) / len(lasts[person]))
        else:
            changes[person] = (sum(once[person]) / len(once[person]), None)
    return changes
