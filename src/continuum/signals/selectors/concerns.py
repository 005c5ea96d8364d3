"""Reading causes for concern: a child's concerns (the single view and the record), the front door's list, one
concern, the raise form's child, and the home page's panel. Every function takes the viewer, applies the access
policy and audits what it shows.

Who sees what (docs/concerns.md):
- anyone who may open the child's record sees that a concern exists, who raised it (name, agency), how to reach
  them (email, phone), when, whether a triangulation discussion was called for, its status and review date;
- the category, the note, the reviews and the outcome only the front door (which screens every child) and the
  raiser's own agency read: the note may hold what another agency's information-sharing rules withhold (a
  police contact a school mentions, a health detail), and the category alone can say as much;
- the front door (can_screen) lists every open concern; review and close are for the front door and the
  raiser's agency.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.dispatch import receiver
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.audit.services import AuditAction, Subject, audit_record, audit_refusal
from continuum.identifiers import record_id
from continuum.people.selectors import RecordContext
from continuum.signals.concern_settings import ConcernSettings, load_concern_settings
from continuum.signals.models import Concern, ConcernReview

if TYPE_CHECKING:
    from continuum.people.models import Person

PAGE_SIZE = 25
HOME_LIMIT = 10  # concerns listed in each part of the home page's panel
# The front door's list: which concerns each filter shows.
FILTERS = {
    "open": "Open",
    "triangulation": "Triangulation called for",
    "due": "Due for review",
}


@functools.cache
def concern_settings() -> ConcernSettings:
    """The settings in force: settings.CONCERNS_PATH if a deployment gives one, else the packaged concerns.toml
    (read once; checked at start-up by the system check in sections_concerns.py)."""
    path = getattr(settings, "CONCERNS_PATH", None)
    return load_concern_settings(Path(path) if path else None)


@receiver(setting_changed)
def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == "CONCERNS_PATH":
        concern_settings.cache_clear()


def sees_detail(viewer: Viewer, concern: Concern) -> bool:
    """May read the category, the note, the reviews and the outcome: the front door, or the raiser's agency."""
    if access.can_screen(viewer):
        return True
    profile = access.profile_of(viewer)
    return profile is not None and profile.agency_id == concern.agency_id


def may_manage(viewer: Viewer, concern: Concern) -> bool:
    """May review or close a concern, and call for triangulation on it: those who see its detail and raise
    concerns (an administrator in the raiser's agency does not)."""
    return access.can_raise_concerns(viewer) and sees_detail(viewer, concern)


@dataclass(frozen=True)
class ShownReview:
    reviewed_at: datetime.datetime
    reviewed_by: str
    note: str
    next_review_by: datetime.date | None
    triangulation: bool  # the note that came with a call for triangulation, not a review


@dataclass(frozen=True)
class ShownConcern:
    """One concern as one viewer may see it: `detail` says whether category, note, reviews and outcome are shown
    (they are empty otherwise)."""

    concern_id: Any
    person_id: Any
    raised_at: datetime.datetime
    raised_by: str
    agency: str
    email: str
    phone: str
    triangulation: bool
    triangulation_requested_at: datetime.datetime | None
    review_by: datetime.date
    is_open: bool
    status: str
    closed_at: datetime.datetime | None
    detail: bool
    can_manage: bool
    category: str = ""
    note: str = ""
    outcome: str = ""
    outcome_note: str = ""
    reviews: list[ShownReview] = field(default_factory=list)

    @property
    def due(self) -> bool:
        return self.is_open and self.review_by <= timezone.localdate()

    def as_export(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "concern_id": str(self.concern_id),
            "raised": self.raised_at.isoformat(),
            "raised_by": self.raised_by,
            "agency": self.agency,
            "email": self.email,
            "phone": self.phone,
            "triangulation_called_for": self.triangulation_requested_at.isoformat()
            if self.triangulation_requested_at
            else None,
            "review_by": self.review_by.isoformat(),
            "status": self.status,
            "closed": self.closed_at.isoformat() if self.closed_at else None,
        }
        if self.detail:
            out |= {
                "category": self.category,
                "note": self.note,
                "outcome": self.outcome or None,
                "outcome_note": self.outcome_note or None,
                "reviews": [
                    {
                        "reviewed": r.reviewed_at.isoformat(),
                        "reviewed_by": r.reviewed_by,
                        "note": r.note,
                        "next_review_by": r.next_review_by.isoformat() if r.next_review_by else None,
                        "triangulation": r.triangulation,
                    }
                    for r in self.reviews
                ],
            }
        return out


