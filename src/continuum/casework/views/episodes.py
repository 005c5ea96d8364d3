"""Opening an episode, its page (a task list), the team around the family, the family's feedback and closing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.agencies.selectors import practitioner_choices
from continuum.casework import selectors, services
from continuum.casework.services._common import leads
from continuum.casework.views._forms import (
    LEVELS,
    CloseForm,
    FeedbackForm,
    Field,
    FromReferralForm,
    OpenForm,
    TeamMemberForm,
    form_page,
    posted,
)
from continuum.frontdoor.selectors import allocated_referral
from continuum.measures.selectors import timepoints_recorded
from continuum.programmes.selectors import programme_list

# The roles whose practitioners may join a team around the family.
TEAM_ROLES = ("practitioner", "team_manager", "school_dsl", "police_liaison", "health_practitioner")


def episode_url(episode: Any) -> str:
    return reverse("casework:episode", args=[episode.pk])


@login_required
@require_http_methods(["GET", "POST"])
def open_episode(request: SignedInRequest, person_id: Any) -> HttpResponse:
    """Open an episode for a child: from the referral allocated to the user, or directly."""
    access.require(access.can_lead_casework(request.user))
    person, _ = access.person_or_404(request.user, person_id, attempted="open episode", event="casework.episode_view")
    profile = access.profile_of(request.user)
    assert profile is not None
    found = allocated_referral(person_id=person.pk, practitioner_id=profile.pk)
    decision = found.decision if found else None
    common: dict[str, Any] = {
        "title": "Open an episode of support",
        "button": "Open the episode",
        "success": "Episode of support opened",
        "back": reverse("casework:caseload"),
        "caption": person.display_name,
    }
    if decision is not None:
        assert found is not None
        form: Any = FromReferralForm(posted(request))
        inset = (
            f"From referral {found.referral.reference}: "
            f"{decision.programme.name if decision.programme else decision.get_route_display()}, "
            f"{decision.get_level_display()}. The front door's decision sets the programme and the level."
        )
        fields = [Field("start_date", "date", "Start date", "Leave blank for today")]

        def save(data: dict[str, Any]) -> Any:
            return services.episode_open(actor=request.user, person_id=person.pk, start_date=data.get("start_date"))

        return form_page(request, form, fields=fields, save=save, done=episode_url, inset=inset, **common)
    form = OpenForm(posted(request))
    programmes = [(str(p.pk), p.name) for p in programme_list()]
    form.fields["programme"].choices = [("", "No programme"), *programmes]
    fields = [
        Field("level", "radios", "Level of need at the start", choices=LEVELS),
        Field("programme", "select", "Programme", "Leave as no programme for support outside one", choices=programmes),
        Field("start_date", "date", "Start date", "Leave blank for today"),
    ]

    def save_direct(data: dict[str, Any]) -> Any:
        return services.episode_open(
            actor=request.user,
            person_id=person.pk,
            level=data["level"],
            programme_id=data.get("programme") or None,
            start_date=data.get("start_date"),
        )

    intro = "You will lead the episode: opening it allocates the child to you, within your caseload's maximum."
    return form_page(request, form, fields=fields, save=save_direct, done=episode_url, intro=intro, **common)


@login_required
@require_GET
def episode(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    page = selectors.episode_page(viewer=request.user, episode_id=episode_id)
    return render(request, "casework/episode.html", {"e": page, "ep": page.episode})


def _practitioner_choices(exclude: set[Any]) -> list[tuple[str, str]]:
    return practitioner_choices(roles=TEAM_ROLES, exclude=exclude)


@login_required
@require_http_methods(["GET", "POST"])
def team(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    """Add a practitioner of any agency to the team around the family; or end a place (POST with `end`)."""
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(leads(request.user, ep))
    if request.method == "POST" and request.POST.get("end"):
        try:
            services.team_member_end(actor=request.user, team_member_id=request.POST["end"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Their place in the team around the family has ended")
        return redirect(episode_url(ep))
    current = set(ep.team_around_family.current().values_list("practitioner_id", flat=True))
    choices = _practitioner_choices(current | {ep.lead_practitioner_id})
    form = TeamMemberForm(posted(request))
    form.fields["practitioner"].choices = choices  # type: ignore[attr-defined]
    fields = [
        Field("practitioner", "select", "Practitioner", "From any agency working with the family", choices=choices),
        Field("role", "text", "What they do for the family", "For example, school attendance support"),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.team_member_add(
            actor=request.user, episode_id=ep.pk, practitioner_id=d["practitioner"], role=d["role"]
        ),
        done=lambda _: episode_url(ep),
        title="Add to the team around the family",
        button="Add to the team",
        success="Added to the team around the family",
        back=episode_url(ep),
        caption=f"Episode {ep.reference}",
        inset="While their place lasts they can open the child's record; the information-sharing rules still "
        "decide what they read.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def close(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(leads(request.user, ep))
    form = CloseForm(posted(request))
    fields = [
        Field("closed_on", "date", "Date closed"),
        Field("level_at_close", "radios", "Level of need at close", choices=LEVELS),
        Field("closure_reason", "radios", "Why it closed", choices=v.CLOSURE_REASON),
        Field("closure_note", "textarea", "Notes on the closure", "Required when the reason is other"),
        Field("step-down", "heading", "If stepped down", "Where the child went, and who there knows."),
        Field("step_down_to", "radios", "Stepped down to", choices=v.STEP_DOWN_TO),
        Field("step_down_note", "text", "Which service, and who there knows"),
        Field(
            "step-up",
            "heading",
            "If stepped up",
            "A referral goes to the front door carrying the episode's history: dates, programme, the assessment, "
            "sessions and the last review.",
        ),
        Field("step_up_reasons", "checkboxes", "Reasons for the referral", choices=v.REFERRAL_REASON),
        Field("step_up_consent", "radios", "Did the family consent to the referral?", choices=v.CONSENT),
        Field("step_up_consent_reason", "textarea", "Why consent was not sought"),
    ]

    def save(d: dict[str, Any]) -> Any:
        return services.episode_close(
            actor=request.user,
            episode_id=ep.pk,
            closed_on=d["closed_on"],
            level_at_close=d["level_at_close"],
            closure_reason=d["closure_reason"],
            closure_note=d.get("closure_note", ""),
            step_down_to=d.get("step_down_to", ""),
            step_down_note=d.get("step_down_note", ""),
            step_up_reasons=d.get("step_up_reasons") or (),
            step_up_consent=d.get("step_up_consent", ""),
            step_up_consent_reason=d.get("step_up_consent_reason", ""),
        )

    return form_page(
        request,
        form,
        fields=fields,
        save=save,
        done=lambda _: reverse("casework:caseload"),
        title="Close the episode",
        button="Close the episode",
        success=f"Episode {ep.reference} closed",
        back=episode_url(ep),
        caption=f"Episode {ep.reference}",
        intro="Closing ends your allocation to the child and the places in the team around the family.",
        inset=_exit_due(ep),
    )


def _exit_due(ep: Any) -> str:
    """The exit questionnaire is due at closure in a programme that uses measures, until one is recorded."""
    measures = ep.programme.measures if ep.programme else []
    if not measures or "exit" in timepoints_recorded(episode_ids=[ep.pk]).get(ep.pk, set()):
        return ""
    return f"No exit questionnaire is recorded yet: {', '.join(measures)} is due at the end, before the episode closes."


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: SignedInRequest, episode_id: Any) -> HttpResponse:
    ep = selectors.episode_get(viewer=request.user, episode_id=episode_id)
    access.require(leads(request.user, ep))
    form = FeedbackForm(posted(request))
    fields = [
        Field("given_by", "radios", "Who gave the feedback", choices=v.VOICE),
        Field("helpfulness", "radios", "How helpful was the support?", choices=form.fields["helpfulness"].choices),  # type: ignore[attr-defined]
        Field("what_helped", "textarea", "What helped"),
        Field("what_could_be_better", "textarea", "What could have been better"),
        Field(
            "consent_to_quote",
            "radios",
            "May their words be quoted (without naming them)?",
            choices=[("yes", "Yes"), ("no", "No")],
        ),
        Field("quote", "textarea", "The words they agreed may be quoted"),
    ]
    return form_page(
        request,
        form,
        fields=fields,
        save=lambda d: services.feedback_record(
            actor=request.user,
            episode_id=ep.pk,
            given_by=d["given_by"],
            helpfulness=d["helpfulness"],
            what_helped=d.get("what_helped", ""),
            what_could_be_better=d.get("what_could_be_better", ""),
            consent_to_quote=d["consent_to_quote"] == "yes",
            quote=d.get("quote", ""),
        ),
        done=lambda _: episode_url(ep),
        title="Record the family's feedback",
        button="Save the feedback",
        success="Feedback recorded",
        back=episode_url(ep),
        caption=f"Episode {ep.reference}",
    )
