"""Reading record linkage's clerical review: the queue, one pair side by side, and the history of merges and splits.

Only roles the access policy lets review linkage (`reviews_linkage`) read the queue and the pairs; administrators
may read the history, which then shows no child's details. Everyone else is refused with the same audited 404 a
page that does not exist gives. A pair shows each value only where the viewer's categories of information allow
it: names, date of birth, sex and address are identity; a pupil number and a school are education; an NHS number
is health; anything else (the source's own reference) belongs to the category of the feed it came from. A value
withheld still says whether the two records agree on it, never what it is.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.audit.services import AuditAction, Subject, audit_record, audit_refusal, record_type
from continuum.identifiers import record_id
from continuum.linkage.models import IdentityChange, Record, ReviewPair

if TYPE_CHECKING:
    from continuum.people.models import Person
    from continuum.signals.models import SourcePerson

PAGE_SIZE = 25
# A pair waits for a decision while open, and after someone was not sure (for someone surer).
WAITING = ("open", "not_sure")
NOT_FOUND = "No page or record you can open has that address"

# Where a record came from, in the words a reviewer reads.
SOURCES = {
    "person": "Continuum: a person already known here",
    "attendance": "School attendance",
    "suspensions": "School suspensions and exclusions",
    "police": "Police incidents",
    "missing": "Missing episodes",
    "health": "A&E attendances",
    "youth_justice": "Youth justice",
    "ssda903": "Looked after children (SSDA903)",
    "cin": "Children in need census",
}
# The category of information each source's own details belong to (the access policy decides who reads which).
# A source not listed here is read by nobody: its details are withheld until someone says where they belong.
SOURCE_CATEGORIES = {
    "person": "identity",
    "attendance": "education",
    "suspensions": "education",
    "police": "police_intelligence",
    "missing": "police_intelligence",
    "health": "health",
    "youth_justice": "youth_justice",
    "ssda903": "social_care",
    "cin": "social_care",
}
# The fields of a record a reviewer compares, in the order the page shows them, and their categories. "source" is
# the category of the record's own source.
FIELDS = (
    ("given_name", "Given name", "identity"),
    ("family_name", "Family name", "identity"),
    ("date_of_birth", "Date of birth", "identity"),
    ("sex", "Sex", "identity"),
    ("postcode", "Postcode", "identity"),
    ("address", "Address", "identity"),
    ("nhs_number", "NHS number", "health"),
    ("upn", "Unique pupil number", "education"),
    ("school", "School (URN)", "education"),
    ("reference", "Reference at the source", "source"),
)
SEX = {"M": "Male", "F": "Female"}
WITHHELD = "Not shared with your role"
MISSING = "Not recorded"


def _refuse(viewer: Viewer, *, what: str, object_type: str, object_id: Any, event: str, person: Any = None) -> Http404:
    """Audit a refused read (in its own transaction) and give the 404 that a page or record not there gives."""
    audit_refusal(actor=viewer, object_type=object_type, object_id=object_id, why=what, event=event, person=person)
    return Http404(NOT_FOUND)


def _require_reviewer(
    viewer: Viewer, *, event: str, object_type: str, object_id: Any, attempted: str, person: Any = None
) -> None:
    if not access.can_review_linkage(viewer):
        raise _refuse(
            viewer,
            what=f"{attempted}: the role does not review record linkage",
            object_type=object_type,
            object_id=object_id,
            event=event,
            person=person() if callable(person) else person,
        )


def _person_of_pair(pair_id: Any) -> Any:
    """The platform's person a pair is about, if any: a refused probe of it is recorded against them."""
    wanted = record_id(pair_id)
    if wanted is None:
        return None
    found = ReviewPair.objects.filter(pk=wanted).values_list(
        "left__person_id", "left__identity__person_id", "right__person_id", "right__identity__person_id"
    )
    return next((p for row in found for p in row if p is not None), None)