@dataclass
class ConcernsShown:
    """What one viewer sees of a child's causes for concern: open ones first, newest first."""

    person_id: Any = None
    items: list[ShownConcern] = field(default_factory=list)
    can_raise: bool = False

    @property
    def open(self) -> list[ShownConcern]:
        return [c for c in self.items if c.is_open]

    @property
    def closed(self) -> list[ShownConcern]:
        return [c for c in self.items if not c.is_open]


def _user_name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _reviews() -> Any:  # a Prefetch of the concern's reviews, oldest first, with who made each
    return Prefetch("reviews", queryset=ConcernReview.objects.select_related("reviewed_by").order_by("reviewed_at"))


def _shown(viewer: Viewer, concern: Concern, *, labels: ConcernSettings, reviews: bool = True) -> ShownConcern:
    """The concern as this viewer may see it. With `reviews`, its reviews must be prefetched where the viewer
    reads its detail."""
    detail = sees_detail(viewer, concern)
    practitioner, agency = concern.practitioner, concern.agency
    shown = ShownConcern(
        concern_id=concern.pk,
        person_id=concern.person_id,
        raised_at=concern.raised_at,
        raised_by=practitioner.name,
        agency=agency.name,
        email=practitioner.email or agency.contact_email,
        phone=agency.contact_phone,
        triangulation=concern.triangulation,
        triangulation_requested_at=concern.triangulation_requested_at,
        review_by=concern.review_by,
        is_open=concern.status == Concern.Status.OPEN,
        status=concern.get_status_display(),
        closed_at=concern.closed_at,
        detail=detail,
        can_manage=concern.status == Concern.Status.OPEN and may_manage(viewer, concern),
    )
    if not detail:
        return shown
    return dataclasses.replace(
        shown,
        category=labels.category_label(concern.category),
        note=concern.note,
        outcome=labels.outcome_label(concern.outcome) if concern.outcome else "",
        outcome_note=concern.outcome_note,
        reviews=[
            ShownReview(
                reviewed_at=r.reviewed_at,
                reviewed_by=_user_name(r.reviewed_by),
                note=r.note,
                next_review_by=r.next_review_by,
                # The note given with a later call for triangulation is kept as a review made at that moment.
                triangulation=r.reviewed_at == concern.triangulation_requested_at,
            )
            for r in concern.reviews.all()
        ]
        if reviews
        else [],
    )


def _with_contacts(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    return concerns.select_related("practitioner", "agency")


def concerns_for_view(ctx: RecordContext) -> ConcernsShown:
    """A child's causes for concern as the viewer may see them (for the single view and the record's section).

    The caller has opened the record (access.person_or_404) and audits the read; two queries (the concerns, and
    the reviews of those whose detail the viewer reads), one when the child has none.
    """
    concerns = list(
        _with_contacts(Concern.objects.filter(person=ctx.person)).order_by("-status", "-raised_at", "pk")
    )  # "open" sorts after "closed": descending puts open ones first
    detailed = [c for c in concerns if sees_detail(ctx.viewer, c)]
    if detailed:
        prefetch_related_objects(detailed, _reviews())
    labels = concern_settings()
    return ConcernsShown(
        person_id=ctx.person.pk,
        items=[_shown(ctx.viewer, c, labels=labels) for c in concerns],
        can_raise=access.can_raise_concerns(ctx.viewer),
    )


# The front door's list.


@dataclass
class ConcernList:
    page: Page[Concern]
    items: list[tuple[Concern, ShownConcern]]
    show: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return self.page.paginator.count


def _filtered(concerns: QuerySet[Concern], show: str, today: datetime.date) -> QuerySet[Concern]:
    concerns = concerns.filter(status=Concern.Status.OPEN)
    if show == "triangulation":
        return concerns.filter(triangulation=True)
    if show == "due":
        return concerns.filter(review_by__lte=today)
    return concerns


def concern_list(*, viewer: Viewer, show: str = "open", page: Any = 1) -> ConcernList:
    """The open causes for concern the front door screens, newest first, filtered (open, triangulation called
    for, due for review), one page at a time; reading it is audited with the concerns shown."""
    access.require(access.can_screen(viewer))
    show = show if show in FILTERS else "open"
    today = timezone.localdate()
    everything = access.scoped(Concern.objects.all(), viewer)
    counts = {name: _filtered(everything, name, today).count() for name in FILTERS}
    ordered = _with_contacts(_filtered(everything, show, today)).select_related("person")
    ordered = (
        ordered.order_by("review_by", "-raised_at", "pk") if show == "due" else ordered.order_by("-raised_at", "pk")
    )
    labels = concern_settings()
    with transaction.atomic():
        shown = Paginator(ordered, PAGE_SIZE).get_page(page)
        concerns = list(shown.object_list)
        shown.object_list = concerns
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("concern_list"),
            event="signals.concern_list",
            purpose=f"Causes for concern: {FILTERS[show].lower()}",
            detail={"show": show, "page": shown.number, "shown": [str(c.pk) for c in concerns]},
        )
    # The list shows each concern's category and contacts; its reviews are on the concern's own page.
    items = [(c, _shown(viewer, c, labels=labels, reviews=False)) for c in concerns]
    return ConcernList(page=shown, items=items, show=show, counts=counts)


