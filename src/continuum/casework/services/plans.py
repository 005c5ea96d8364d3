"""The plan agreed with the child and family: SMART goals rated 0–10 over time (goal-based outcomes), reviewed at a
set interval with the child's and family's views."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import Actor
from continuum.audit.services import AuditAction, audit_record
from continuum.casework.models import Goal, GoalRating, Plan, Review
from continuum.casework.services._common import locked_episode, still_open
from continuum.identifiers import record_id


def _weeks(n: int) -> datetime.timedelta:
    return datetime.timedelta(weeks=n)


def plan_save(
    *,
    actor: Actor,
    episode_id: Any,
    agreed_on: datetime.date,
    review_every_weeks: int | None,
    child_views: str,
    family_views: str,
) -> Plan:
    """Agree the plan, or change it: the next review falls the interval after it was agreed (or last reviewed)."""
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        still_open(episode, what="plan", on=agreed_on, field="agreed_on")
        if review_every_weeks is None or not 1 <= review_every_weeks <= 26:
            raise ValidationError({"review_every_weeks": "Review the plan every 1 to 26 weeks"})
        if not child_views.strip() and not family_views.strip():
            raise ValidationError({"child_views": "Record the child's or the family's views on the plan"})
        plan = Plan.objects.select_for_update().filter(episode=episode).first()
        created = plan is None
        if plan is None:
            plan = Plan(episode=episode)
        plan.assessment = episode.assessments.order_by("-completed_on", "-created_at").first()
        plan.agreed_on = agreed_on
        plan.review_every_weeks = review_every_weeks
        last_review = episode.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
        plan.next_review_due = max(last_review or agreed_on, agreed_on) + _weeks(review_every_weeks)
        plan.child_views = child_views.strip()
        plan.family_views = family_views.strip()
        plan.full_clean(exclude=["episode", "assessment"])
        plan.save()
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=plan,
            person=episode.person_id,
            event="casework.plan_save",
            purpose="Plan agreed" if created else "Plan changed",
        )
    return plan


def goal_add(
    *,
    actor: Actor,
    episode_id: Any,
    description: str,
    success_looks_like: str,
    who: str,
    target_date: datetime.date | None,
    agreed_with: str,
    first_rating: int | None = None,
    rated_by: str = "",
) -> Goal:
    """Add a SMART goal to the plan, agreed with the child or a parent, with its first rating if given."""
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Say what will change, in the family's words"
    if not success_looks_like.strip():
        errors["success_looks_like"] = "Say how everyone will know it has happened"
    if not who.strip():
        errors["who"] = "Say who will do what"
    if target_date is None:
        errors["target_date"] = "Enter the target date"
    if agreed_with not in v.codes(v.VOICE):
        errors["agreed_with"] = "Select who agreed the goal"
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        still_open(episode, what="goal")
        plan = Plan.objects.filter(episode=episode).first()
        if plan is None:
            raise ValidationError("Agree the plan before adding goals")
        if target_date is not None and target_date < plan.agreed_on:
            errors["target_date"] = "The target date must be after the plan was agreed"
        if errors:
            raise ValidationError(errors)
        assert target_date is not None
        goal = Goal.objects.create(
            plan=plan,
            description=description.strip(),
            success_looks_like=success_looks_like.strip(),
            who=who.strip()[:300],
            target_date=target_date,
            agreed_with=agreed_with,
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=goal,
            person=episode.person_id,
            event="casework.plan_save",
            purpose="Goal added to the plan",
        )
        if first_rating is not None:
            _rate(actor, episode, goal, first_rating, rated_by, plan.agreed_on, "")
    return goal


def goal_rate(
    *, actor: Actor, goal_id: Any, rating: int | None, rated_by: str, rated_on: datetime.date, note: str = ""
) -> GoalRating:
    """Rate progress towards a goal, 0 (not at all) to 10 (fully achieved): anything else is refused, nothing saved."""
    with transaction.atomic():
        wanted = record_id(goal_id)
        goal = Goal.objects.select_related("plan").filter(pk=wanted).first() if wanted else None
        if goal is None:
            raise Http404("No goal has that reference")
        episode = locked_episode(actor, goal.plan.episode_id, lead=False)
        return _rate(actor, episode, goal, rating, rated_by, rated_on, note)


def _rate(
    actor: Actor, episode: Any, goal: Goal, rating: int | None, rated_by: str, rated_on: datetime.date, note: str
) -> GoalRating:
    still_open(episode, what="goal rating", on=rated_on, field="rated_on")
    if rating is None or not 0 <= rating <= 10:
        raise ValidationError(
            {"rating": f"A goal is rated from 0 to 10{f', not {rating}' if rating is not None else ''}"}
        )
    if rated_by not in v.codes(v.RATED_BY):
        raise ValidationError({"rated_by": "Select who gave the rating"})
    made = GoalRating.objects.create(
        goal=goal, rating=rating, rated_by=rated_by, rated_on=rated_on, note=note.strip()[:300]
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=made,
        person=episode.person_id,
        event="casework.goal_rate",
        purpose=f"Goal rated {rating}/10 by the {v.label(v.RATED_BY, rated_by).lower()}",
    )
    return made


def review_record(
    *, actor: Actor, episode_id: Any, held_on: datetime.date, child_views: str, family_views: str, summary: str
) -> Review:
    """Record a review of the plan with the child's and family's views; the next falls the plan's interval later."""
    errors: dict[str, str] = {}
    if not child_views.strip():
        errors["child_views"] = "Record the child's views, in their words"
    if not family_views.strip():
        errors["family_views"] = "Record the family's views, in their words"
    if not summary.strip():
        errors["summary"] = "Say what has changed and what happens next"
    with transaction.atomic():
        episode = locked_episode(actor, episode_id)
        still_open(episode, what="review", on=held_on, field="held_on")
        plan = Plan.objects.select_for_update().filter(episode=episode).first()
        if plan is None:
            raise ValidationError("Agree the plan before reviewing it")
        if errors:
            raise ValidationError(errors)
        profile = access.profile_of(actor)
        assert profile is not None  # locked_episode: the actor leads the episode
        next_due = held_on + _weeks(plan.review_every_weeks)
        review = Review.objects.create(
            episode=episode,
            held_on=held_on,
            child_views=child_views.strip(),
            family_views=family_views.strip(),
            summary=summary.strip(),
            next_review_due=next_due,
            reviewed_by=profile,
        )
        plan.next_review_due = next_due
        plan.save(update_fields=["next_review_due"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=review,
            person=episode.person_id,
            event="casework.review_record",
            purpose="Review of the plan",
        )
    return review