def percent(probability: float) -> str:
    """A match probability as a reviewer reads it: 87%, and 99.9% rather than a rounded-up 100%."""
    value = probability * 100
    if 99 < value < 100:
        return f"{math.floor(value * 10) / 10:.1f}%"
    if 0 < value < 1:
        return f"{math.ceil(value * 10) / 10:.1f}%"
    return f"{value:.0f}%"


def source_of(record: Record) -> str:
    """A record's source: a feed's name, or "person" for a person in the platform."""
    return "person" if record.person_id is not None else record.source_person.feed if record.source_person else ""


def source_label(source: str) -> str:
    return SOURCES.get(source, source.replace("_", " ").capitalize() or "Unknown")


# The queue.


@dataclass(frozen=True)
class QueueItem:
    pair: ReviewPair
    left_source: str
    right_source: str

    @property
    def probability(self) -> str:
        return percent(self.pair.match_probability)

    @property
    def left_label(self) -> str:
        return source_label(self.left_source)

    @property
    def right_label(self) -> str:
        return source_label(self.right_source)


@dataclass(frozen=True)
class ReviewQueue:
    page: Page[Any]  # of ReviewPair, with each record's source
    items: list[QueueItem]

    @property
    def total(self) -> int:
        return self.page.paginator.count


def review_queue(*, viewer: Viewer, page: Any = 1) -> ReviewQueue:
    """The pairs waiting for a decision, newest first and the most probable first among them, one page at a time.

    Names no child: each pair by its two sources, the model's probability and why it is queued. Reading it is
    audited; a role that does not review linkage gets the audited 404.
    """
    _require_reviewer(
        viewer, event="linkage.review_queue_view", object_type="review_queue", object_id="", attempted="review queue"
    )
    waiting = (
        ReviewPair.objects.filter(status__in=WAITING)
        .annotate(
            left_feed=F("left__source_person__feed"),
            right_feed=F("right__source_person__feed"),
            left_person=F("left__person_id"),
            right_person=F("right__person_id"),
        )
        .order_by("-queued_at", "-match_probability", "pk")
    )
    with transaction.atomic():
        shown = Paginator(waiting, PAGE_SIZE).get_page(page)
        pairs = list(shown.object_list)
        shown.object_list = pairs
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("review_queue", shown.number),
            event="linkage.review_queue_view",
            purpose="Record linkage's clerical review queue",
            detail={"page": shown.number, "waiting": shown.paginator.count, "shown": [str(p.pk) for p in pairs]},
        )
    items = [
        QueueItem(
            pair=p,
            left_source="person" if p.left_person else p.left_feed or "",  # type: ignore[attr-defined]
            right_source="person" if p.right_person else p.right_feed or "",  # type: ignore[attr-defined]
        )
        for p in pairs
    ]
    return ReviewQueue(page=shown, items=items)


# One pair.


@dataclass(frozen=True)
class Cell:
    """One record's value of a field as this viewer may read it."""

    text: str
    withheld: bool = False
    missing: bool = False


@dataclass(frozen=True)
class FieldRow:
    field: str
    label: str
    left: Cell
    right: Cell
    compared: bool  # the model compared this field (else: whether the values are the same, where both are there)
    agrees: bool | None  # None: a side has no value

    @property
    def tag(self) -> tuple[str, str]:
        """The GOV.UK tag's words and colour."""
        if self.agrees is None:
            return ("Cannot compare", "govuk-tag--grey")
        return ("Agree", "govuk-tag--green") if self.agrees else ("Disagree", "govuk-tag--red")


@dataclass(frozen=True)
class Reason:
    """The model's reason about one field, in words (never a value of the records)."""

    field: str
    label: str
    agrees: bool | None
    weight: float
    words: str


@dataclass(frozen=True)
class Side:
    record: Record
    source: str
    linked: str  # where the record stands now, in words
    person_id: Any  # the platform's person the record is, or is linked to, if any

    @property
    def source_label(self) -> str:
        return source_label(self.source)


