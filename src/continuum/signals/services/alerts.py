"""The attendance protocol's writes: raising alerts from the marks each night, and a worker's follow-up.

    result = raise_attendance_alerts(actor=SystemActor("cron"), as_of=date(2025, 3, 14))
    alert_follow_up(actor=user, alert_id=alert.pk, action="home_visit", note="Saw mum and Amy at home")

Raising (`continuum signals alerts`, docs/attendance-protocol.md): the children with an open involvement of the
kinds the settings list, each with the worker to tell (agencies' open_involvement_workers: the current lead
allocation, else the involvement's lead practitioner); their runs of absence (continuum.signals.protocol.find_runs,
DuckDB over the marks); an AttendanceAlert for each run whose key (person|rule|first absence) is new, so running it
again raises nothing; one email to each worker with new alerts, saying how many and nothing about any child.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
import uuid
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Actor
from continuum.agencies.selectors import open_involvement_workers, practitioner_addresses
from continuum.audit.services import AuditAction, Subject, audit_record
from continuum.signals.feeds.marks import read_marks
from continuum.signals.feeds.spec import Progress
from continuum.signals.models import AttendanceAlert
from continuum.signals.protocol import Rules, RulesError, find_runs, load_rules
from continuum.signals.selectors.alerts import handled_by
from continuum.signals.selectors.tables import pupils_table

if TYPE_CHECKING:
    from continuum.agencies.models import User

__all__ = ["AlertsResult", "RulesError", "alert_follow_up", "protocol_rules", "raise_attendance_alerts"]

log = logging.getLogger(__name__)

NOTE_LIMIT = 2000
KEY_CHUNK = 5000  # keys looked up per query (SQLite's limit on parameters)


def protocol_rules() -> Rules:
    """The protocol's settings in force: settings.ATTENDANCE_PROTOCOL_PATH if the deployment sets one, else the
    packaged signals/attendance_protocol.toml. RulesError names the file and the entry."""
    return load_rules(getattr(settings, "ATTENDANCE_PROTOCOL_PATH", None))


@dataclass
class AlertsResult:
    """What one run of the protocol did."""

    as_of: datetime.date
    children: int  # children in the protocol: an open involvement of the kinds the settings list
    unallocated: int  # of them, with nobody to tell (no lead allocation, no lead practitioner)
    runs: int  # runs of absence found for children with a worker
    unallocated_runs: int  # runs of children with nobody to tell: no alert raised
    raised: int  # new alerts
    already_raised: int  # runs alerted on an earlier night
    recipients: int  # workers with new alerts: each is emailed once
    by_rule: dict[str, int]  # new alerts by rule
    emailed: int = 0  # emails sent (once the alerts are committed)
    seconds: float = 0.0


def alert_key(person_id: Any, rule: str, first_absence: datetime.date) -> str:
    """One alert per run: the run's child, rule and first date do not change while the run goes on."""
    return f"{person_id}|{rule}|{first_absence.isoformat()}"


def raise_attendance_alerts(
    *, actor: Actor, as_of: datetime.date | None = None, progress: Progress | None = None
) -> AlertsResult:
    """Raise an alert for each new run of absence by a child with an open involvement, for their worker; email
    each worker with new alerts once. Idempotent: a second run on the same marks raises nothing."""
    started = time.monotonic()
    as_of = as_of or timezone.localdate()
    rules = protocol_rules()

    def step(stage: str, done: int) -> None:
        if progress is not None:
            progress(stage, done, 4)

    step("who is in the protocol", 0)
    workers = {
        str(person): worker
        for person, worker in open_involvement_workers(kinds=rules.involvement_kinds, on=as_of).items()
    }
    step("the pupils linked to people", 1)
    pupils = pupils_table()
    step("runs of absence in the marks", 2)
    store = Path(settings.FEEDS_DIR) / "attendance"
    with closing(duckdb.connect()) as con:
        runs = find_runs(
            con=con,
            marks_sql=read_marks(store),
            pupils=pupils,
            children=pa.table({"person_id": pa.array(list(workers), pa.string())}),
            as_of=as_of,
            rules=rules,
        ).to_pylist()
    step("raising alerts", 3)
    worker_of = {person: worker for person, worker in workers.items() if worker is not None}
    for_workers = [run for run in runs if run["person_id"] in worker_of]
    now = timezone.now()
    with transaction.atomic():
        keys = [alert_key(r["person_id"], r["rule"], r["first_absence"]) for r in for_workers]
        existing: set[str] = set()
        for start in range(0, len(keys), KEY_CHUNK):
            chunk = keys[start : start + KEY_CHUNK]
            existing |= set(AttendanceAlert.objects.filter(key__in=chunk).values_list("key", flat=True))
        new = [
            AttendanceAlert(
                id=uuid.uuid4(),
                key=key,
                person_id=uuid.UUID(run["person_id"]),
                recipient_id=worker_of[run["person_id"]],
                rule=run["rule"],
                school_urn=run["school_urn"] or "",
                first_absence=run["first_absence"],
                last_absence=run["last_absence"],
                evidence=json.loads(run["evidence"]),
                raised_at=now,
            )
            for key, run in zip(keys, for_workers, strict=True)
            if key not in existing
        ]
        # A second run at the same moment would find the same keys: the unique key keeps the first one's alerts.
        AttendanceAlert.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        by_recipient: dict[Any, list[uuid.UUID]] = defaultdict(list)
        for alert in new:
            by_recipient[alert.recipient_id].append(alert.id)
        result = AlertsResult(
            as_of=as_of,
            children=len(workers),
            unallocated=len(workers) - len(worker_of),
            runs=len(for_workers),
            unallocated_runs=len(runs) - len(for_workers),
            raised=len(new),
            already_raised=len(for_workers) - len(new),
            recipients=len(by_recipient),
            by_rule=dict(Counter(alert.rule for alert in new)),
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=Subject("attendance_alerts", as_of.isoformat()),
            event="signals.alerts_raise",
            purpose=f"Attendance protocol as at {as_of.isoformat()}: {result.raised} new alerts",
            detail={
                "as_of": as_of.isoformat(),
                "settings": rules.path,
                "children": result.children,
                "unallocated": result.unallocated,
                "runs": result.runs,
                "unallocated_runs": result.unallocated_runs,
                "raised": result.raised,
                "already_raised": result.already_raised,
                "by_rule": result.by_rule,
                "recipients": result.recipients,
                "people": sorted({str(alert.person_id) for alert in new}),  # whom the new alerts are about
            },
        )
        transaction.on_commit(lambda: _email_recipients(by_recipient, result))
    step("done", 4)
    result.seconds = time.monotonic() - started
    return result


