"""Reading the front door's work: the queue, a referral being screened, transfers to a team, allocation and
caseloads. Every function takes the viewer, applies the access policy and audits what it shows.

Time waiting is counted in England's working days against the decision target
(settings.DECISION_TARGET_WORKING_DAYS, from CONTINUUM_DECISION_TARGET_WORKING_DAYS, default 1): a referral
is overdue once that many working days have passed since it arrived, at the same time of day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, Min, Prefetch
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.agencies.selectors import Caseload, caseloads, team_list
from continuum.audit.services import AuditAction, Subject, audit_record, audit_refusal, record_type
from continuum.frontdoor.models import Decision, Referral, ReferralFamilyMember, Transfer, WaitingListEntry
from continuum.people.selectors import RecordContext, ShownSection, people_visible_to, record_sections
from continuum.programmes.selectors import eligibility_for
from continuum.workingdays import add_working_days, working_days_between

if TYPE_CHECKING:
    from continuum.agencies.models import Allocation, Team
    from continuum.programmes.selectors import ProgrammeEligibility

PAGE_SIZE = 25
# The parts of the child's record screening shows: who is working with the child. (Episodes of support will
# join them when casework arrives.)
SCREENING_SECTIONS = ("involvements", "allocations")


def decision_target() -> int:
    """Working days the front door aims to decide a referral in."""
    return int(settings.DECISION_TARGET_WORKING_DAYS)


@dataclass(frozen=True)
class Waited:
    """How long a referral has waited for a decision, against the target."""

    since: datetime.datetime
    due: datetime.datetime
    working_days: int
    overdue: bool

    @property
    def words(self) -> str:
        if self.working_days == 0:
            return "Less than a working day"
        return f"{self.working_days} working day{'s' if self.working_days != 1 else ''}"


def waited(since: datetime.datetime, *, now: datetime.datetime | None = None, target: int | None = None) -> Waited:
    now = timezone.localtime(now or timezone.now())
    local = timezone.localtime(since)
    due = add_working_days(local, decision_target() if target is None else target)
    return Waited(since=local, due=due, working_days=working_days_between(local.date(), now.date()), overdue=now > due)


def _refuse(viewer: Viewer, obj: type[Any], object_id: Any, *, why: str, person: Any = None) -> access.RecordRefused:
    """Audit a refused read (in its own transaction) and give the 404 that a missing record gives."""
    audit_refusal(
        actor=viewer,
        object_type=record_type(obj),
        object_id=object_id,
        why=why,
        event="frontdoor.referral_view",
        person=person,
    )
    return access.RecordRefused("No record you can open has that reference")


# The queue.


@dataclass(frozen=True)
class QueueItem:
    referral: Referral
    waited: Waited
    declined: Transfer | None  # the latest transfer declined, when the referral came back to the front door


@dataclass(frozen=True)
class TeamAnswers:
    """Transfers one team has not yet answered."""

    team: str
    agency: str
    pending: int
    oldest: datetime.datetime


@dataclass
class Queue:
    page: Page[Referral]
    items: list[QueueItem]
    target: int
    awaiting_teams: list[TeamAnswers] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.waited.overdue)


def queue(*, viewer: Viewer, page: Any = 1) -> Queue:
    """The referrals waiting for a decision, oldest first (those a team declined among them), one page at a
    time, with the transfers each team has yet to answer; reading it is audited."""
    access.require(access.can_screen(viewer))
    waiting = access.scoped(
        Referral.objects.filter(status=Referral.Status.NEW)
        .select_related("person", "referrer_agency", "possible_duplicate_of")
        .prefetch_related("reasons")
        .order_by("received_at", "pk"),
        viewer,
    )
    now = timezone.now()
    with transaction.atomic():
        shown = Paginator(waiting, PAGE_SIZE).get_page(page)
        referrals = list(shown.object_list)
        shown.object_list = referrals
        declined: dict[Any, Transfer] = {}
        if referrals:
            answers = (
                Transfer.objects.filter(decision__referral__in=referrals, status=Transfer.Status.DECLINED)
                .select_related("team__agency", "decision")
                .order_by("-responded_at")
            )
            for t in answers:
                declined.setdefault(t.decision.referral_id, t)
        teams = (
            Transfer.objects.filter(status=Transfer.Status.PENDING)
            .values("team_id", "team__name", "team__agency__name")
            .annotate(pending=Count("pk"), oldest=Min("sent_at"))
            .order_by("oldest")
        )
        awaiting = [TeamAnswers(t["team__name"], t["team__agency__name"], t["pending"], t["oldest"]) for t in teams]
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("referral_queue"),
            event="frontdoor.queue_view",
            purpose="The front door's queue",
            detail={"page": shown.number, "waiting": shown.paginator.count, "shown": [str(r.pk) for r in referrals]},
        )
    items = [QueueItem(r, waited(r.received_at, now=now), declined.get(r.pk)) for r in referrals]
    return Queue(page=shown, items=items, target=decision_target(), awaiting_teams=awaiting)


# Screening a referral.


@dataclass
class Screening:
    referral: Referral
    basis: access.Basis
    waited: Waited
    sections: list[ShownSection]
    decisions: list[Decision]  # every decision for the child, newest first, with their transfers
    other_referrals: list[Referral]  # the child's other referrals, newest first
    level: int | None  # the level eligibility was worked out for
    latest_level: int | None
    eligibility: list[ProgrammeEligibility]
    as_of: datetime.date
    working_teams: list[Team]  # teams with open work with the child that this viewer can see

    @property
    def this_referrals_decisions(self) -> list[Decision]:
        return [d for d in self.decisions if d.referral_id == self.referral.pk]

    def decisions_on(self, referral: Referral) -> list[Decision]:
        return [d for d in self.decisions if d.referral_id == referral.pk]

    @property
    def eligible(self) -> list[ProgrammeEligibility]:
        return [e for e in self.eligibility if e.eligible]

    @property
    def not_eligible(self) -> list[ProgrammeEligibility]:
        return [e for e in self.eligibility if not e.eligible]

    @property
    def waiting_for_decision(self) -> bool:
        return self.referral.status == Referral.Status.NEW


def _decisions_with_transfers() -> Any:
    transfers = Transfer.objects.select_related("team__agency", "responded_by").order_by("-sent_at")
    return (
        Decision.objects.select_related("decided_by", "programme", "team__agency")
        .prefetch_related(Prefetch("transfers", queryset=transfers))
        .order_by("-decided_at")
    )


def screening(*, viewer: Viewer, referral_id: Any, level: int | None = None) -> Screening:
    """A referral as sent, with what screening needs: the child's agencies and allocations (as their record shows
    them to this viewer), their other referrals and every decision with its transfers, and their eligibility for
    every programme at `level` (else the child's latest decided level). Audited as a read of the referral."""
    access.require(access.can_screen(viewer))
    family = ReferralFamilyMember.objects.select_related("person").order_by("relationship")
    referral, basis = access.get_or_404(
        Referral.objects.select_related(
            "person__household", "referrer_agency", "referrer", "possible_duplicate_of"
        ).prefetch_related("reasons", Prefetch("family", queryset=family)),
        viewer,
        attempted="screen",
        event="frontdoor.referral_view",
        pk=referral_id,
    )
    person = referral.person
    categories = access.readable_categories(viewer)
    ctx = RecordContext(viewer=viewer, person=person, categories=categories, policy=access.policy())
    today = timezone.localdate()
    with transaction.atomic():
        sections = [
            ShownSection(s, s.build(ctx))
            for s in record_sections()
            if s.name in SCREENING_SECTIONS and (s.category is None or s.category in categories)
        ]
        working_teams = _working_teams(sections)
        decisions = list(_decisions_with_transfers().filter(referral__person_id=person.pk))
        others = list(
            Referral.objects.filter(person_id=person.pk)
            .exclude(pk=referral.pk)
            .select_related("referrer_agency")
            .order_by("-received_at")
        )
        latest = decisions[0].level if decisions else None
        shown_level = level if level is not None else latest
        eligibility = eligibility_for(person=person, as_of=today, level_of_need=shown_level)
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=referral,
            event="frontdoor.referral_view",
            purpose=basis.audit,
            detail={"screening": True, "level": shown_level, "categories": sorted(categories)},
        )
    return Screening(
        referral=referral,
        basis=basis,
        waited=waited(referral.received_at),
        sections=sections,
        decisions=decisions,
        other_referrals=others,
        level=shown_level,
        latest_level=latest,
        eligibility=eligibility,
        as_of=today,
        working_teams=working_teams,
    )