# One concern.


@dataclass
class ConcernDetail:
    concern: Concern
    person: Person
    basis: access.Basis
    shown: ShownConcern


def concern_get(*, viewer: Viewer, concern_id: Any) -> ConcernDetail:
    """One cause for concern, refused (an audited 404) as the child's record is refused; the read is audited."""
    queryset = _with_contacts(Concern.objects.select_related("person"))
    concern, basis = access.get_or_404(
        queryset, viewer, attempted="view a cause for concern", event="signals.concern_view", pk=record_id(concern_id)
    )
    if sees_detail(viewer, concern):
        prefetch_related_objects([concern], _reviews())
    shown = _shown(viewer, concern, labels=concern_settings())
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=concern,
            event="signals.concern_view",
            purpose=basis.audit,
            detail={"detail_shown": shown.detail},
        )
    return ConcernDetail(concern=concern, person=concern.person, basis=basis, shown=shown)


# The raise form's child.


@dataclass
class RaiseFor:
    person: Person
    basis: access.Basis


def concern_raise_for(*, viewer: Viewer, person_id: Any) -> RaiseFor:
    """The child a concern is about to be raised for, if the viewer may raise concerns and open the record;
    refused otherwise with the same audited 404 as a record that does not exist. Opening the form is audited."""
    if not access.can_raise_concerns(viewer):
        audit_refusal(
            actor=viewer,
            object_type="person",
            object_id=person_id,
            why="raise a cause for concern: the role does not raise concerns",
            event="signals.concern_raise",
            person=record_id(person_id),
        )
        raise access.RecordRefused("No record you can open has that reference")
    person, basis = access.person_or_404(
        viewer, person_id, attempted="raise a cause for concern", event="signals.concern_raise"
    )
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=person,
            event="signals.concern_raise",
            purpose=f"Opened the form to raise a cause for concern. {basis.audit}",
        )
    return RaiseFor(person=person, basis=basis)


# The home page.


@dataclass
class HomeConcerns:
    triangulation: list[Concern]
    triangulation_total: int
    due: list[Concern]
    due_total: int
    lists_all: bool  # the viewer has the front door's list to see the rest


def concerns_for_home(*, viewer: Viewer) -> HomeConcerns | None:
    """Triangulation discussions called for about children the viewer may open (but not by the viewer), and the
    viewer's own open concerns due for review; None when there is neither. Reading them is audited."""
    if not access.can_search_people(viewer):
        return None
    today = timezone.localdate()
    open_concerns = access.scoped(Concern.objects.filter(status=Concern.Status.OPEN), viewer).select_related("person")
    called = open_concerns.filter(triangulation=True).exclude(raised_by_id=viewer.pk)
    due = open_concerns.filter(raised_by_id=viewer.pk, review_by__lte=today)
    with transaction.atomic():
        called_shown = list(called.order_by("-triangulation_requested_at", "pk")[: HOME_LIMIT + 1])
        due_shown = list(due.order_by("review_by", "pk")[: HOME_LIMIT + 1])
        if not called_shown and not due_shown:
            return None
        called_total = called.count() if len(called_shown) > HOME_LIMIT else len(called_shown)
        due_total = due.count() if len(due_shown) > HOME_LIMIT else len(due_shown)
        called_shown, due_shown = called_shown[:HOME_LIMIT], due_shown[:HOME_LIMIT]
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("concern_list"),
            event="signals.concern_list",
            purpose="Home page: triangulation called for, and concerns due for review",
            detail={"triangulation": [str(c.pk) for c in called_shown], "due": [str(c.pk) for c in due_shown]},
        )
    return HomeConcerns(
        triangulation=called_shown,
        triangulation_total=called_total,
        due=due_shown,
        due_total=due_total,
        lists_all=access.can_screen(viewer),
    )
