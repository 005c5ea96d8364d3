"""Group programmes' courses: their members, attendance and retention against the programme's target; and the
per-programme summary of what families said at closure, quoted only with their consent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Prefetch, Q
from django.http import Http404

from continuum.agencies import access
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.casework.models import ClosureFeedback, Cohort, CohortAttendance, CohortMember, CohortSession
from continuum.identifiers import record_id

# A figure about fewer children than this is not shown (the county's small-number rule).
SMALLEST_SHOWN = 5


@dataclass(frozen=True)
class Retention:
    started: int
    retained: int
    target: int | None  # per cent

    @property
    def percent(self) -> int | None:
        return None if self.started == 0 else round(100 * self.retained / self.started)

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.percent is None:
            return None
        return self.percent >= self.target


def retention(members: Sequence[CohortMember], target: int | None) -> Retention:
    """Members still attending at the end (never left) over members who started."""
    return Retention(started=len(members), retained=sum(1 for m in members if m.left_on is None), target=target)


@dataclass(frozen=True)
class MemberRow:
    member: CohortMember
    can_open: bool  # the viewer may open the child's record: named; otherwise counted only
    attended: int


@dataclass
class CohortPage:
    cohort: Cohort
    facilitators: list[Any]
    sessions: list[CohortSession]
    members: list[MemberRow]
    retention: Retention
    facilitates: bool


def cohort_list(*, viewer: Any) -> list[Cohort]:
    """Courses, newest first (names, venues and counts only: no child)."""
    access.require(access.can_lead_casework(viewer) or access.can_see_aggregates(viewer))
    return list(
        Cohort.objects.select_related("programme")
        .annotate(n_members=Count("members", distinct=True), n_sessions=Count("sessions", distinct=True))
        .order_by("-start_date", "name")
    )


def cohort_page(*, viewer: Any, cohort_id: Any) -> CohortPage:
    """A course: facilitators, sessions, members (named only where the viewer may open the child) and retention."""
    access.require(access.can_lead_casework(viewer))
    wanted = record_id(cohort_id)
    cohort = Cohort.objects.select_related("programme").filter(pk=wanted).first() if wanted else None
    if cohort is None:
        raise Http404("No course has that reference")
    members = list(
        cohort.members.select_related("episode__person")
        .annotate(attended=Count("attendance", filter=Q(attendance__attended=True)))
        .order_by("joined_on", "pk")
    )
    openable = _openable(viewer, members)
    facilitators = list(cohort.facilitators.select_related("practitioner__agency"))
    profile = access.profile_of(viewer)
    with transaction.atomic():
        sessions = list(
            cohort.sessions.prefetch_related(Prefetch("attendance", CohortAttendance.objects.all())).order_by("number")
        )
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=cohort,
            event="casework.cohort_view",
            purpose="A group programme's course",
            detail={"children_named": sorted(str(m.episode.person_id) for m in members if m.pk in openable)},
        )
    return CohortPage(
        cohort=cohort,
        facilitators=facilitators,
        sessions=sessions,
        members=[MemberRow(m, m.pk in openable, m.attended) for m in members],
        retention=retention(members, cohort.programme.retention_target),
        facilitates=profile is not None and any(f.practitioner_id == profile.pk for f in facilitators),
    )


def _openable(viewer: Any, members: Sequence[CohortMember]) -> set[Any]:
    from continuum.people.selectors import people_visible_to

    people = {m.episode.person_id for m in members}
    visible = set(people_visible_to(viewer).filter(pk__in=people).values_list("pk", flat=True)) if people else set()
    return {m.pk for m in members if m.episode.person_id in visible}


@dataclass(frozen=True)
class Quote:
    given_by: str
    quote: str


@dataclass
class FeedbackSummary:
    programme: Any
    responses: int
    mean_helpfulness: float | None  # None when fewer than SMALLEST_SHOWN responses
    quotes: list[Quote]

    @property
    def too_few(self) -> bool:
        return self.responses < SMALLEST_SHOWN


@dataclass(frozen=True)
class ProgrammeFeedback:
    slug: str
    name: str
    responses: int

    @property
    def shown(self) -> str:
        return str(self.responses) if self.responses >= SMALLEST_SHOWN else f"Fewer than {SMALLEST_SHOWN}"


def feedback_index(*, viewer: Any) -> list[ProgrammeFeedback]:
    """The programmes families have given feedback on at closure, with how many responses (small numbers withheld)."""
    access.require(access.can_manage_team(viewer) or access.can_see_aggregates(viewer))
    rows = (
        ClosureFeedback.objects.exclude(episode__programme=None)
        .values_list("episode__programme__slug", "episode__programme__name")
        .annotate(n=Count("pk"))
        .order_by("episode__programme__name")
    )
    return [ProgrammeFeedback(slug, name, n) for slug, name, n in rows]


def feedback_summary(*, viewer: Any, programme: Any) -> FeedbackSummary:
    """What families said of a programme at closure: how many responded, how helpful on average (only with at least
    SMALLEST_SHOWN responses), and the words they agreed may be quoted, with no child named. For managers and
    analysts."""
    access.require(access.can_manage_team(viewer) or access.can_see_aggregates(viewer))
    feedback = ClosureFeedback.objects.filter(episode__programme=programme)
    totals = feedback.aggregate(n=Count("pk"), mean=Avg("helpfulness"))
    quotes = [
        Quote(given_by=f.get_given_by_display(), quote=f.quote)
        for f in feedback.filter(consent_to_quote=True).exclude(quote="").order_by("-given_on", "pk")
    ]
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("closure_feedback", programme.pk),
            event="casework.feedback_view",
            purpose=f"Closure feedback for {programme.name}, quotes given with consent",
        )
    n = totals["n"] or 0
    return FeedbackSummary(
        programme=programme,
        responses=n,
        mean_helpfulness=round(totals["mean"], 1) if n >= SMALLEST_SHOWN and totals["mean"] is not None else None,
        quotes=quotes,
    )
