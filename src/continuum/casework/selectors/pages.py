"""What the episode's pages show: the episode as a task list, an assessment with what changed since the one
before, the plan and its goals. Each read goes through episode_get (access and the audit row)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.models import (
    Assessment,
    AssessmentDomain,
    ClosureFeedback,
    Episode,
    Goal,
    GoalRating,
    Plan,
    Review,
    Session,
    SessionLimitExtension,
    TeamMember,
)
from continuum.casework.selectors.episodes import episode_granted
from continuum.casework.services._common import leads, manages_lead
from continuum.casework.services.sessions import COUNTED
from continuum.identifiers import record_id

CONCERN_WORDS = dict(v.CONCERN)


@dataclass
class EpisodePage:
    episode: Episode
    basis: access.Basis
    family: list[Any]
    team: list[TeamMember]
    assessments: list[Assessment]
    plan: Plan | None
    goals: list[Goal]
    reviews: list[Review]
    sessions: list[Session]
    extensions: list[SessionLimitExtension]
    feedback: list[ClosureFeedback]
    questionnaires: list[Any]  # measures' Questionnaire rows: the SDQs and indices recorded in the episode
    leads: bool  # may assess, plan, review, close
    works_on: bool  # may record sessions and rate goals
    manages: bool  # may agree more sessions

    @property
    def counted(self) -> int:
        return sum(1 for s in self.sessions if s.attendance in COUNTED)

    @property
    def allowed(self) -> int | None:
        programme = self.episode.programme
        if programme is None or programme.session_limit is None:
            return None
        return programme.session_limit + sum(e.extra_sessions for e in self.extensions)

    @property
    def at_limit(self) -> bool:
        return self.allowed is not None and self.counted >= self.allowed

    @property
    def review_overdue(self) -> bool:
        return (
            self.plan is not None and self.episode.end_date is None and self.plan.next_review_due < timezone.localdate()
        )


def episode_page(*, viewer: Any, episode_id: Any) -> EpisodePage:
    """The episode with everything its page shows, in a fixed number of queries; the read audited once."""
    episode, basis = episode_granted(viewer=viewer, episode_id=episode_id)
    with transaction.atomic():
        family = list(episode.family.select_related("person"))
        team = list(
            episode.team_around_family.select_related("practitioner__agency").order_by("start_date", "practitioner")
        )
        assessments = list(episode.assessments.select_related("assessor").order_by("completed_on", "created_at"))
        plan = (
            Plan.objects.filter(episode=episode)
            .prefetch_related(
                Prefetch("goals", queryset=Goal.objects.prefetch_related(Prefetch("ratings", GoalRating.objects.all())))
            )
            .first()
        )
        goals = list(plan.goals.all()) if plan else []
        reviews = list(episode.reviews.order_by("held_on"))
        sessions = list(episode.sessions.select_related("practitioner").order_by("held_on", "recorded_at"))
        extensions = list(episode.session_extensions.select_related("agreed_by").order_by("agreed_at"))
        feedback = list(episode.feedback.all())
        # Imported here: measures' selectors read casework's for the outcome report.
        from continuum.measures.selectors import episode_questionnaires

        questionnaires = episode_questionnaires(episode_id=episode.pk)
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=episode,
            event="casework.episode_view",
            purpose=basis.audit,
        )
    current = [m for m in team if m.is_current()]
    profile = access.profile_of(viewer)
    in_team = profile is not None and any(m.practitioner_id == profile.pk for m in current)
    leading = leads(viewer, episode)
    return EpisodePage(
        episode=episode,
        basis=basis,
        family=family,
        team=team,
        assessments=assessments,
        plan=plan,
        goals=goals,
        reviews=reviews,
        sessions=sessions,
        extensions=extensions,
        feedback=feedback,
        questionnaires=questionnaires,
        leads=leading,
        works_on=leading or in_team,
        manages=manages_lead(viewer, episode),
    )


@dataclass(frozen=True)
class DomainChange:
    label: str
    before: str | None
    after: str
    words: str  # the change in words


@dataclass
class AssessmentPage:
    assessment: Assessment
    episode: Episode
    domains: list[tuple[str, AssessmentDomain, list[str]]]  # label, domain, area labels
    changes: list[DomainChange]


def _change_words(before: int | None, after: int) -> str:
    if before is None:
        return "Not assessed before"
    if after < before:
        return f"Less concern: {CONCERN_WORDS[str(before)].lower()} before, {CONCERN_WORDS[str(after)].lower()} now"
    if after > before:
        return f"More concern: {CONCERN_WORDS[str(before)].lower()} before, {CONCERN_WORDS[str(after)].lower()} now"
    return f"No change: {CONCERN_WORDS[str(after)].lower()}"


def assessment_page(*, viewer: Any, assessment_id: Any) -> AssessmentPage:
    """One assessment, its domains, and (for a re-assessment) what changed domain by domain since the previous one."""
    wanted = record_id(assessment_id)
    found = Assessment.objects.filter(pk=wanted).values_list("episode_id", flat=True).first() if wanted else None
    if found is None:
        from continuum.audit.services import audit_refusal, record_type

        audit_refusal(
            actor=viewer,
            object_type=record_type(Assessment),
            object_id=str(assessment_id),
            why="view assessment: no such record",
            event="casework.assessment_view",
        )
        raise Http404("No assessment you can open has that reference")
    episode, basis = episode_granted(viewer=viewer, episode_id=found)
    assert wanted is not None
    assessment = (
        Assessment.objects.select_related("assessor", "previous")
        .prefetch_related("domains", "previous__domains")
        .get(pk=wanted)
    )
    labels = dict(v.ASSESSMENT_DOMAIN)
    mine = {d.domain: d for d in assessment.domains.all()}
    before = {d.domain: d for d in assessment.previous.domains.all()} if assessment.previous else {}
    domains = [
        (labels[code], mine[code], [v.label(v.ASSESSMENT_AREA[code], a) for a in mine[code].areas])
        for code, _ in v.ASSESSMENT_DOMAIN
        if code in mine
    ]
    changes = (
        [
            DomainChange(
                label=labels[code],
                before=CONCERN_WORDS[str(before[code].concern)] if code in before else None,
                after=CONCERN_WORDS[str(mine[code].concern)],
                words=_change_words(before[code].concern if code in before else None, mine[code].concern),
            )
            for code, _ in v.ASSESSMENT_DOMAIN
            if code in mine
        ]
        if assessment.previous
        else []
    )
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=assessment,
            person=episode.person_id,
            event="casework.assessment_view",
            purpose=basis.audit,
        )
    return AssessmentPage(assessment=assessment, episode=episode, domains=domains, changes=changes)


def plan_needs(*, episode: Episode) -> list[tuple[str, str]]:
    """The latest assessment's needs, domain by domain, offered as starting points for goals (it seeds the plan)."""
    latest = episode.assessments.order_by("-completed_on", "-created_at").first()
    if latest is None:
        return []
    labels = dict(v.ASSESSMENT_DOMAIN)
    return [(labels[d.domain], d.needs) for d in latest.domains.all() if d.needs.strip()]
