"""Reading attendance alerts: a worker's (a team manager's: their team's), one alert with its evidence, how many wait,
and how long follow-ups take.

Only the recipient and their team manager read an alert, and only while they may open the child's record; anyone
else gets the audited 404 a record that does not exist gets.

The measure (the issue's "time from the absence to the follow-up"): days from the run's last absence, as the alert
recorded it, to the day the follow-up was recorded; the median and the 90th percentile (nearest rank) over the
alerts followed up, and how many wait. `follow_up_times` takes any alerts (or (last absence, followed-up time)
pairs); `follow_up_times_for` reads them from the store for a benchmark or an analyst (counts only, no child).
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from continuum.agencies import access
from continuum.audit.services import AuditAction, Subject, audit_record, audit_refusal, record_type
from continuum.signals.feeds.codes import ATTENDANCE
from continuum.signals.models import AttendanceAlert

FOLLOWED_SHOWN = 20  # followed-up alerts listed under the waiting ones (the measure counts them all)


def handled_by(viewer: Any) -> Q:
    """A filter on AttendanceAlert: the alerts this viewer follows up (their own: the worker told may be of any role
    that opens children's records, a school's designated lead as lead professional, say) or oversees (a team
    manager: those of their team's workers). Nothing for anyone else."""
    profile = access.profile_of(viewer)
    if profile is None or not access.can_search_people(viewer):
        return Q(pk__in=[])
    mine = Q(recipient_id=profile.pk)
    if access.can_manage_team(viewer) and profile.team_id is not None:
        mine |= Q(recipient__team_id=profile.team_id)
    return mine


def _handles(viewer: Any, alert: AttendanceAlert) -> bool:
    """Whether the viewer follows up or oversees this alert (handled_by, for one alert with its recipient read)."""
    profile = access.profile_of(viewer)
    if profile is None or not access.can_search_people(viewer):
        return False
    if alert.recipient_id == profile.pk:
        return True
    return access.can_manage_team(viewer) and profile.team_id is not None and alert.recipient.team_id == profile.team_id


def _theirs(viewer: Any) -> QuerySet[AttendanceAlert]:
    """The viewer's alerts about children whose record they may open."""
    return access.scoped(AttendanceAlert.objects.filter(handled_by(viewer)), viewer)


@dataclass(frozen=True)
class FollowUpTimes:
    """Days from a run's last absence to its follow-up, over the alerts followed up; and how many wait."""

    followed_up: int
    waiting: int
    median_days: float | None
    p90_days: int | None


def follow_up_times(alerts: Iterable[Any]) -> FollowUpTimes:
    """The measure over these alerts: AttendanceAlert rows, or (last_absence, followed_up_at or None) pairs."""
    days: list[int] = []
    waiting = 0
    for alert in alerts:
        last, done = (alert.last_absence, alert.followed_up_at) if hasattr(alert, "last_absence") else alert
        if done is None:
            waiting += 1
        else:
            days.append((timezone.localdate(done) - last).days)
    if not days:
        return FollowUpTimes(followed_up=0, waiting=waiting, median_days=None, p90_days=None)
    days.sort()
    return FollowUpTimes(
        followed_up=len(days),
        waiting=waiting,
        median_days=statistics.median(days),
        p90_days=days[math.ceil(0.9 * len(days)) - 1],
    )


def follow_up_times_for(
    *, recipient_ids: Iterable[Any] | None = None, raised_since: datetime.date | None = None
) -> FollowUpTimes:
    """The measure over the stored alerts (of these recipients; raised on or after a day), in one query. Counts
    only, no child: not audited."""
    alerts = AttendanceAlert.objects.all()
    if recipient_ids is not None:
        alerts = alerts.filter(recipient_id__in=list(recipient_ids))
    if raised_since is not None:
        alerts = alerts.filter(raised_at__date__gte=raised_since)
    return follow_up_times(alerts.values_list("last_absence", "followed_up_at").iterator(chunk_size=10_000))


def waiting_count(*, viewer: Any) -> int:
    """How many of the viewer's alerts wait for a follow-up (for the home page: a count, no child, not audited)."""
    return _theirs(viewer).filter(followed_up_at__isnull=True).count()


@dataclass(frozen=True)
class AlertList:
    team: bool  # a team manager's view: their team's alerts, with whose each is
    waiting: list[AttendanceAlert]  # oldest raised first
    followed: list[AttendanceAlert]  # the latest followed up, newest first
    times: FollowUpTimes


def alert_list(*, viewer: Any) -> AlertList:
    """The viewer's alerts (a team manager's: their team's), waiting first; audited as one read."""
    access.require(access.can_search_people(viewer))
    team = access.can_manage_team(viewer)
    theirs = _theirs(viewer).select_related("person", "recipient")
    waiting = list(theirs.filter(followed_up_at__isnull=True).order_by("raised_at", "last_absence", "pk"))
    followed = list(theirs.filter(followed_up_at__isnull=False).order_by("-followed_up_at", "pk")[:FOLLOWED_SHOWN])
    times = follow_up_times(_theirs(viewer).values_list("last_absence", "followed_up_at"))
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=Subject("attendance_alerts"),
            event="signals.alert_view",
            purpose="The team's attendance alerts" if team else "The user's attendance alerts",
            detail={"people": sorted({str(a.person_id) for a in [*waiting, *followed]})},
        )
    return AlertList(team=team, waiting=waiting, followed=followed, times=times)