def _working_teams(sections: list[ShownSection]) -> list[Team]:
    """The teams of the open involvements and current allocations the record shows this viewer."""
    ids: set[Any] = set()
    for shown in sections:
        if shown.section.name == "involvements":
            ids |= {i.team_id for i in shown.data.shown if i.team_id and i.is_current()}
        elif shown.section.name == "allocations":
            ids |= {a.practitioner.team_id for a in shown.data if a.practitioner.team_id and a.is_current()}
    return list(team_list().filter(pk__in=ids)) if ids else []


# Transfers to a team.


def _team_of(viewer: Viewer) -> Any:
    profile = access.profile_of(viewer)
    return profile.team_id if profile else None


@dataclass
class TeamTransfers:
    team: Team | None
    pending: list[Transfer]
    to_allocate: list[Transfer]  # accepted, waiting for a practitioner or on the waiting list
    answered: list[Transfer]  # other answers, newest first
    openable: set[Any]  # the children whose names the viewer may see

    def shows(self, transfer: Transfer) -> bool:
        return transfer.decision.referral.person_id in self.openable


ANSWERED_SHOWN = 50


def team_transfers(*, viewer: Viewer) -> TeamTransfers:
    """The referrals sent to the viewer's team: waiting for its answer (oldest first), accepted and waiting for a
    practitioner, and the latest answered. Children the viewer may no longer open (a declined transfer) are named
    by their referral's reference only. Audited as a read of a list."""
    access.require(access.can_manage_team(viewer))
    team_id = _team_of(viewer)
    if team_id is None:
        return TeamTransfers(None, [], [], [], set())
    transfers = Transfer.objects.filter(team_id=team_id).select_related(
        "team__agency", "decision__referral__person", "decision__referral__referrer_agency", "decision__programme"
    )
    with transaction.atomic():
        pending = list(transfers.filter(status=Transfer.Status.PENDING).order_by("sent_at"))
        waiting = [Referral.Status.DECIDED, Referral.Status.WAITING]
        to_allocate = list(
            transfers.filter(status=Transfer.Status.ACCEPTED, decision__referral__status__in=waiting).order_by(
                "responded_at"
            )
        )
        answered = list(
            transfers.exclude(status=Transfer.Status.PENDING)
            .exclude(pk__in=[t.pk for t in to_allocate])
            .order_by("-responded_at")[:ANSWERED_SHOWN]
        )
        everyone = [*pending, *to_allocate, *answered]
        people = {t.decision.referral.person_id for t in everyone}
        openable = (
            set(people_visible_to(viewer).filter(pk__in=people).values_list("pk", flat=True)) if people else set()
        )
        team = team_list().filter(pk=team_id).first()
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("team_transfers", team_id),
            event="frontdoor.referral_list",
            purpose="Referrals sent to the team",
            detail={
                "shown": [str(t.decision.referral_id) for t in everyone if t.decision.referral.person_id in openable]
            },
        )
    return TeamTransfers(team, pending, to_allocate, answered, openable)