@dataclass(frozen=True)
class PairView:
    pair: ReviewPair
    left: Side
    right: Side
    rows: list[FieldRow]
    reasons: list[Reason]
    withheld: list[str]  # the labels of the categories whose values are not shown

    @property
    def open(self) -> bool:
        """Still waiting for a decision (someone may have been not sure)."""
        return self.pair.status in WAITING

    @property
    def state(self) -> str:
        """The pair's state when shown: the decision form sends it back, and a pair changed since is refused."""
        return self.pair.state

    @property
    def probability(self) -> str:
        return percent(self.pair.match_probability)


def _current_address(person: Person) -> Any:
    today = timezone.localdate()
    current = [a for a in person.addresses.all() if a.end_date is None or a.end_date > today]
    return max(current, key=lambda a: a.start_date or datetime.date.min, default=None)


def _values(record: Record) -> dict[str, str]:
    """The record's values as its source holds them (empty where it has none)."""
    if record.person is not None:
        p = record.person
        address = _current_address(p)
        return {
            "given_name": p.given_name,
            "family_name": p.family_name,
            "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else "",
            "sex": p.sex if p.sex in SEX else "",
            "postcode": address.postcode if address else "",
            "address": ", ".join(x for x in (address.address_line, address.town) if x) if address else "",
            "nhs_number": p.nhs_number,
            "upn": p.upn,
            "school": "",
            "reference": "",
        }
    s: SourcePerson | None = record.source_person
    if s is None:
        return {}
    return {
        "given_name": s.given_name,
        "family_name": s.family_name,
        "date_of_birth": s.date_of_birth.isoformat() if s.date_of_birth else "",
        "sex": s.sex if s.sex in SEX else "",
        "postcode": s.postcode,
        "address": "",
        "nhs_number": s.nhs_number,
        "upn": s.upn,
        "school": s.school_urn,
        "reference": s.ref,
    }


def _shown(field: str, value: str, record: Record) -> str:
    if field == "date_of_birth":
        return datetime.date.fromisoformat(value).strftime("%-d %B %Y")
    if field == "sex":
        return SEX[value]
    if field == "nhs_number" and record.source_person is not None and not record.source_person.nhs_number_usable:
        return f"{value} (its check digit is wrong: not compared)"
    if field == "upn" and record.source_person is not None and not record.source_person.upn_usable:
        return f"{value} (its check letter is wrong: not compared)"
    return value


def _same(a: str, b: str) -> bool:
    return "".join(a.split()).upper() == "".join(b.split()).upper()


def _linked(record: Record) -> tuple[str, Any]:
    if record.person_id is not None:
        return "A person already known here", record.person_id
    if record.identity is None:
        return "Not linked yet: waiting for a decision", None
    if record.identity.person_id is not None:
        return "Linked to a person already known here", record.identity.person_id
    return "Linked to other agencies' records of the same person", None


def _side(record: Record) -> Side:
    linked, person_id = _linked(record)
    return Side(record=record, source=source_of(record), linked=linked, person_id=person_id)


def _pairs() -> QuerySet[ReviewPair]:
    return ReviewPair.objects.select_related(
        "left__source_person",
        "left__person",
        "left__identity",
        "right__source_person",
        "right__person",
        "right__identity",
        "decided_by",
    ).prefetch_related("left__person__addresses", "right__person__addresses")


