"""Reading episodes of support and their sessions.

Who may read an episode: anyone who may open the child's record (the lead practitioner through their
allocation, their team manager, the team around the family, the front door, a break-glass grant). Anyone
else, and any id that does not exist, gets the same audited 404.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from continuum.agencies import access
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.models import Episode, Goal, Session


def episode_granted(*, viewer: Any, episode_id: Any) -> access.Granted[Episode]:
    """One episode the viewer may read and why (not audited: the caller audits what it shows); else the audited 404."""
    return access.get_or_404(
        Episode.objects.select_related("person", "programme", "lead_practitioner__agency", "team"),
        viewer,
        attempted="view episode",
        event="casework.episode_view",
        pk=episode_id,
    )


def episode_get(*, viewer: Any, episode_id: Any, audit: bool = True) -> Episode:
    """One episode the viewer may read, its read audited (unless the caller audits a larger read itself)."""
    episode, basis = episode_granted(viewer=viewer, episode_id=episode_id)
    if audit:
        with transaction.atomic():
            audit_record(
                actor=viewer, action=AuditAction.VIEW, obj=episode, event="casework.episode_view", purpose=basis.audit
            )
    return episode


def session_get(*, viewer: Any, session_id: Any) -> Session:
    """One session the viewer may read (through its episode's child); refused alike when missing or not theirs.
    Not audited: the page that shows it audits its read."""
    sessions = Session.objects.select_related("episode__programme").annotate(person_id=F("episode__person_id"))
    session, _ = access.get_or_404(
        sessions, viewer, attempted="view session", event="casework.episode_view", pk=session_id
    )
    return session


def goal_get(*, viewer: Any, goal_id: Any) -> Goal:
    """One goal the viewer may read (through its episode's child), with its plan and episode; refused alike when
    missing or not theirs. Not audited: the page that shows it audits its read."""
    goals = Goal.objects.select_related("plan__episode__lead_practitioner", "plan__episode__programme").annotate(
        person_id=F("plan__episode__person_id")
    )
    goal, _ = access.get_or_404(goals, viewer, attempted="view goal", event="casework.episode_view", pk=goal_id)
    return goal
