"""The front door's figures: counts only, never a child.

Front-door workers, who may open every child's record anyway, see the counts in full. Everyone else who
may see the figures (analysts, managers and panel chairs, who see aggregates) sees them with small numbers
suppressed through `continuum.disclosure`: a table whose counts add up to a number of referrals or
decisions is suppressed against that number, so no hidden count can be worked out by subtraction; a
table where one referral can count in several rows (reasons) hides its small counts only.

Every figure comes from a fixed handful of queries, however many referrals there are.
"""

from __future__ import annotations

import datetime
import functools
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Viewer
from continuum.agencies.selectors import agencies_of_kind
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.disclosure import SMALL_NUMBER, CountRow, TableDiscloses, suppress, suppress_table
from continuum.frontdoor.models import Decision, Referral, ReferralReason, SchoolOffer, Transfer, WaitingListEntry
from continuum.periods import years_before
from continuum.workingdays import working_days_between

RE_REFERRAL = datetime.timedelta(days=365)
DUPLICATE = datetime.timedelta(days=30)
# Working days from receipt to the first decision that the front door aims for: the queue's target
# (settings.DECISION_TARGET_WORKING_DAYS, which the screening pages read too), one working day by default.
DEFAULT_TARGET_WORKING_DAYS = 1


def decision_target() -> int:
    return int(getattr(settings, "DECISION_TARGET_WORKING_DAYS", DEFAULT_TARGET_WORKING_DAYS))


