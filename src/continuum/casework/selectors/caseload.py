"""A lead practitioner's caseload (and, for a team manager, their team's): open episodes with the last session and
days since (the plan records no future sessions), overdue reviews, questionnaires due, and children allocated
with no episode opened yet. A fixed number of queries, however many episodes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.selectors import lead_allocations, team_member_ids
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.casework.models import Episode
from continuum.casework.services.sessions import COUNTED


@dataclass(frozen=True)
class CaseloadRow:
    episode: Episode
    next_session: datetime.date | None  # booked, and not yet past
    last_session: datetime.date | None
    days_since: int | None
    sessions: int
    review_due: datetime.date | None
    review_overdue: bool
    measures_due: list[str]


@dataclass
class Caseload:
    team: bool  # the team manager's view of their team
    rows: list[CaseloadRow]
    to_open: list[Any]  # current lead allocations with no open episode (agencies' Allocation rows)
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def overdue(self) -> list[CaseloadRow]:
        return [r for r in self.rows if r.review_overdue]

    @property
    def measures_due(self) -> list[CaseloadRow]:
        return [r for r in self.rows if r.measures_due]


def _practitioner_ids(viewer: Any, *, team: bool) -> list[Any]:
    profile = access.profile_of(viewer)
    assert profile is not None
    if team and profile.team_id is not None:
        return team_member_ids(team_id=profile.team_id)
    return [profile.pk]


def caseload(*, viewer: Any, team: bool = False) -> Caseload:
    """The viewer's open episodes (with team=True, a team manager's whole team's), audited as one read."""
    access.require(access.can_lead_casework(viewer))
    team = team and access.can_manage_team(viewer)
    today = timezone.localdate()
    leads = _practitioner_ids(viewer, team=team)
    episodes = list(
        access.scoped(
            Episode.objects.current()
            .filter(lead_practitioner_id__in=leads)
            .select_related("person", "programme", "plan", "lead_practitioner")
            .annotate(
                last_session=Max("sessions__held_on", filter=Q(sessions__attendance="attended")),
                delivered=Count("sessions", filter=Q(sessions__attendance__in=COUNTED)),
            )
            .order_by("lead_practitioner__family_name", "start_date", "reference"),
            viewer,
        )
    )
    # Imported here: measures' selectors read casework's (for the outcome report), so a module-level import would
    # make the two packages import each other while loading.
    from continuum.measures.selectors import timepoints_recorded

    recorded = timepoints_recorded(episode_ids=[e.pk for e in episodes])
    to_open = list(
        access.scoped(
            lead_allocations(practitioner_ids=leads)
            .exclude(Exists(Episode.objects.current().filter(person_id=OuterRef("person_id"))))
            .order_by("start_date", "pk"),
            viewer,
        )
    )
    rows = []
    for e in episodes:
        plan = getattr(e, "plan", None)
        due = []
        if e.programme is not None and e.programme.measures and "entry" not in recorded.get(e.pk, set()):
            due.append(f"{', '.join(e.programme.measures)} at the start")
        rows.append(
            CaseloadRow(
                episode=e,
                next_session=e.next_session_on if e.next_session_on and e.next_session_on >= today else None,
                last_session=e.last_session,  # type: ignore[attr-defined]
                days_since=(today - e.last_session).days if e.last_session else None,  # type: ignore[attr-defined]
                sessions=e.delivered,  # type: ignore[attr-defined]
                review_due=plan.next_review_due if plan else None,
                review_overdue=plan is not None and plan.next_review_due < today,
                measures_due=due,
            )
        )
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("caseload"),
            event="casework.caseload_view",
            purpose="The team's caseload of episodes" if team else "The user's caseload of episodes",
            detail={"episodes": [str(e.pk) for e in episodes], "to_open": [str(a.person_id) for a in to_open]},
        )
    return Caseload(team=team, rows=rows, to_open=to_open, today=today)