@dataclass
class TransferDetail:
    transfer: Transfer
    referral: Referral
    decision: Decision
    basis: access.Basis
    chosen: dict[str, Any] | None  # the chosen programme's eligibility as the front door saw it

    @property
    def answerable(self) -> bool:
        return self.transfer.status == Transfer.Status.PENDING


def transfer_detail(*, viewer: Viewer, transfer_id: Any) -> TransferDetail:
    """A transfer to the viewer's team: the referral as sent and the front door's decision. Refused (404, audited)
    for a transfer to another team, or a child the viewer may no longer open."""
    access.require(access.can_manage_team(viewer))
    team_id = _team_of(viewer)
    transfer = (
        Transfer.objects.select_related("team__agency", "decision__decided_by", "decision__programme", "responded_by")
        .filter(pk=transfer_id, team_id=team_id)
        .first()
        if team_id
        else None
    )
    if transfer is None:
        raise _refuse(viewer, Transfer, transfer_id, why="answer a transfer: not sent to the user's team")
    family = ReferralFamilyMember.objects.select_related("person").order_by("relationship")
    referral, basis = access.get_or_404(
        Referral.objects.select_related("person__household", "referrer_agency").prefetch_related(
            "reasons", Prefetch("family", queryset=family)
        ),
        viewer,
        attempted="view",
        event="frontdoor.referral_view",
        pk=transfer.decision.referral_id,
    )
    decision = transfer.decision
    slug = decision.programme.slug if decision.programme else None
    chosen = next((p for p in decision.eligibility.get("programmes", []) if p.get("slug") == slug), None)
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=referral,
            event="frontdoor.referral_view",
            purpose=basis.audit,
            detail={"transfer": str(transfer.pk)},
        )
    return TransferDetail(transfer, referral, decision, basis, chosen)