@dataclass(frozen=True)
class Period:
    """From the start of `first` to the end of `last` (inclusive, local dates)."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def last_twelve_months(cls, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(years_before(today, 1) + datetime.timedelta(days=1), today)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.first, datetime.time(), zone)
        end = datetime.datetime.combine(self.last + datetime.timedelta(days=1), datetime.time(), zone)
        return start, end

    def contains(self, moment: datetime.date) -> bool:
        return self.first <= moment <= self.last


@dataclass(frozen=True)
class Figure:
    """One table of counts (and the chart drawn from the same rows)."""

    key: str  # the figure's name in the download
    title: str
    group: str  # the heading of the label column
    counted: str  # the heading of the count column
    rows: list[CountRow] | None  # None: it cannot be shown without identifying someone
    note: str = ""


@dataclass(frozen=True)
class Wait:
    """A programme's waiting list: children waiting now, those who joined in the period, how long the
    waits that ended in the period lasted (the median, in days), and how many ended."""

    programme: str
    waiting_now: CountRow
    joined: CountRow
    ended: CountRow
    median_days: str


@dataclass(frozen=True)
class Dashboard:
    period: Period
    suppressed: bool
    target: int
    referrals: CountRow
    decisions: CountRow
    figures: list[Figure]
    waits: list[Wait] | None
    waiting_chart: list[CountRow] | None = field(default=None)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def _in(period: Period, field_name: str) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _table(rows: Sequence[tuple[str, int]], *, total: int | None, suppressed: bool) -> list[CountRow] | None:
    """Rows in full, or through small-number suppression; None when nothing can protect the table."""
    if not suppressed:
        return [CountRow(label, count) for label, count in rows]
    try:
        return suppress_table(rows, total=total)
    except TableDiscloses:
        return None


def front_door_dashboard(*, viewer: Viewer, period: Period, export: bool = False) -> Dashboard:
    """The front door's figures for a period, audited as a view (or a download of the same figures)."""
    access.require(access.can_see_front_door_figures(viewer))
    suppressed = not access.can_screen(viewer)
    target = decision_target()
    with transaction.atomic():
        # The period's referrals, each with what the figures ask of it, in one query.
        earlier = Referral.objects.filter(person_id=OuterRef("person_id"), received_at__lt=OuterRef("received_at"))
        referrals = list(
            Referral.objects.filter(_in(period, "received_at"))
            .annotate(
                first_decided=Min("decisions__decided_at"),
                previous=Subquery(earlier.order_by("-received_at").values("received_at")[:1]),
                to_programme=Exists(Decision.objects.filter(referral_id=OuterRef("pk"), route="programme")),
                waiting_now=Exists(WaitingListEntry.objects.current().filter(referral_id=OuterRef("pk"))),
            )
            .order_by()
            .values_list(
                "received_at",
                "referrer_agency__kind",
                "first_decided",
                "previous",
                "to_programme",
                "waiting_now",
                "allocation_id",
            )
        )
        reasons = dict(
            ReferralReason.objects.filter(_in(period, "referral__received_at"))
            .values_list("reason")
            .annotate(n=Count("pk"))
            .order_by()
        )
        decisions = list(
            Decision.objects.filter(_in(period, "decided_at"))
            .values_list("route", "level")
            .annotate(n=Count("pk"))
            .order_by()
        )
        waits = list(
            WaitingListEntry.objects.filter(
                Q(pk__in=WaitingListEntry.objects.current())
                | _in_dates(period, "start_date")
                | _in_dates(period, "end_date")
            ).values_list("programme__name", "start_date", "end_date")
        )
        audit_record(
            actor=viewer,
            action=AuditAction.EXPORT if export else AuditAction.VIEW,
            obj=Subject("front_door_dashboard"),
            event="frontdoor.dashboard_export" if export else "frontdoor.dashboard_view",
            purpose="Front-door figures" + (" (small numbers suppressed)" if suppressed else ""),
            detail={"from": period.first.isoformat(), "to": period.last.isoformat(), "suppressed": suppressed},
        )

    total = len(referrals)
    kinds: Counter[str] = Counter()
    timing: Counter[str] = Counter()
    again: Counter[str] = Counter()
    outcome: Counter[str] = Counter()
    between = functools.cache(working_days_between)
    local = timezone.localtime
    for received, kind, decided, previous, to_programme, waiting_now, allocation in referrals:
        kinds[kind] += 1
        if decided is None:
            timing["undecided"] += 1
        else:
            days = between(local(received).date(), local(decided).date())
            timing["target" if days <= target else "week" if days <= target + 5 else "later"] += 1
        gap = None if previous is None else received - previous
        again["first" if gap is None or gap > RE_REFERRAL else "duplicate" if gap <= DUPLICATE else "again"] += 1
        if decided is None:
            pass  # counted once, in the time to decision: the same count in two tables could undo suppression
        elif not to_programme:
            outcome["other"] += 1
        else:
            outcome["allocated" if allocation else "waiting" if waiting_now else "not_started"] += 1

    by_route: Counter[str] = Counter()
    by_level: Counter[int] = Counter()
    for route, level, n in decisions:
        by_route[route] += n
        by_level[level] += n
    decided_total = sum(by_route.values())

    def table(rows: Sequence[tuple[str, int]], total: int | None) -> list[CountRow] | None:
        return _table(rows, total=total, suppressed=suppressed)

    working = "working day" if target == 1 else "working days"
    figures = [
        Figure(
            "referrals_by_source",
            "Referrals by the kind of agency that made them",
            "Agency",
            "Referrals",
            table([(label, kinds[code]) for code, label in v.AGENCY_KIND], total),
        ),
        Figure(
            "referrals_by_reason",
            "Referrals by reason",
            "Reason",
            "Referrals",
            table([(label, reasons.get(code, 0)) for code, label in v.REFERRAL_REASON], None),
            "A referral may give several reasons, so these do not add up to the number of referrals.",
        ),
        Figure(
            "decisions_by_route",
            "Decisions by route",
            "Route",
            "Decisions",
            table([(label, by_route[code]) for code, label in v.ROUTE], decided_total),
            "Every decision made in the period, including a second decision after a team declined a referral.",
        ),
        Figure(
            "decisions_by_level",
            "Decisions by level of need",
            "Level of need",
            "Decisions",
            table([(label, by_level[int(code)]) for code, label in v.LEVEL_OF_NEED], decided_total),
        ),
        Figure(
            "time_to_decision",
            f"Time from referral to first decision, against the target of {target} {working}",
            "Time to decide",
            "Referrals",
            table(
                [
                    (f"Within the target ({target} {working} or less)", timing["target"]),
                    ("Up to 5 working days over the target", timing["week"]),
                    ("More than 5 working days over the target", timing["later"]),
                    ("Not decided yet", timing["undecided"]),
                ],
                total,
            ),
            "Working days exclude weekends and England's bank holidays; "
            "a referral decided on the day it arrived took none.",
        ),
        Figure(
            "re_referrals",
            "Re-referrals within 12 months",
            "Referral",
            "Referrals",
            table(
                [
                    ("First referral for the child in 12 months", again["first"]),
                    ("Re-referral: another referral 31 days to 12 months before", again["again"]),
                    ("Possible duplicate: another referral in the 30 days before", again["duplicate"]),
                ],
                total,
            ),
        ),
        Figure(
            "conversion",
            "Decided referrals that went on to a programme",
            "Outcome",
            "Referrals",
            table(
                [
                    ("Routed to a programme and allocated to a practitioner", outcome["allocated"]),
                    ("Routed to a programme and on its waiting list", outcome["waiting"]),
                    (
                        "Routed to a programme, not started (waiting for the team, declined or withdrawn)",
                        outcome["not_started"],
                    ),
                    ("Decided on another route", outcome["other"]),
                ],
                total - timing["undecided"],
            ),
            "Referrals received in the period that have been decided (those not decided yet are counted above).",
        ),
    ]
    wait_rows, chart = _waits(waits, period, suppressed)
    return Dashboard(
        period=period,
        suppressed=suppressed,
        target=target,
        referrals=suppress("Referrals received", total) if suppressed else CountRow("Referrals received", total),
        decisions=suppress("Decisions made", decided_total)
        if suppressed
        else CountRow("Decisions made", decided_total),
        figures=figures,
        waits=wait_rows,
        waiting_chart=chart,
    )


