"""Making referrals: drafts kept between sessions, sending one (with any new people, in one transaction),
and closing one.

Each service takes the actor, validates before writing, and writes its audit row in its transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Actor, SystemActor
from continuum.audit.services import AuditAction, audit_record
from continuum.frontdoor import drafts
from continuum.frontdoor.drafts import Named
from continuum.frontdoor.models import Referral, ReferralDraft, ReferralFamilyMember, ReferralReason
from continuum.people.services import address_add, person_create

# A second referral for the same child within this many days is flagged to the front door as a possible duplicate.
DUPLICATE_DAYS = 30
REFERENCE_TRIES = 5

# ---------------------------------------------------------------------------------------------------------
# Drafts


def draft_start(*, actor: Actor) -> ReferralDraft:
    """Begin a referral: an empty draft that belongs to the actor."""
    access.require(access.can_refer(actor))
    author = actor.pk
    assert author is not None  # can_refer: a signed-in user
    return ReferralDraft.objects.create(author_id=author)


def draft_update(*, actor: Actor, draft_id: Any, answers: dict[str, Any], forget: Sequence[str] = ()) -> ReferralDraft:
    """Keep answers to one question page (already validated by it), and forget the keys that depended on
    what changed. Only the draft's author may change it; anyone else's draft is a 404."""
    access.require(access.can_refer(actor))
    with transaction.atomic():
        draft = _own_draft(actor, draft_id)
        kept = {k: val for k, val in draft.answers.items() if k not in forget}
        draft.answers = {**kept, **answers}
        draft.updated_at = timezone.now()
        draft.save(update_fields=["answers", "updated_at"])
    return draft


def draft_delete(*, actor: Actor, draft_id: Any) -> None:
    access.require(access.can_refer(actor))
    with transaction.atomic():
        _own_draft(actor, draft_id).delete()


def _own_draft(actor: Actor, draft_id: Any) -> ReferralDraft:
    draft = ReferralDraft.objects.select_for_update().filter(pk=draft_id, author_id=actor.pk).first()
    if draft is None:
        raise Http404("No draft referral of yours has that reference")
    return draft


def referral_send(*, actor: Actor, draft_id: Any) -> Referral:
    """Send a finished draft: the referral is made from its answers and the draft is gone, in one transaction."""
    access.require(access.can_refer(actor))
    with transaction.atomic():
        draft = _own_draft(actor, draft_id)
        if (missing := drafts.next_step(draft.answers)) is not None:
            raise ValidationError({"__all__": [f"The referral is not finished: answer the question at {missing!r}"]})
        referral = referral_create(actor=actor, **drafts.as_referral(draft.answers))
        draft.delete()
    return referral


# ---------------------------------------------------------------------------------------------------------
# Referrals


def referral_create(
    *,
    actor: Actor,
    child: Named,
    family: Sequence[Named] = (),
    reasons: Sequence[str],
    story: str,
    child_wants: str = "",
    family_wants: str = "",
    consent: str,
    consent_reason: str = "",
    received_at: datetime.datetime | None = None,
) -> Referral:
    """Refer a child to the front door, from the actor and their agency.

    The child and family members are existing records the actor may open (chosen after tell-it-once) or
    new people, recorded here through people.services; for a new person, the existing records tell-it-once
    found are kept on the referral for the front door to check. A second referral for the same child within
    DUPLICATE_DAYS days is flagged as a possible duplicate of the latest one. Everything, with the audit
    row (frontdoor.referral_create), is one transaction: a problem anywhere saves nothing.
    """
    access.require(access.can_refer(actor))
    profile, referrer = access.profile_of(actor), actor.pk
    assert profile is not None and referrer is not None  # can_refer: a signed-in user with a practitioner profile
    received = received_at or timezone.now()
    _check(
        actor, child=child, family=family, reasons=reasons, story=story, consent=consent, consent_reason=consent_reason
    )
    with transaction.atomic():
        child_id = _person_for(actor, child)
        family_ids = [_person_for(actor, member) for member in family]
        referral = Referral(
            person_id=child_id,
            referrer_id=referrer,
            referrer_practitioner_id=profile.pk,
            referrer_name=profile.name,
            referrer_agency_id=profile.agency_id,
            received_at=received,
            story=story.strip(),
            child_wants=child_wants.strip(),
            family_wants=family_wants.strip(),
            consent=consent,
            consent_reason=consent_reason.strip() if consent == "not_sought" else "",
            possible_duplicate_of=(
                Referral.objects.filter(
                    person_id=child_id,
                    received_at__gte=received - datetime.timedelta(days=DUPLICATE_DAYS),
                    received_at__lte=received,
                )
                .order_by("-received_at")
                .first()
            ),
            possible_matches=[
                {"person_id": str(person_id), "candidates": list(named.possible_matches)}
                for named, person_id in zip([child, *family], [child_id, *family_ids], strict=True)
                if named.new is not None and named.possible_matches
            ],
        )
        _save_with_reference(referral)
        ReferralReason.objects.bulk_create(
            [ReferralReason(referral=referral, reason=code) for code in dict.fromkeys(reasons)]
        )
        ReferralFamilyMember.objects.bulk_create(
            [
                ReferralFamilyMember(referral=referral, person_id=person_id, relationship=member.relationship)
                for member, person_id in zip(family, family_ids, strict=True)
            ]
        )
        # The child's address, for a new child: the open referral now gives the actor's agency the working
        # relationship that recording it needs (a deployment whose policy does not count open_referral for
        # the role leaves it to the front door).
        new = child.new
        has_address = new is not None and new.address_line.strip() and new.postcode.strip()
        if new is not None and has_address and access.access_basis(actor, child_id) is not None:
            address_add(
                actor=actor,
                person=referral.person,
                address_line=new.address_line.strip(),
                town=new.town.strip(),
                postcode=new.postcode,
            )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=referral,
            event="frontdoor.referral_create",
            purpose="Referral to the front door",
            detail={
                "reference": referral.reference,
                "new_people": [
                    str(pid) for named, pid in zip([child, *family], [child_id, *family_ids], strict=True) if named.new
                ],
                "possible_duplicate_of": str(referral.possible_duplicate_of_id or ""),
                "possible_matches": sum(len(entry["candidates"]) for entry in referral.possible_matches),
            },
        )
    return referral


def _check(
    actor: Actor,
    *,
    child: Named,
    family: Sequence[Named],
    reasons: Sequence[str],
    story: str,
    consent: str,
    consent_reason: str,
) -> None:
    """Everything that can be checked before writing, each problem on the answer it is about."""
    errors: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    named = [("child", child), *(("family", member) for member in family)]
    for field, person in named:
        if (person.person_id is None) == (person.new is None):
            problem(field, "Choose an existing record or record a new person")
        elif person.person_id is not None and access.access_basis(actor, person.person_id) is None:
            problem(field, "No record you can open has that reference: find the person again")
        elif person.new is not None and not access.can_search_people(actor):
            problem(field, "Your role cannot record new people: the front door will need to add them")
        elif person.new is not None:
            born = person.new.date_of_birth
            if born is not None and born > timezone.localdate():
                problem(field, "Date of birth must be today or in the past")
    for member in family:
        if member.relationship not in v.codes(v.RELATIONSHIP_KIND):
            problem("family", "Choose how each family member is related to the child")
    existing = [p.person_id for _, p in named if p.person_id is not None]
    if len({str(i) for i in existing}) != len(existing):
        problem("family", "The same person is named twice")
    if not reasons:
        problem("reasons", "Select at least one reason for the referral")
    elif not set(reasons) <= v.codes(v.REFERRAL_REASON):
        problem("reasons", "Select reasons from the list")
    if not story.strip():
        problem("story", "Say what is happening, in your own words")
    if consent not in v.codes(v.CONSENT):
        problem("consent", "Say whether the family consented to the referral")
    elif consent == "not_sought" and not consent_reason.strip():
        problem("consent_reason", "Say why seeking consent would put the child at risk")
    if errors:
        raise ValidationError(errors)


def _person_for(actor: Actor, named: Named) -> Any:
    """The id of the person a referral names: the existing record, or a new person recorded now."""
    if named.new is None:
        return named.person_id
    new = named.new
    return person_create(
        actor=actor,
        given_name=new.given_name.strip(),
        family_name=new.family_name.strip(),
        known_as=new.known_as.strip(),
        date_of_birth=new.date_of_birth,
    ).pk


def _save_with_reference(referral: Referral) -> None:
    """Number the referral FD-YYYY-NNNNNN, the next in its year; if another referral took that number at the
    same moment, take the next. The number is for people to quote: addresses carry the referral's UUID."""
    prefix = f"FD-{timezone.localtime(referral.received_at).year}-"
    for _ in range(REFERENCE_TRIES):
        last = (
            Referral.objects.filter(reference__startswith=prefix)
            .order_by("-reference")
            .values_list("reference", flat=True)
            .first()
        )
        referral.reference = f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:06d}"
        referral.clean_fields(exclude=["person", "referrer", "referrer_agency", "possible_duplicate_of", "allocation"])
        referral.clean()
        try:
            with transaction.atomic():
                referral.save(force_insert=True)
            return
        except IntegrityError:
            continue
    raise ValidationError("Could not number the referral: try sending it again")


def referral_close(*, actor: Actor, referral_id: Any, reason: str) -> Referral:
    """Close a referral (the front door, a team manager whose team took it, or a command). The referring
    agency's working relationship with the child (open_referral) ends with it."""
    access.require(isinstance(actor, SystemActor) or access.can_screen(actor) or access.can_manage_team(actor))
    if not reason.strip():
        raise ValidationError({"reason": "Say why the referral is closed"})
    with transaction.atomic():
        referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
        if referral is None:
            raise ValidationError("No referral has that reference")
        if referral.status == Referral.Status.CLOSED:
            raise ValidationError("The referral is already closed")
        referral.status = Referral.Status.CLOSED
        referral.closed_at = timezone.now()
        referral.close_reason = reason.strip()
        referral.save(update_fields=["status", "closed_at", "close_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            event="frontdoor.referral_close",
            purpose=reason.strip(),
        )
    return referral