# Allocation.


@dataclass(frozen=True)
class OnWaitingList:
    entry: WaitingListEntry
    days: int

    @property
    def words(self) -> str:
        return "Joined today" if self.days == 0 else f"{self.days} day{'s' if self.days != 1 else ''}"


def _on_list(entry: WaitingListEntry, today: datetime.date) -> OnWaitingList:
    return OnWaitingList(entry, (today - entry.start_date).days)


@dataclass
class AllocationPage:
    referral: Referral
    basis: access.Basis
    transfer: Transfer | None  # the accepted transfer; None while no team has accepted the child
    caseloads: list[Caseload]
    waiting: OnWaitingList | None  # this child's place on the waiting list
    waiting_list: list[OnWaitingList]  # everyone waiting for the same programme with the same team
    history: list[Allocation]  # the child's allocations to the team's members, current and ended

    @property
    def decision(self) -> Decision | None:
        return self.transfer.decision if self.transfer else None

    @property
    def current(self) -> Allocation | None:
        allocation = self.referral.allocation
        return allocation if allocation is not None and allocation.is_current() else None

    @property
    def with_room(self) -> list[Caseload]:
        return [c for c in self.caseloads if c.has_room]

    @property
    def can_wait(self) -> bool:
        """The child may join the waiting list: a programme, nobody in the team with room, not yet on it."""
        decision = self.decision
        return (
            decision is not None
            and decision.programme_id is not None
            and self.referral.status == Referral.Status.DECIDED
            and not self.with_room
        )


def accepted_transfer(referral: Referral) -> Transfer | None:
    """The transfer a team accepted for this referral, if one has."""
    return (
        Transfer.objects.filter(decision__referral=referral, status=Transfer.Status.ACCEPTED)
        .select_related("team__agency", "decision__programme")
        .order_by("-responded_at")
        .first()
    )


def may_allocate(viewer: Viewer, transfer: Transfer | None) -> bool:
    """The front door, or the manager of the team that accepted the child."""
    if access.can_screen(viewer):
        return True
    return transfer is not None and access.can_manage_team(viewer) and _team_of(viewer) == transfer.team_id