def _in_dates(period: Period, field_name: str) -> Q:
    return Q(**{f"{field_name}__gte": period.first, f"{field_name}__lte": period.last})


def _waits(
    entries: list[tuple[str, datetime.date, datetime.date | None]], period: Period, suppressed: bool
) -> tuple[list[Wait] | None, list[CountRow] | None]:
    """Each programme's waiting list: waiting now, joined in the period, waits that ended in the period and
    their median length. The three counts each add up over the programmes, so each is suppressed against
    its own total; a median is shown only over at least SMALL_NUMBER waits."""
    today = timezone.localdate()
    now: Counter[str] = Counter()
    joined: Counter[str] = Counter()
    lengths: dict[str, list[int]] = {}
    for programme, start, end in entries:
        if start <= today and (end is None or end > today):
            now[programme] += 1
        if period.contains(start):
            joined[programme] += 1
        if end is not None and period.contains(end):
            lengths.setdefault(programme, []).append((end - start).days)
    names = sorted(set(now) | set(joined) | set(lengths))
    if not names:
        return [], []
    columns = []
    for counts in (now, joined, {name: len(lengths.get(name, [])) for name in names}):
        rows = [(name, counts.get(name, 0)) for name in names]
        columns.append(_table(rows, total=sum(n for _, n in rows), suppressed=suppressed))
    if any(column is None for column in columns):
        return None, None
    waiting, started, ended = columns
    assert waiting is not None and started is not None and ended is not None
    waits = []
    for i, name in enumerate(names):
        days = lengths.get(name, [])
        enough = len(days) >= (SMALL_NUMBER if suppressed else 1) and ended[i].count is not None
        median = f"{statistics.median(days):g}" if enough else ("none ended" if not days else "not shown")
        waits.append(Wait(name, waiting[i], started[i], ended[i], median))
    return waits, waiting


@dataclass(frozen=True)
class SchoolRow:
    name: str
    sent: CountRow
    accepted: CountRow
    last_referral: datetime.date | None
    since_last: str  # "12 days", or a band for viewers who see suppressed figures
    offers: list[str]


SCHOOL_SORTS = {
    "name": "School name",
    "sent": "Referrals sent",
    "accepted": "Referrals accepted",
    "last": "Time since the last referral",
}


