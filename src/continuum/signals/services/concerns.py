"""Writing causes for concern: raise one, call for a triangulation discussion, review it, close it with an outcome.

Every write takes the actor, checks what it is given (a ValidationError with the message a form shows, on its
field), changes and audits in one transaction with the concern locked, and refuses a child the actor may not open
with the same audited 404 as the record. Review, close and triangulation are for the front door and the raiser's
agency (selectors.concerns.may_manage).

A call for triangulation tells the agencies working with the child: an email to each lead or allocated
practitioner of another agency (or the agency's address where nobody is named) that says only that a discussion
was called for about a child they work with, and where to sign in to see it; and their home page lists it.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from continuum.agencies import access
from continuum.agencies.access import Actor
from continuum.agencies.selectors import contacts_working_with
from continuum.audit.services import AuditAction, audit_record
from continuum.identifiers import record_id
from continuum.signals.models import Concern, ConcernReview
from continuum.signals.selectors.concerns import concern_settings, may_manage

log = logging.getLogger(__name__)

NOTE_MAX = 5000
LATEST_REVIEW_DAYS = 366  # a review date further off than a year is a mistake, not a plan


def _note_problem(note: str, *, missing: str) -> str | None:
    if not note:
        return missing
    if len(note) > NOTE_MAX:
        return f"The note must be {NOTE_MAX:,} characters or fewer"
    return None


def _review_date_problem(when: Any, *, today: datetime.date, label: str) -> str | None:
    if not isinstance(when, datetime.date) or isinstance(when, datetime.datetime):
        return f"Enter {label}"
    if when < today:
        return f"{label[0].upper()}{label[1:]} must be today or in the future"
    if when > today + datetime.timedelta(days=LATEST_REVIEW_DAYS):
        return f"{label[0].upper()}{label[1:]} must be within a year of today"
    return None


def _raise_problems(*, category: str, note: str, review_by: Any, today: datetime.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if category not in concern_settings().category_codes:
        errors["category"] = "Select what the concern is about"
    if problem := _note_problem(note, missing="Describe your concern"):
        errors["note"] = problem
    if review_by is not None and (problem := _review_date_problem(review_by, today=today, label="the review date")):
        errors["review_by"] = problem
    return errors


def _actor_profile(actor: Actor) -> Any:
    """The actor's practitioner record: a concern is a practitioner's, to be contacted about it."""
    access.require(access.can_raise_concerns(actor))
    profile = access.profile_of(actor)
    if profile is None:  # can_raise_concerns needs a profile: a command (the system) raises nothing
        raise PermissionDenied("Only a signed-in practitioner raises a cause for concern")
    return profile


def _user_id(actor: Actor) -> int:
    """The signed-in actor's id (_actor_profile has refused anyone else)."""
    if actor.pk is None:
        raise PermissionDenied("Only a signed-in practitioner changes a cause for concern")
    return actor.pk


def concern_raise(
    *,
    actor: Actor,
    person_id: Any,
    category: str,
    note: str,
    triangulation: bool,
    review_by: datetime.date | None = None,
) -> Concern:
    """Mark a child the actor may open as a cause for concern, with a category from the settings and a note; the
    review date defaults to the settings' review period. With `triangulation`, the agencies working with the child
    are told (see the module's docstring)."""
    profile = _actor_profile(actor)
    person, basis = access.person_or_404(
        actor, person_id, attempted="raise a cause for concern", event="signals.concern_raise"
    )
    today = timezone.localdate()
    note = (note or "").strip()
    errors = _raise_problems(category=category, note=note, review_by=review_by, today=today)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    concern = Concern(
        person=person,
        category=category,
        note=note,
        raised_by_id=_user_id(actor),
        practitioner=profile,
        agency_id=profile.agency_id,
        raised_at=now,
        triangulation=bool(triangulation),
        triangulation_requested_at=now if triangulation else None,
        review_by=review_by or today + datetime.timedelta(days=concern_settings().review_days),
    )
    concern.full_clean()
    with transaction.atomic():
        concern.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=concern,
            event="signals.concern_raise",
            purpose=f"Cause for concern: {concern_settings().category_label(category)}. {basis.audit}",
            detail={"category": category, "triangulation": concern.triangulation, "review_by": str(concern.review_by)},
        )
        if concern.triangulation:
            _triangulation_called(actor, concern)
    return concern


def _manageable(actor: Actor, concern_id: Any, *, attempted: str, event: str) -> Any:
    """The concern's id if the actor may open its child and manage it (the front door, the raiser's agency).

    Refused with the record's audited 404 when the actor may not open the child, and with PermissionDenied when
    they may open it but not manage it. Called before the write's transaction: a refusal's audit row must not be
    rolled back with it.
    """
    _actor_profile(actor)
    concern, _ = access.get_or_404(
        Concern.objects.all(), actor, attempted=attempted, event=event, pk=record_id(concern_id)
    )
    if not may_manage(actor, concern):
        raise PermissionDenied("Only the front door and the raiser's agency change a cause for concern")
    return concern.pk