@dataclass(frozen=True)
class Session:
    date: datetime.date
    session: str
    code: str

    @property
    def meaning(self) -> str:
        return ATTENDANCE.get(self.code, "Not a code in use")


@dataclass(frozen=True)
class Week:
    monday: datetime.date
    possible: int
    present: int
    authorised: int
    unauthorised: int
    unexplained: int


@dataclass(frozen=True)
class ShownAlert:
    alert: AttendanceAlert
    basis: access.Basis
    may_follow_up: bool  # not yet followed up (the recipient and their manager may record it)
    absences: list[Session]  # consecutive: the run's sessions
    not_counted: list[Session]  # consecutive: sessions inside the run that were not possible sessions
    weeks: list[Week]  # low rate: the window's weeks

    @property
    def evidence(self) -> dict[str, Any]:
        return self.alert.evidence

    def day(self, name: str) -> datetime.date | None:
        """A date the evidence holds (window_from, window_to, below_since), or None."""
        text = self.alert.evidence.get(name)
        return datetime.date.fromisoformat(text) if isinstance(text, str) else None

    @property
    def threshold(self) -> str:
        """The low-rate rule's percentage as written: 90, or 89.5."""
        return f"{float(self.alert.evidence.get('below_percent', 0)):g}"


def _sessions(rows: Any) -> list[Session]:
    return [Session(datetime.date.fromisoformat(r["date"]), r["session"], r["code"]) for r in rows or []]


def alert_detail(*, viewer: Any, alert_id: Any) -> ShownAlert:
    """One alert with its evidence, for its recipient or their team manager while they may open the child; anyone
    else, and an id that does not exist, get the same audited 404."""
    attempted = "view an attendance alert"
    granted = access.get_or_404(
        AttendanceAlert.objects.select_related("person", "recipient", "followed_up_by"),
        viewer,
        attempted=attempted,
        event="signals.alert_view",
        pk=alert_id,
    )
    alert = granted.obj
    if not _handles(viewer, alert):  # may open the child, but the alert is another worker's (or team's)
        audit_refusal(
            actor=viewer,
            object_type=record_type(AttendanceAlert),
            object_id=alert.pk,
            why=f"{attempted}: not the viewer's alert, nor their team's",
            event="signals.alert_view",
            person=alert.person_id,
        )
        raise access.RecordRefused("No record you can open has that reference")
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action=AuditAction.VIEW,
            obj=alert,
            event="signals.alert_view",
            purpose=granted.basis.audit,
        )
    evidence = alert.evidence or {}
    weeks = [
        Week(
            monday=datetime.date.fromisoformat(w["monday"]),
            possible=w["possible"],
            present=w["present"],
            authorised=w["authorised"],
            unauthorised=w["unauthorised"],
            unexplained=w.get("unexplained", 0),
        )
        for w in evidence.get("weeks", [])
    ]
    return ShownAlert(
        alert=alert,
        basis=granted.basis,
        may_follow_up=alert.followed_up_at is None,
        absences=_sessions(evidence.get("absences")),
        not_counted=_sessions(evidence.get("not_counted")),
        weeks=weeks,
    )
