"""Group programmes' courses: set one up, its page (members, attendance, retention), record a session; and the
per-programme summary of families' feedback."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.agencies.selectors import practitioner_choices
from continuum.casework import selectors, services
from continuum.casework.views._forms import (
    CohortForm,
    CohortSessionForm,
    FacilitatorForm,
    Field,
    MemberForm,
    form_page,
    posted,
)
from continuum.casework.views.episodes import TEAM_ROLES
from continuum.programmes.selectors import programme_list, programme_page


def cohort_url(cohort: Any) -> str:
    return reverse("casework:cohort", args=[cohort.pk])


@login_required
@require_GET
def cohorts(request: SignedInRequest) -> HttpResponse:
    return render(request, "casework/cohorts.html", {"cohorts": selectors.cohort_list(viewer=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_new(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_lead_casework(request.user))
    form = CohortForm(posted(request))
    programmes = [(str(p.pk), p.name) for p in programme_list()]
    form.fields["programme"].choices = programmes  # type: ignore[attr-defined]
    fields = [
        Field("programme", "select", "Programme", choices=programmes),
        Field("name", "text", "Name of the course", "For example, Spring 2026 at Northgate"),
        Field("venue", "text", "Venue", "A school or community venue"),
        Field("start_date", "date", "Start date"),
        Field("planned_sessions", "number", "Planned sessions"),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.cohort_create(
            actor=request.user,
            programme_id=d["programme"],
            name=d["name"],
            venue=d["venue"],
            start_date=d["start_date"],
            planned_sessions=d["planned_sessions"],
        ),
        done=cohort_url,
        title="Set up a course",
        button="Set up the course",
        success="Course set up",
        back=reverse("casework:cohorts"),
    )


@login_required
@require_GET
def cohort(request: SignedInRequest, cohort_id: Any) -> HttpResponse:
    page = selectors.cohort_page(viewer=request.user, cohort_id=cohort_id)
    return render(request, "casework/cohort.html", {"p": page})


@login_required
@require_http_methods(["GET", "POST"])
def cohort_session(request: SignedInRequest, cohort_id: Any) -> HttpResponse:
    page = selectors.cohort_page(viewer=request.user, cohort_id=cohort_id)
    access.require(page.facilitates)
    present = [m for m in page.members if m.member.left_on is None]
    choices = [
        (str(m.member.pk), m.member.episode.person.display_name if m.can_open else f"Member {n}")
        for n, m in enumerate(present, start=1)
    ]
    form = CohortSessionForm(posted(request))
    form.fields["attended"].choices = choices  # type: ignore[attr-defined]
    fields = [
        Field("held_on", "date", "Date of the session"),
        Field("attended", "checkboxes", "Who attended", "Everyone not ticked is recorded as absent", choices=choices),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.cohort_session_record(
            actor=request.user, cohort_id=page.cohort.pk, held_on=d["held_on"], attended_member_ids=d["attended"]
        ),
        done=lambda _: cohort_url(page.cohort),
        title="Record a session of the course",
        button="Save attendance",
        success="Session recorded",
        back=cohort_url(page.cohort),
        caption=page.cohort.name,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_member(request: SignedInRequest, cohort_id: Any) -> HttpResponse:
    page = selectors.cohort_page(viewer=request.user, cohort_id=cohort_id)
    mine = selectors.caseload(viewer=request.user, team=access.can_manage_team(request.user))
    choices = [
        (str(r.episode.pk), f"{r.episode.person.display_name} ({r.episode.reference})")
        for r in mine.rows
        if r.episode.programme_id == page.cohort.programme_id
    ]
    form = MemberForm(posted(request))
    form.fields["episode"].choices = choices  # type: ignore[attr-defined]
    fields = [
        Field("episode", "select", "Child", "Children on your caseload in this programme", choices=choices),
        Field("joined_on", "date", "Date they joined"),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.cohort_member_add(
            actor=request.user, cohort_id=page.cohort.pk, episode_id=d["episode"], joined_on=d["joined_on"]
        ),
        done=lambda _: cohort_url(page.cohort),
        title="Add a child to the course",
        button="Add to the course",
        success="Added to the course",
        back=cohort_url(page.cohort),
        caption=page.cohort.name,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_facilitator(request: SignedInRequest, cohort_id: Any) -> HttpResponse:
    page = selectors.cohort_page(viewer=request.user, cohort_id=cohort_id)
    access.require(page.facilitates)
    choices = practitioner_choices(roles=TEAM_ROLES, exclude={f.practitioner_id for f in page.facilitators})
    form = FacilitatorForm(posted(request))
    form.fields["practitioner"].choices = choices  # type: ignore[attr-defined]
    return form_page(
        request,
        form,
        fields=[Field("practitioner", "select", "Facilitator", "From any agency", choices=choices)],
        save=lambda d: services.cohort_facilitator_add(
            actor=request.user, cohort_id=page.cohort.pk, practitioner_id=d["practitioner"]
        ),
        done=lambda _: cohort_url(page.cohort),
        title="Add a facilitator",
        button="Add the facilitator",
        success="Facilitator added",
        back=cohort_url(page.cohort),
        caption=page.cohort.name,
    )


@login_required
@require_GET
def feedback_summary(request: SignedInRequest, slug: str) -> HttpResponse:
    access.require(access.can_manage_team(request.user) or access.can_see_aggregates(request.user))
    programme = programme_page(slug=slug)
    summary = selectors.feedback_summary(viewer=request.user, programme=programme)
    return render(request, "casework/feedback_summary.html", {"s": summary})


@login_required
@require_GET
def feedback_index(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_manage_team(request.user) or access.can_see_aggregates(request.user))
    return render(request, "casework/feedback_index.html", {"rows": selectors.feedback_index(viewer=request.user)})