def _email_recipients(by_recipient: dict[Any, list[uuid.UUID]], result: AlertsResult) -> None:
    """One email to each worker with new alerts: how many, and where to sign in. No child's name, date of birth,
    school or pupil number: an email can be forwarded, misaddressed or read over a shoulder.

    Each email goes on its own: a worker with no valid address, or a refused message, is logged and does not stop
    the others (their alerts wait on their home page whatever the mail does)."""
    if not by_recipient:
        return
    addresses = practitioner_addresses(practitioner_ids=by_recipient)
    link = reverse("signals:alerts")
    for recipient, alert_ids in by_recipient.items():
        count = len(alert_ids)
        alerts = f"{count} new attendance alert{'' if count == 1 else 's'}"
        try:
            validate_email(addresses.get(recipient, ""))
            send_mail(
                f"{settings.SERVICE_NAME}: {alerts}",
                f"You have {alerts} to follow up: a child you work with has missed school. "
                f"Sign in to {settings.SERVICE_NAME} to see them, at {link}\n"
                "This email names no child on purpose.",
                settings.DEFAULT_FROM_EMAIL,
                [addresses[recipient]],
                fail_silently=False,
            )
        except ValidationError:
            log.warning("attendance alerts: practitioner %s has no valid email; %d alerts wait", recipient, count)
            continue
        except Exception:
            log.exception("attendance alerts: could not email practitioner %s", recipient)
            continue
        AttendanceAlert.objects.filter(pk__in=alert_ids).update(emailed_at=timezone.now())
        result.emailed += 1


def alert_follow_up(*, actor: User, alert_id: Any, action: str, note: str) -> AttendanceAlert:
    """The worker (or their team manager) records what was done about an alert. Once: a recorded follow-up is final.
    Refused with PermissionDenied for anyone else, or for a child the actor may no longer open."""
    rules = protocol_rules()
    note = (note or "").strip()
    problems: dict[str, str] = {}
    if action not in rules.actions:
        problems["action"] = "Select what you did about the absence"
    elif action in rules.note_required and not note:
        problems["note"] = f"Say what was done: '{rules.actions[action]}' needs a note"
    if len(note) > NOTE_LIMIT:
        problems["note"] = f"The note must be {NOTE_LIMIT:,} characters or fewer"
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        try:
            alert = AttendanceAlert.objects.select_for_update().filter(handled_by(actor)).filter(pk=alert_id).first()
        except ValidationError:  # not the shape of an id
            alert = None
        if alert is None or access.access_basis(actor, alert.person_id) is None:
            raise PermissionDenied
        if alert.followed_up_at is not None:
            raise ValidationError({"action": "A follow-up has already been recorded for this alert"})
        alert.follow_up = action
        alert.follow_up_note = note
        alert.followed_up_at = timezone.now()
        alert.followed_up_by = actor
        alert.save(update_fields=["follow_up", "follow_up_note", "followed_up_at", "followed_up_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=alert,
            event="signals.alert_follow_up",
            purpose=f"Attendance alert followed up: {rules.actions[action]}",
            detail={"action": action, "days_since_last_absence": (timezone.localdate() - alert.last_absence).days},
        )
    return alert