def allocation_page(*, viewer: Viewer, referral_id: Any) -> AllocationPage:
    """What allocating a referred child needs: the team's caseloads against capacity, the child's allocations in
    the team so far, and the programme's waiting list there. For the front door and the accepting team's manager;
    refused (404, audited) to anyone else."""
    access.require(access.can_screen(viewer) or access.can_manage_team(viewer))
    referral, basis = access.get_or_404(
        Referral.objects.select_related("person", "allocation__practitioner"),
        viewer,
        attempted="allocate",
        event="frontdoor.referral_view",
        pk=referral_id,
    )
    transfer = accepted_transfer(referral)
    if not may_allocate(viewer, transfer):
        raise _refuse(viewer, Referral, referral_id, why="allocate: not the accepting team", person=referral.person_id)
    today = timezone.localdate()
    loads: list[Caseload] = []
    history: list[Allocation] = []
    mine: OnWaitingList | None = None
    waiting_list: list[OnWaitingList] = []
    with transaction.atomic():
        if transfer is not None:
            loads = caseloads(team=transfer.team_id)
            history = list(
                referral.person.allocations.filter(practitioner__team_id=transfer.team_id)
                .select_related("practitioner")
                .order_by(F("end_date").desc(nulls_first=True), "-start_date", "pk")  # current first, then latest
            )
            if transfer.decision.programme_id is not None:
                entries = (
                    WaitingListEntry.objects.current()
                    .filter(programme_id=transfer.decision.programme_id, team_id=transfer.team_id)
                    .select_related("referral")
                    .order_by("start_date", "pk")
                )
                waiting_list = [_on_list(e, today) for e in entries]
                mine = next((w for w in waiting_list if w.entry.referral_id == referral.pk), None)
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=referral,
            event="frontdoor.referral_view",
            purpose=basis.audit,
            detail={"allocating": True},
        )
    return AllocationPage(referral, basis, transfer, loads, mine, waiting_list, history)


# The team's caseloads.


@dataclass
class TeamCaseloads:
    team: Team | None
    caseloads: list[Caseload]
    waiting_list: list[OnWaitingList]
    to_allocate: list[Transfer]
    to_answer: int = 0  # referrals sent to the team and not yet answered

    @property
    def open(self) -> int:
        return sum(c.open for c in self.caseloads)

    @property
    def capacity(self) -> int | None:
        caps = [c.capacity for c in self.caseloads]
        return None if not caps or any(c is None for c in caps) else sum(c for c in caps if c is not None)


def team_caseloads(*, viewer: Viewer) -> TeamCaseloads:
    """The manager's team: each practitioner's caseload against their capacity, the children on the team's
    waiting lists with how long they have waited, and children accepted but not yet allocated. Audited."""
    access.require(access.can_manage_team(viewer))
    team_id = _team_of(viewer)
    if team_id is None:
        return TeamCaseloads(None, [], [], [])
    today = timezone.localdate()
    with transaction.atomic():
        loads = caseloads(team=team_id)
        entries = (
            WaitingListEntry.objects.current()
            .filter(team_id=team_id)
            .select_related("referral__person", "programme", "team__agency")
            .order_by("programme__name", "start_date", "pk")
        )
        waiting_list = [_on_list(e, today) for e in entries]
        to_allocate = list(
            Transfer.objects.filter(
                team_id=team_id, status=Transfer.Status.ACCEPTED, decision__referral__status=Referral.Status.DECIDED
            )
            .select_related("team__agency", "decision__referral__person", "decision__programme")
            .order_by("responded_at")
        )
        to_answer = Transfer.objects.filter(team_id=team_id, status=Transfer.Status.PENDING).count()
        team = team_list().filter(pk=team_id).first()
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("team_caseloads", team_id),
            event="frontdoor.caseloads_view",
            purpose="The team's caseloads and waiting lists",
            detail={
                "waiting": [str(w.entry.referral_id) for w in waiting_list],
                "to_allocate": [str(t.decision.referral_id) for t in to_allocate],
            },
        )
    return TeamCaseloads(team, loads, waiting_list, to_allocate, to_answer)