def _locked_open(pk: Any) -> Concern:
    """The concern, locked for the rest of the transaction, if it is still open."""
    concern = Concern.objects.select_for_update().get(pk=pk)
    if concern.status != Concern.Status.OPEN:
        raise ValidationError("This concern is closed: nothing was changed")
    return concern


def concern_request_triangulation(*, actor: Actor, concern_id: Any, note: str) -> Concern:
    """Call for a triangulation discussion about an open concern, saying what it should consider; the agencies
    working with the child are told. Refused when one has already been called for."""
    note = (note or "").strip()
    if problem := _note_problem(note, missing="Say what the triangulation discussion should consider"):
        raise ValidationError({"note": problem})
    pk = _manageable(actor, concern_id, attempted="call for triangulation", event="signals.concern_triangulation")
    with transaction.atomic():
        concern = _locked_open(pk)
        if concern.triangulation:
            raise ValidationError("A triangulation discussion has already been called for about this concern")
        now = timezone.now()
        concern.triangulation = True
        concern.triangulation_requested_at = now
        concern.save(update_fields=["triangulation", "triangulation_requested_at"])
        # The note is kept as a review made at the moment of the call (the selectors label it so).
        ConcernReview.objects.create(
            concern=concern,
            reviewed_by_id=_user_id(actor),
            reviewed_at=now,
            note=note,
            next_review_by=concern.review_by,
        )
        _triangulation_called(actor, concern)
    return concern


def _triangulation_called(actor: Actor, concern: Concern) -> None:
    """Audit the call (inside the caller's transaction) and, once it commits, email the agencies working with the
    child."""
    contacts = [c for c in contacts_working_with(person_id=concern.person_id) if c.agency_id != concern.agency_id]
    contacts = [c for c in contacts if c.practitioner_id is None or c.practitioner_id != concern.practitioner_id]
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=concern,
        event="signals.concern_triangulation",
        purpose="Called for a triangulation discussion between the agencies working with the child",
        detail={"told": [{"agency": c.agency, "practitioner": str(c.practitioner_id or "")} for c in contacts]},
    )
    addresses = sorted({c.email for c in contacts if c.email})
    link = reverse("signals:concern", args=[concern.pk])
    transaction.on_commit(lambda: _tell_agencies(addresses, link, concern_id=concern.pk))


def _tell_agencies(addresses: list[str], link: str, *, concern_id: Any) -> None:
    """One email to each address, with no child's details: one bad address is logged and does not stop the rest."""
    subject = f"{settings.SERVICE_NAME}: a triangulation discussion has been called for"
    body = (
        "A triangulation discussion has been called for about a child you work with.\n\n"
        f"Sign in to {settings.SERVICE_NAME} to see it: {link}\n"
        "It is also listed on your home page when you sign in."
    )
    for address in addresses:
        try:
            validate_email(address)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
        except ValidationError:
            log.warning("triangulation notice for concern %s: %r is not an email address", concern_id, address)
        except Exception:
            log.exception("triangulation notice for concern %s: could not email one address", concern_id)


def concern_review(*, actor: Actor, concern_id: Any, note: str, next_review_by: datetime.date) -> ConcernReview:
    """Review an open concern: what was found, and when to look again (the concern's review date moves to it)."""
    note = (note or "").strip()
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if problem := _note_problem(note, missing="Say what the review found"):
        errors["note"] = problem
    if problem := _review_date_problem(next_review_by, today=today, label="the date of the next review"):
        errors["next_review_by"] = problem
    if errors:
        raise ValidationError(errors)
    event = "signals.concern_review"
    pk = _manageable(actor, concern_id, attempted="review a cause for concern", event=event)
    with transaction.atomic():
        concern = _locked_open(pk)
        review = ConcernReview(
            concern=concern,
            reviewed_by_id=_user_id(actor),
            reviewed_at=timezone.now(),
            note=note,
            next_review_by=next_review_by,
        )
        review.full_clean()
        review.save()
        concern.review_by = next_review_by
        concern.save(update_fields=["review_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=concern,
            event=event,
            purpose="Reviewed a cause for concern",
            detail={"review": str(review.pk), "next_review_by": str(next_review_by)},
        )
    return review


def concern_close(*, actor: Actor, concern_id: Any, outcome: str, note: str) -> Concern:
    """Close an open concern with an outcome from the settings and a note saying why."""
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if outcome not in concern_settings().outcome_codes:
        errors["outcome"] = "Select the outcome"
    if problem := _note_problem(note, missing="Say why the concern is being closed"):
        errors["note"] = problem
    if errors:
        raise ValidationError(errors)
    event = "signals.concern_close"
    pk = _manageable(actor, concern_id, attempted="close a cause for concern", event=event)
    with transaction.atomic():
        concern = _locked_open(pk)
        concern.status = Concern.Status.CLOSED
        concern.outcome = outcome
        concern.outcome_note = note
        concern.closed_at = timezone.now()
        concern.closed_by_id = _user_id(actor)
        concern.full_clean()
        concern.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=concern,
            event=event,
            purpose=f"Closed a cause for concern: {concern_settings().outcome_label(outcome)}",
            detail={"outcome": outcome},
        )
    return concern