def school_engagement(*, viewer: Viewer, period: Period, sort: str = "name") -> list[SchoolRow] | None:
    """Per school: referrals sent in the period and how many were accepted, the time since its last referral,
    and the offers it took up in the period. None when the counts cannot be shown without identifying a child.

    Accepted: the front door routed the referral to a programme or stepped it up to children's social care,
    or a team accepted it.
    """
    access.require(access.can_see_front_door_figures(viewer))
    suppressed = not access.can_screen(viewer)
    in_period = _in(period, "referrals_made__received_at")
    accepted_referral = Q(referrals_made__decisions__route__in=["programme", "step_up"]) | Q(
        referrals_made__decisions__transfers__status=Transfer.Status.ACCEPTED
    )
    with transaction.atomic():
        schools = list(
            agencies_of_kind("school")
            .annotate(
                sent=Count("referrals_made", filter=in_period, distinct=True),
                accepted=Count("referrals_made", filter=in_period & accepted_referral, distinct=True),
                last_referral=Subquery(
                    Referral.objects.filter(referrer_agency_id=OuterRef("pk"))
                    .order_by("-received_at")
                    .values("received_at")[:1]
                ),
            )
            .values_list("pk", "name", "sent", "accepted", "last_referral")
            .order_by("name")
        )
        offers: dict[object, list[str]] = {}
        labels = dict(v.SCHOOL_OFFER)
        for agency_id, offer in (
            SchoolOffer.objects.filter(on__gte=period.first, on__lte=period.last)
            .order_by("agency_id", "offer")
            .values_list("agency_id", "offer")
            .distinct()
        ):
            offers.setdefault(agency_id, []).append(labels.get(offer, offer))
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("school_engagement"),
            event="frontdoor.dashboard_view",
            purpose="School engagement figures" + (" (small numbers suppressed)" if suppressed else ""),
            detail={"from": period.first.isoformat(), "to": period.last.isoformat(), "suppressed": suppressed},
        )
    sent = _table([(name, n) for _, name, n, _, _ in schools], total=sum(r[2] for r in schools), suppressed=suppressed)
    accepted = _table(
        [(name, n) for _, name, _, n, _ in schools], total=sum(r[3] for r in schools), suppressed=suppressed
    )
    if sent is None or accepted is None:
        return None
    today = timezone.localdate()
    rows = []
    for i, (agency_id, name, _, _, last) in enumerate(schools):
        last_day = timezone.localtime(last).date() if last else None
        rows.append(
            SchoolRow(
                name=name,
                sent=sent[i],
                accepted=accepted[i],
                last_referral=None if suppressed else last_day,
                since_last=_since(last_day, today, banded=suppressed),
                offers=offers.get(agency_id, []),
            )
        )
    return _sorted(rows, sort, [last for *_, last in schools])


def _since(last: datetime.date | None, today: datetime.date, *, banded: bool) -> str:
    if last is None:
        return "No referrals yet"
    days = (today - last).days
    if not banded:
        return "Today" if days == 0 else "1 day" if days == 1 else f"{days:,} days"
    if days <= 30:
        return "Within the last month"
    if days <= 91:
        return "1 to 3 months"
    if days <= 365:
        return "3 to 12 months"
    return "More than 12 months"


def _sorted(rows: list[SchoolRow], sort: str, last: list[datetime.datetime | None]) -> list[SchoolRow]:
    """Sorted by name, or by a count (largest first, suppressed counts last), or by the most recent referral
    first. Suppressed counts sort together, so the order tells no more than the page does."""
    position = {id(row): i for i, row in enumerate(rows)}
    if sort == "sent":
        return sorted(rows, key=lambda r: (r.sent.count is None, -(r.sent.count or 0), r.name))
    if sort == "accepted":
        return sorted(rows, key=lambda r: (r.accepted.count is None, -(r.accepted.count or 0), r.name))
    if sort == "last":
        stamp = {id(r): last[position[id(r)]] for r in rows}
        return sorted(rows, key=lambda r: (_recency(r, stamp[id(r)]), r.name))
    return rows


def _recency(row: SchoolRow, last: datetime.datetime | None) -> tuple[int, float]:
    bands = ("Within the last month", "1 to 3 months", "3 to 12 months", "More than 12 months")
    if last is None:
        return (len(bands), 0.0)
    if row.last_referral is None:  # banded: sort by band only, so the order gives away no exact date
        return (bands.index(row.since_last), 0.0)
    return (0, -last.timestamp())