def review_pair(*, viewer: Viewer, pair_id: Any) -> PairView:
    """One pair side by side: each field's two values as far as the viewer's categories allow, whether they agree,
    and the model's reasons in words. Audited, once for each person in the platform the pair concerns."""
    event = "linkage.review_pair_view"
    _require_reviewer(
        viewer,
        event=event,
        object_type=record_type(ReviewPair),
        object_id=pair_id,
        attempted="pair",
        person=lambda: _person_of_pair(pair_id),
    )
    wanted = record_id(pair_id)
    pair = _pairs().filter(pk=wanted).first() if wanted else None
    if pair is None:
        raise _refuse(
            viewer, what="pair: no such record", object_type=record_type(ReviewPair), object_id=pair_id, event=event
        )
    readable = access.readable_categories(viewer)
    left, right = _side(pair.left), _side(pair.right)
    values = (_values(pair.left), _values(pair.right))
    compared = {str(c.get("field")): c.get("agrees") for c in pair.comparison if isinstance(c, dict)}
    rows: list[FieldRow] = []
    withheld: set[str] = set()
    for field, label, category in FIELDS:
        if field == "address" and not (values[0].get(field) or values[1].get(field)):
            continue  # only the platform's people have an address: no row when neither record does
        cells = []
        for side, vals in zip((left, right), values, strict=True):
            wanted_category = SOURCE_CATEGORIES.get(side.source, "") if category == "source" else category
            value = vals.get(field, "")
            if not value:
                cells.append(Cell(MISSING, missing=True))
            elif wanted_category not in readable:
                cells.append(Cell(WITHHELD, withheld=True))
                withheld.add(wanted_category)
            else:
                cells.append(Cell(_shown(field, value, side.record)))
        a, b = values[0].get(field, ""), values[1].get(field, "")
        if field in compared:
            agrees = compared[field]
            rows.append(FieldRow(field, label, cells[0], cells[1], True, None if agrees is None else bool(agrees)))
        else:
            rows.append(FieldRow(field, label, cells[0], cells[1], False, _same(a, b) if a and b else None))
    reasons = [
        Reason(
            field=str(c.get("field", "")),
            label=str(c.get("label", "")),
            agrees=c.get("agrees"),
            weight=float(c.get("weight") or 0),
            words=str(c.get("words", "")),
        )
        for c in pair.comparison
        if isinstance(c, dict)
    ]
    labels = access.policy().category_labels
    people = list(dict.fromkeys(p for p in (left.person_id, right.person_id) if p is not None))
    with transaction.atomic():
        for person in people or [None]:
            audit_record(
                actor=viewer,
                action=AuditAction.VIEW,
                obj=pair,
                event=event,
                person=person,
                purpose="Record linkage's clerical review",
                detail={
                    "records": [str(pair.left_id), str(pair.right_id)],
                    "people": [str(p) for p in people],
                    "withheld": sorted(withheld),
                },
            )
    return PairView(
        pair=pair,
        left=left,
        right=right,
        rows=rows,
        reasons=reasons,
        withheld=[labels.get(c, c) for c in sorted(withheld)],
    )


# The history of merges and splits.


@dataclass(frozen=True)
class HistoryItem:
    change: IdentityChange
    records_moved: int
    undone_at: datetime.datetime | None

    @property
    def undoable(self) -> bool:
        return self.change.kind == "merge" and self.undone_at is None


@dataclass(frozen=True)
class History:
    page: Page[IdentityChange]
    items: list[HistoryItem]
    details: bool  # the viewer reviews linkage: reasons, and the undoing of merges; otherwise no child's details

    @property
    def total(self) -> int:
        return self.page.paginator.count


def can_read_history(viewer: Viewer) -> bool:
    """Reviewers, and administrators (who read the whole audit trail), without a child's details."""
    return access.can_review_linkage(viewer) or (
        access.audit_scope(viewer) == "all" and access.profile_of(viewer) is not None
    )


def _moved(change: IdentityChange) -> int:
    journal = change.journal if isinstance(change.journal, dict) else {}
    return len(journal.get("records") or [])


