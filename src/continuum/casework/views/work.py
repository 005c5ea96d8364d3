"""The work of an episode: the assessment, the plan and its goals, reviews, sessions and the session limit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.casework import selectors, services
from continuum.casework.services._common import leads, manages_lead, works_on
from continuum.casework.services.sessions import sessions_allowed, sessions_counted
from continuum.casework.views._forms import (
    DomainForm,
    ExtendForm,
    Field,
    GoalForm,
    PlanForm,
    RateForm,
    ReviewForm,
    SessionForm,
    assessment_fields,
    form_page,
    posted,
)
from continuum.casework.views.episodes import episode_url


def _context(ep: Any) -> dict[str, Any]:
    return {"back": episode_url(ep), "caption": f"Episode {ep.reference}"}


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(leads(request.user, ep))
    form = DomainForm(posted(request))

    def save(d: dict[str, Any]) -> Any:
        domains = {
            code: services.DomainAnswer(
                concern=d[f"{code}-concern"],
                strengths=d[f"{code}-strengths"],
                needs=d.get(f"{code}-needs", ""),
                areas=d.get(f"{code}-areas") or (),
            )
            for code, _ in v.ASSESSMENT_DOMAIN
        }
        return services.assessment_record(
            actor=request.user,
            episode_id=ep.pk,
            completed_on=d["completed_on"],
            domains=domains,
            child_words=d["child_words"],
            parent_words=d["parent_words"],
            summary=d["summary"],
            proposed_level=d["proposed_level"],
        )

    again = ep.assessments.exists()
    return form_page(
        request,
        form,
        fields=assessment_fields(),
        save=save,
        done=lambda a: reverse("casework:assessment", args=[a.pk]),
        title="Record a re-assessment" if again else "Record the early help assessment",
        button="Save the assessment",
        success="Assessment recorded",
        intro="The whole family, by the three domains of the assessment triangle: strengths as well as needs."
        + (" The page will show what changed since the last assessment, domain by domain." if again else ""),
        **_context(ep),
    )


@login_required
@require_GET
def assessment(request: SignedInRequest, assessment_id: Any) -> HttpResponse:
    page = selectors.assessment_page(viewer=request.user, assessment_id=assessment_id)
    return render(request, "casework/assessment.html", {"a": page, "ep": page.episode})


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(leads(request.user, ep))
    existing = getattr(ep, "plan", None)
    initial = (
        {
            "review_every_weeks": existing.review_every_weeks,
            "child_views": existing.child_views,
            "family_views": existing.family_views,
        }
        if existing
        else {"review_every_weeks": 6}
    )
    form = PlanForm(posted(request), initial=initial)
    fields = [
        Field("agreed_on", "date", "Date agreed"),
        Field("review_every_weeks", "number", "Review every (weeks)", "From 1 to 26 weeks"),
        Field("child_views", "textarea", "The child's views on the plan, in their words"),
        Field("family_views", "textarea", "The family's views on the plan, in their words"),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.plan_save(
            actor=request.user,
            episode_id=ep.pk,
            agreed_on=d["agreed_on"],
            review_every_weeks=d["review_every_weeks"],
            child_views=d.get("child_views", ""),
            family_views=d.get("family_views", ""),
        ),
        done=lambda _: episode_url(ep),
        title="Change the plan" if existing else "Agree the plan",
        button="Save the plan",
        success="Plan saved",
        **_context(ep),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(leads(request.user, ep))
    form = GoalForm(posted(request))
    fields = [
        Field("description", "textarea", "What will change", "Specific, in the family's words"),
        Field("success_looks_like", "textarea", "What success looks like", "How everyone will know it has happened"),
        Field("who", "text", "Who will do what"),
        Field("target_date", "date", "Target date"),
        Field("agreed_with", "radios", "Agreed with", choices=v.VOICE),
        Field(
            "first_rating", "number", "Where things are now, from 0 to 10 (optional)", "0 not at all, 10 fully achieved"
        ),
        Field("rated_by", "radios", "Rated by", choices=v.RATED_BY),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.goal_add(
            actor=request.user,
            episode_id=ep.pk,
            description=d["description"],
            success_looks_like=d["success_looks_like"],
            who=d["who"],
            target_date=d["target_date"],
            agreed_with=d["agreed_with"],
            first_rating=d.get("first_rating"),
            rated_by=d.get("rated_by", ""),
        ),
        done=lambda _: episode_url(ep),
        title="Add a goal",
        button="Add the goal",
        success="Goal added to the plan",
        offered=selectors.plan_needs(episode=ep),
        offered_title="Needs from the assessment, as starting points",
        **_context(ep),
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_rate(request: SignedInRequest, goal_id: Any) -> HttpResponse:
    goal = selectors.goal_get(viewer=request.user, goal_id=goal_id)
    ep = goal.plan.episode
    access.require(works_on(request.user, ep))
    form = RateForm(posted(request))
    fields = [
        Field("rating", "number", "Rating, from 0 to 10", "0 not at all, 10 fully achieved"),
        Field("rated_by", "radios", "Rated by", choices=v.RATED_BY),
        Field("rated_on", "date", "Date rated"),
        Field("note", "text", "Note (optional)"),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.goal_rate(
            actor=request.user,
            goal_id=goal.pk,
            rating=d["rating"],
            rated_by=d["rated_by"],
            rated_on=d["rated_on"],
            note=d.get("note", ""),
        ),
        done=lambda _: episode_url(ep),
        title="Rate progress towards a goal",
        button="Save the rating",
        success="Rating saved",
        inset=goal.description,
        **_context(ep),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(leads(request.user, ep))
    form = ReviewForm(posted(request))
    fields = [
        Field("held_on", "date", "Date of the review"),
        Field("child_views", "textarea", "The child's views, in their words"),
        Field("family_views", "textarea", "The family's views, in their words"),
        Field("summary", "textarea", "What has changed and what happens next"),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.review_record(
            actor=request.user,
            episode_id=ep.pk,
            held_on=d["held_on"],
            child_views=d["child_views"],
            family_views=d["family_views"],
            summary=d["summary"],
        ),
        done=lambda _: episode_url(ep),
        title="Record a review of the plan",
        button="Save the review",
        success="Review recorded",
        **_context(ep),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(works_on(request.user, ep))
    form = SessionForm(posted(request))
    workers = [ep.lead_practitioner] + [
        m.practitioner for m in ep.team_around_family.current().select_related("practitioner")
    ]
    choices = [(str(p.pk), p.name) for p in workers]
    form.fields["practitioner"].choices = [("", "Me"), *choices]  # type: ignore[attr-defined]
    fields = [
        Field("held_on", "date", "Date of the session"),
        Field("kind", "radios", "Type of session", choices=v.SESSION_TYPE),
        Field("attendance", "radios", "Did it happen?", choices=v.SESSION_ATTENDANCE),
        Field("duration_minutes", "number", "Duration in minutes", "Required when the session happened"),
        Field("practitioner", "select", "Held by", "Leave blank if you held it", choices=choices),
        Field("case_note", "textarea", "Case note"),
        Field("next_session_on", "date", "Next session (optional)", "When the next session is booked, if it is"),
    ]
    allowed = sessions_allowed(ep)
    inset = (
        f"{sessions_counted(ep)} of {allowed} sessions delivered: the limit of "
        f"{ep.programme.name if ep.programme else 'the programme'}, with any extra sessions a manager agreed. "
        "Attended sessions and those the family did not attend count; cancelled ones do not."
        if allowed is not None
        else ""
    )
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.session_record(
            actor=request.user,
            episode_id=ep.pk,
            held_on=d["held_on"],
            kind=d["kind"],
            attendance=d["attendance"],
            duration_minutes=d.get("duration_minutes"),
            practitioner_id=d.get("practitioner") or None,
            case_note=d.get("case_note", ""),
            next_session_on=d.get("next_session_on"),
        ),
        done=lambda _: episode_url(ep),
        title="Record a session",
        button="Save the session",
        success="Session recorded",
        inset=inset,
        **_context(ep),
    )


@login_required
@require_http_methods(["GET", "POST"])
def extend(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(manages_lead(request.user, ep))
    form = ExtendForm(posted(request))
    fields = [
        Field("extra_sessions", "number", "How many more sessions"),
        Field("reason", "textarea", "Why more sessions are needed"),
    ]
    limit = ep.programme.session_limit if ep.programme else None
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.session_limit_extend(
            actor=request.user, episode_id=ep.pk, extra_sessions=d["extra_sessions"], reason=d["reason"]
        ),
        done=lambda _: episode_url(ep),
        title="Agree more sessions",
        button="Agree the sessions",
        success="More sessions agreed",
        intro=f"{ep.programme.name if ep.programme else 'The programme'} has a limit of {limit} sessions."
        if limit
        else "The programme has no session limit.",
        **_context(ep),
    )
