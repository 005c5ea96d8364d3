"""The front door's decision on a referral, and the receiving team's answer to a transfer.

decision_record: the level of need, the rationale and the route, refused when they contradict each other;
  the step up or down from the child's previous decision; the eligibility the front door was shown, with each
  programme's rule-set version; a transfer to the team for a programme, a step up or an existing episode;
  no further action and advice close the referral.
transfer_accept / transfer_decline: the receiving team's manager answers. A decline needs a reason, and
  the referral goes back to the front door's queue with it.

Overriding eligibility: a programme the child does not meet the rules of may still be chosen when the
front door gives the reason for the exception (a rule set cannot foresee every child); the reason is kept
with the eligibility shown, in Decision.eligibility["override_reason"], so the exception is visible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Actor
from continuum.agencies.selectors import team_list
from continuum.audit.services import AuditAction, audit_record
from continuum.frontdoor.models import Decision, Referral, Transfer
from continuum.frontdoor.services.referrals import referral_close
from continuum.identifiers import record_id
from continuum.programmes.selectors import eligibility_for, programme_list

if TYPE_CHECKING:
    from continuum.agencies.models import Team
    from continuum.programmes.models import Programme
    from continuum.programmes.selectors import ProgrammeEligibility

LEVELS = frozenset(int(code) for code, _ in v.LEVEL_OF_NEED)
# Routes that send the child to a team, which accepts or declines.
TEAM_ROUTES = frozenset({"programme", "step_up", "existing_episode"})
# Routes that end the front door's work: the referral closes.
CLOSING_ROUTES = frozenset({"no_further_action", "advice"})
# The kinds of agency a step up goes to.
STEP_UP_AGENCY_KINDS = ("childrens_social_care",)


def _route_words(route: str) -> str:
    return v.label(v.ROUTE, route).lower()


def decision_problems(
    *, level: Any, rationale: str, route: str, outcome_for_referrer: str, programme_id: Any, team_id: Any
) -> dict[str, str]:
    """What is missing from a decision or contradicts itself, each message on its field ("team" for the team),
    worked out before anything is looked up: forms call it to show every problem at once."""
    errors: dict[str, str] = {}
    if level not in LEVELS:
        errors["level"] = "Select the level of need"
    if not rationale.strip():
        errors["rationale"] = "Give the rationale for the level of need and the route"
    if route not in v.codes(v.ROUTE):
        errors["route"] = "Select the route"
    if not outcome_for_referrer.strip():
        errors["outcome_for_referrer"] = "Write what the referrer will be told"
    if errors.get("level") or errors.get("route"):
        return errors
    if level == 4 and route in ("no_further_action", "advice", "programme"):
        errors["route"] = (
            f"A level 4 (specialist) need cannot be routed to {_route_words(route)}: "
            "step up to children's social care, or add to an existing episode of support"
        )
    elif route == "step_up" and level != 4:
        errors["route"] = (
            "A step up to children's social care is for a level 4 (specialist) need: "
            f"choose level 4, or another route for level {level}"
        )
    if route == "programme" and programme_id in (None, ""):
        errors["programme"] = "Choose the programme for the programme route"
    if route != "programme" and programme_id not in (None, ""):
        errors["programme"] = f"A programme is chosen only for the programme route, not {_route_words(route)}"
    if route in TEAM_ROUTES and team_id in (None, ""):
        errors["team"] = {
            "programme": "Choose the team that will run the programme for the child",
            "step_up": "Choose the children's social care team for the step up",
            "existing_episode": "Choose the team whose episode of support this joins",
        }[route]
    if route in CLOSING_ROUTES and team_id not in (None, ""):
        errors["team"] = f"No team is asked to take the child for {_route_words(route)}"
    return errors


def _eligibility_json(
    shown: list[ProgrammeEligibility], *, as_of: Any, level: int, override_reason: str = ""
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "level_of_need": level,
        "programmes": [
            {
                "slug": e.programme.slug,
                "name": e.programme.name,
                "rules_version": e.rules_version,
                "eligible": e.eligible,
                "rules": [r.as_json() for r in e.result.rules],
            }
            for e in shown
        ],
    }
    if override_reason:
        data["override_reason"] = override_reason
    return data


def _team(team_id: Any, route: str, referral: Referral) -> Team:
    """The team asked to take the child, checked against the route; a ValidationError on "team" otherwise."""
    wanted = record_id(team_id)
    kinds = STEP_UP_AGENCY_KINDS if route == "step_up" else None
    team = team_list(agency_kinds=kinds).filter(pk=wanted).first() if wanted else None
    if team is None:
        if route == "step_up":
            raise ValidationError({"team": "Choose a children's social care team for the step up"})
        raise ValidationError({"team": "Choose a team from the list"})
    if route == "existing_episode":
        person = referral.person
        working = (
            person.involvements.current().filter(team_id=team.pk).exists()
            or person.allocations.current().filter(practitioner__team_id=team.pk).exists()
        )
        if not working:
            raise ValidationError(
                {"team": f"{team} has no open work with the child to add this to: choose another team or route"}
            )
    return team


def _programme(programme_id: Any) -> Programme:
    wanted = record_id(programme_id)
    programme = programme_list().filter(pk=wanted).first() if wanted else None
    if programme is None:
        raise ValidationError({"programme": "Choose a programme from the list"})
    return programme


def _change(previous: int | None, level: int) -> str:
    if previous is None:
        return Decision.Change.FIRST
    if level > previous:
        return Decision.Change.STEP_UP
    if level < previous:
        return Decision.Change.STEP_DOWN
    return Decision.Change.SAME


def decision_record(
    *,
    actor: Actor,
    referral_id: Any,
    level: int,
    rationale: str,
    route: str,
    programme_id: Any = None,
    team_id: Any = None,
    outcome_for_referrer: str,
    override_reason: str = "",
) -> Decision:
    """Decide a referral waiting for the front door: the level of need (1–4), why, and where it goes.

    Refused with a ValidationError naming the field, and nothing saved, when the decision contradicts itself:
    a level 4 need routed to no further action, advice or a programme; a step up below level 4; a programme
    route without a programme or a team; a programme the child is not eligible for without a reason for the
    exception; a step up to a team outside children's social care; an existing episode the team does not hold.
    """
    access.require(access.can_screen(actor))
    decided_by = actor.pk
    if decided_by is None:  # a decision is a person's: Decision.decided_by is a user
        raise PermissionDenied("Only a signed-in front-door worker decides a referral")
    rationale, outcome_for_referrer, override_reason = (
        (rationale or "").strip(),
        (outcome_for_referrer or "").strip(),
        (override_reason or "").strip(),
    )
    errors = decision_problems(
        level=level,
        rationale=rationale,
        route=route,
        outcome_for_referrer=outcome_for_referrer,
        programme_id=programme_id,
        team_id=team_id,
    )
    if errors:
        raise ValidationError(errors)
    wanted = record_id(referral_id)
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("person__household")
            .filter(pk=wanted)
            .first()
            if wanted
            else None
        )
        if referral is None:
            raise ValidationError("No referral has that reference")
        if referral.status != Referral.Status.NEW:
            raise ValidationError(
                f"Referral {referral.reference} is not waiting for a decision ({referral.get_status_display().lower()})"
            )
        team = _team(team_id, route, referral) if route in TEAM_ROUTES else None
        programme = _programme(programme_id) if route == "programme" else None
        today = timezone.localdate()
        shown = eligibility_for(person=referral.person, as_of=today, level_of_need=level)
        if programme is not None:
            chosen = next((e for e in shown if e.programme.pk == programme.pk), None)
            if chosen is not None and not chosen.eligible and not override_reason:
                why = "; ".join(r.reason for r in chosen.result.failed)
                raise ValidationError(
                    {
                        "programme": f"The child is not eligible for {programme.name} ({why}): choose an eligible "
                        "programme, or give the reason for making an exception"
                    }
                )
            if chosen is not None and chosen.eligible:
                override_reason = ""  # nothing to override: keep no reason that would suggest an exception
        elif override_reason:
            override_reason = ""
        previous = (
            Decision.objects.filter(referral__person_id=referral.person_id)
            .order_by("-decided_at")
            .values_list("level", flat=True)
            .first()
        )
        decision = Decision(
            referral=referral,
            decided_by_id=decided_by,
            decided_by_practitioner=access.profile_of(actor),
            level=level,
            previous_level=previous,
            change=_change(previous, level),
            rationale=rationale,
            route=route,
            programme=programme,
            team=team,
            eligibility=_eligibility_json(shown, as_of=today, level=level, override_reason=override_reason),
            outcome_for_referrer=outcome_for_referrer,
        )
        decision.clean_fields(exclude=["referral", "decided_by", "programme", "team"])  # those were checked above
        decision.save()
        if team is not None:
            Transfer.objects.create(decision=decision, team=team)
            referral.status = Referral.Status.TRANSFERRED
            referral.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=referral,
            event="frontdoor.referral_decide",
            purpose=f"Level {level}, {_route_words(route)}",
            detail={
                "decision": str(decision.pk),
                "level": level,
                "previous_level": previous,
                "change": decision.change,
                "route": route,
                "programme": programme.slug if programme else None,
                "team": str(team.pk) if team else None,
                "eligibility_overridden": bool(override_reason),
            },
        )
        if team is None:
            # No further action and advice end the front door's work: the referral closes with the decision.
            referral_close(
                actor=actor, referral_id=referral.pk, reason=f"Closed by the decision: {_route_words(route)}"
            )
    return decision


def _answerable(actor: Actor, transfer_id: Any) -> Transfer:
    """The transfer, locked, if the actor manages the team it was sent to; refused alike when missing or not theirs."""
    access.require(access.can_manage_team(actor))
    profile = access.profile_of(actor)
    wanted = record_id(transfer_id)
    transfer = None
    if wanted is not None and profile is not None and profile.team_id is not None:
        transfer = (
            Transfer.objects.select_for_update(of=("self",))
            .select_related("decision__referral", "team")
            .filter(pk=wanted, team_id=profile.team_id)
            .first()
        )
    if transfer is None:
        raise PermissionDenied("No transfer to your team has that reference")
    if transfer.status != Transfer.Status.PENDING:
        raise ValidationError(f"Your team has already answered this transfer ({transfer.get_status_display().lower()})")
    return transfer


def transfer_accept(*, actor: Actor, transfer_id: Any) -> Transfer:
    """The receiving team takes the child: the referral waits for a practitioner (allocation)."""
    # DECIDED: decided, and accepted by the team; waiting for a practitioner.
    return _answer(actor, transfer_id, Transfer.Status.ACCEPTED, Referral.Status.DECIDED)


def transfer_decline(*, actor: Actor, transfer_id: Any, reason: str) -> Transfer:
    """The receiving team declines, with a reason the front door sees; the referral goes back to its queue."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for declining: the front door will see it"})
    return _answer(actor, transfer_id, Transfer.Status.DECLINED, Referral.Status.NEW, reason=reason)


def _answer(actor: Actor, transfer_id: Any, answer: str, referral_status: str, *, reason: str = "") -> Transfer:
    """Record the team's answer to a transfer, move the referral on, and audit it, in one transaction."""
    with transaction.atomic():
        transfer = _answerable(actor, transfer_id)
        referral = Referral.objects.select_for_update().get(pk=transfer.decision.referral_id)
        transfer.status = answer
        transfer.responded_by_id = actor.pk
        transfer.responded_at = timezone.now()
        transfer.decline_reason = reason
        transfer.save(update_fields=["status", "responded_by", "responded_at", "decline_reason"])
        referral.status = referral_status
        referral.save(update_fields=["status"])
        accepted = answer == Transfer.Status.ACCEPTED
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=transfer,
            person=referral.person_id,
            event="frontdoor.transfer_accept" if accepted else "frontdoor.transfer_decline",
            purpose=f"{transfer.team} {'accepted' if accepted else 'declined'} referral {referral.reference}",
            detail={} if accepted else {"reason": reason},
        )
    return transfer
