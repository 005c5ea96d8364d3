"""Recording sessions within the programme's session limit, and a manager's agreement to go beyond it.

The limit counts sessions that were delivered: attended ones, and also those the child or family did not attend
without notice (did not attend), because the practitioner's time was given and programmes such as POWER count
a no-show against the course. Sessions cancelled in advance, by the family or by the service, do not count.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Actor, SystemActor
from continuum.agencies.selectors import practitioner_get
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.models import Episode, Session, SessionLimitExtension
from continuum.casework.services._common import locked_episode, manages_lead, still_open
from continuum.identifiers import record_id

COUNTED = ("attended", "did_not_attend")


def sessions_allowed(episode: Episode) -> int | None:
    """The programme's session limit plus every extension a manager agreed; None when the programme has no limit."""
    limit = episode.programme.session_limit if episode.programme else None
    if limit is None:
        return None
    return limit + sum(episode.session_extensions.values_list("extra_sessions", flat=True))


def sessions_counted(episode: Episode) -> int:
    """Sessions that count against the limit (see the module's docstring)."""
    return episode.sessions.filter(attendance__in=COUNTED).count()


def session_record(
    *,
    actor: Actor,
    episode_id: Any,
    held_on: datetime.date,
    kind: str,
    attendance: str,
    duration_minutes: int | None = None,
    practitioner_id: Any = None,
    case_note: str = "",
    next_session_on: datetime.date | None = None,
) -> Session:
    """Record a session. Beyond the programme's session limit (plus agreed extensions) a session that would count
    is refused, naming the limit; the episode is locked while its sessions are counted, so two recorded at once
    cannot both take the last place."""
    errors: dict[str, str] = {}
    if kind not in v.codes(v.SESSION_TYPE):
        errors["kind"] = "Select the type of session"
    if attendance not in v.codes(v.SESSION_ATTENDANCE):
        errors["attendance"] = "Select whether the session happened"
    if duration_minutes is not None and not 1 <= duration_minutes <= 600:
        errors["duration_minutes"] = "The duration must be between 1 and 600 minutes"
    if attendance == "attended" and duration_minutes is None:
        errors["duration_minutes"] = "Enter how long the session lasted, in minutes"
    if next_session_on is not None and next_session_on <= held_on:
        errors["next_session_on"] = "The next session must be after this one"
    with transaction.atomic():
        episode = locked_episode(actor, episode_id, lead=False)
        still_open(episode, what="session", on=held_on, field="held_on")
        profile = access.profile_of(actor)
        practitioner = profile
        if practitioner_id not in (None, "") and record_id(practitioner_id) != getattr(profile, "pk", None):
            wanted = record_id(practitioner_id)
            team = set(episode.team_around_family.current().values_list("practitioner_id", flat=True))
            if wanted not in team | {episode.lead_practitioner_id}:
                errors["practitioner"] = "Choose the lead practitioner or a member of the team around the family"
            else:
                practitioner = practitioner_get(wanted)
        if errors:
            raise ValidationError(errors)
        allowed = sessions_allowed(episode)
        if allowed is not None and attendance in COUNTED:
            counted = sessions_counted(episode)
            if counted >= allowed:
                programme = episode.programme
                assert programme is not None
                extended = allowed - (programme.session_limit or 0)
                raise ValidationError(
                    {
                        "attendance": f"{programme.name} has a limit of {programme.session_limit} sessions"
                        + (f" (and {extended} more agreed by a manager)" if extended else "")
                        + f", and {counted} have been delivered: a manager of the lead practitioner's team must "
                        "agree more sessions, with a reason, before another is recorded"
                    }
                )
        session = Session(
            episode=episode,
            held_on=held_on,
            kind=kind,
            attendance=attendance,
            duration_minutes=duration_minutes,
            practitioner=practitioner,
            case_note=case_note.strip(),
            recorded_by=None if isinstance(actor, SystemActor) else actor,
        )
        session.full_clean(exclude=["episode", "practitioner", "recorded_by"])
        session.save()
        if next_session_on is not None or (episode.next_session_on and episode.next_session_on <= held_on):
            # The booking given with the latest session; one this session has overtaken is no longer booked.
            episode.next_session_on = next_session_on
            episode.save(update_fields=["next_session_on"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=session,
            person=episode.person_id,
            event="casework.session_record",
            purpose=f"{session.get_kind_display()} session, {session.get_attendance_display().lower()}",
        )
    return session


def session_limit_extend(
    *, actor: Actor, episode_id: Any, extra_sessions: int | None, reason: str
) -> SessionLimitExtension:
    """A manager of the lead practitioner's team agrees sessions beyond the programme's limit, with a reason."""
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        if not manages_lead(actor, episode):
            raise ValidationError("Only a manager of the lead practitioner's team can agree more sessions")
        still_open(episode, what="extension")
        if episode.programme is None or episode.programme.session_limit is None:
            raise ValidationError("The episode's programme has no session limit to go beyond")
        errors: dict[str, str] = {}
        if extra_sessions is None or not 1 <= extra_sessions <= 52:
            errors["extra_sessions"] = "Agree between 1 and 52 more sessions"
        if not reason.strip():
            errors["reason"] = "Give the reason more sessions are needed"
        if errors:
            raise ValidationError(errors)
        assert extra_sessions is not None and not isinstance(actor, SystemActor)  # checked above; manages_lead
        extension = SessionLimitExtension.objects.create(
            episode=episode, extra_sessions=extra_sessions, reason=reason.strip(), agreed_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=extension,
            person=episode.person_id,
            event="casework.session_limit_extend",
            purpose=f"{extra_sessions} more sessions agreed: {reason.strip()}",
        )
    return extension