def identity_history(*, viewer: Viewer, page: Any = 1) -> History:
    """Every merge, unmerge, split and move, newest first: when, who, what kind, how many records moved, and (for a
    reviewer) why. Reading it is audited."""
    event = "linkage.history_view"
    if not can_read_history(viewer):
        raise _refuse(
            viewer,
            what="linkage history: the role does not read it",
            object_type="identity_history",
            object_id="",
            event=event,
        )
    changes = IdentityChange.objects.select_related("undone_by").order_by("-at", "pk")
    with transaction.atomic():
        shown = Paginator(changes, PAGE_SIZE).get_page(page)
        rows = list(shown.object_list)
        shown.object_list = rows
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("identity_history", shown.number),
            event=event,
            purpose="Record linkage's history of merges and splits",
            detail={"page": shown.number, "shown": [str(c.pk) for c in rows]},
        )
    items = [HistoryItem(c, _moved(c), _undone_at(c)) for c in rows]
    return History(page=shown, items=items, details=access.can_review_linkage(viewer))


def _undone_at(change: IdentityChange) -> datetime.datetime | None:
    try:
        return change.undone_by.at
    except IdentityChange.DoesNotExist:
        return None


@dataclass(frozen=True)
class MovedRecord:
    source: str
    name: Cell
    date_of_birth: Cell

    @property
    def source_label(self) -> str:
        return source_label(self.source)


@dataclass(frozen=True)
class MergeView:
    """A merge a reviewer may undo: what it did, and the records that would go back."""

    change: IdentityChange
    records: list[MovedRecord]
    undone_at: datetime.datetime | None

    @property
    def undoable(self) -> bool:
        return self.change.kind == "merge" and self.undone_at is None


def identity_change(*, viewer: Viewer, change_id: Any) -> MergeView:
    """One change in the history, for a reviewer deciding whether to undo it: the records it moved (their sources,
    names and dates of birth as far as the viewer's categories allow). Audited like the history."""
    event = "linkage.history_view"
    _require_reviewer(
        viewer, event=event, object_type=record_type(IdentityChange), object_id=change_id, attempted="identity change"
    )
    wanted = record_id(change_id)
    found = IdentityChange.objects.select_related("identity", "undone_by").filter(pk=wanted) if wanted else None
    change = found.first() if found is not None else None
    if change is None:
        raise _refuse(
            viewer,
            what="identity change: no such record",
            object_type=record_type(IdentityChange),
            object_id=change_id,
            event=event,
        )
    journal = change.journal if isinstance(change.journal, dict) else {}
    moved = [record_id(row[0]) for row in journal.get("records") or [] if isinstance(row, list | tuple) and row]
    records = list(
        Record.objects.filter(pk__in=[i for i in moved if i])
        .select_related("source_person", "person")
        .order_by("person", "source_person__feed", "pk")
    )
    identity_shown = "identity" in access.readable_categories(viewer)
    shown = []
    people: list[Any] = [change.identity.person_id] if change.identity.person_id else []
    for r in records:
        subject: Any = r.person or r.source_person
        if r.person_id:
            people.append(r.person_id)
        name = " ".join(x for x in (subject.given_name, subject.family_name) if x) if subject else ""
        born = (
            _shown("date_of_birth", subject.date_of_birth.isoformat(), r) if subject and subject.date_of_birth else ""
        )
        shown.append(
            MovedRecord(
                source=source_of(r),
                name=_identity_cell(name, identity_shown),
                date_of_birth=_identity_cell(born, identity_shown),
            )
        )
    people = list(dict.fromkeys(people))
    with transaction.atomic():
        for person in people or [None]:
            audit_record(
                actor=viewer,
                action=AuditAction.VIEW,
                obj=change,
                event=event,
                person=person,
                purpose="Record linkage's history of merges and splits",
                detail={"records": [str(r.pk) for r in records], "people": [str(p) for p in people]},
            )
    return MergeView(change=change, records=shown, undone_at=_undone_at(change))


def _identity_cell(value: str, readable: bool) -> Cell:
    if not value:
        return Cell(MISSING, missing=True)
    return Cell(value) if readable else Cell(WITHHELD, withheld=True)
