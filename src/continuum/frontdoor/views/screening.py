"""The front door's queue and decisions; transfers to teams; allocation, waiting lists and caseloads.

Views stay thin: the selectors in selectors/screening.py check access and audit what they show; the services
in services/decisions.py and services/allocation.py refuse contradictions with messages put on the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.agencies.selectors import team_list
from continuum.frontdoor.selectors import screening as selectors
from continuum.frontdoor.services.allocation import referral_allocate, waiting_list_add
from continuum.frontdoor.services.decisions import (
    decision_problems,
    decision_record,
    transfer_accept,
    transfer_decline,
)
from continuum.govuk.forms import error_summary, errors_onto

if TYPE_CHECKING:
    from continuum.agencies.selectors import Caseload

# The kinds of agency whose teams run programmes, and the team field of each route that sends the child to a team.
PROGRAMME_TEAM_KINDS = ("early_help", "voluntary", "youth_justice", "camhs", "health", "childrens_social_care")
TEAM_FIELD = {"programme": "programme_team", "step_up": "step_up_team", "existing_episode": "episode_team"}
ROUTE_FIELDS_USED = {
    "programme": {"programme", "programme_team", "override_reason"},
    "step_up": {"step_up_team"},
    "existing_episode": {"episode_team"},
}
ROUTE_FIELDS = set().union(*ROUTE_FIELDS_USED.values())


def _offer(form: forms.Form, name: str, rows: list[tuple[str, str]], prompt: str | None = None) -> None:
    """Set the choices of one of the form's choice fields (made per request: programmes and teams change)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", prompt), *rows] if prompt else rows


class DecisionForm(forms.Form):
    level = forms.TypedChoiceField(
        choices=v.LEVEL_OF_NEED,
        coerce=int,
        error_messages={"required": "Select the level of need", "invalid_choice": "Select the level of need"},
    )
    rationale = forms.CharField(
        max_length=5000, error_messages={"required": "Give the rationale for the level of need and the route"}
    )
    route = forms.ChoiceField(
        choices=v.ROUTE, error_messages={"required": "Select the route", "invalid_choice": "Select the route"}
    )
    programme = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose a programme from the list"})
    programme_team = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose a team from the list"})
    step_up_team = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose a team from the list"})
    episode_team = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose a team from the list"})
    override_reason = forms.CharField(required=False, max_length=2000)
    outcome_for_referrer = forms.CharField(
        max_length=2000, error_messages={"required": "Write what the referrer will be told"}
    )

    def __init__(self, *args: Any, screening: selectors.Screening, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = [
            (str(e.programme.pk), f"{e.programme.name} ({'eligible' if e.eligible else 'not eligible'})")
            for e in screening.eligibility
        ]
        _offer(self, "programme", programmes, "Choose a programme")
        teams = list(team_list(agency_kinds=PROGRAMME_TEAM_KINDS))
        _offer(self, "programme_team", [(str(t.pk), str(t)) for t in teams], "Choose a team")
        social_care = [(str(t.pk), str(t)) for t in teams if t.agency.kind == "childrens_social_care"]
        _offer(self, "step_up_team", social_care, "Choose a team")
        _offer(self, "episode_team", [(str(t.pk), str(t)) for t in screening.working_teams], "Choose a team")

    def clean(self) -> dict[str, Any]:
        """Every problem at once: what is missing, and what the answers given contradict (the service's own check)."""
        data = super().clean() or {}
        route = data.get("route") or ""
        for name in ROUTE_FIELDS - ROUTE_FIELDS_USED.get(route, set()):
            self.errors.pop(name, None)  # the answers for another route are set aside, right or wrong
        problems = decision_problems(
            level=data.get("level"),
            rationale=data.get("rationale") or "",
            route=route,
            outcome_for_referrer=data.get("outcome_for_referrer") or "",
            programme_id=data.get("programme") if route == "programme" else None,
            team_id=data.get(TEAM_FIELD[route]) if route in TEAM_FIELD else None,
        )
        for name, message in problems.items():
            field = TEAM_FIELD.get(route, "route") if name == "team" else name
            if field not in self.errors:
                self.add_error(field, message)
        # The error summary lists problems in the order the questions come on the page.
        order = {name: n for n, name in enumerate(self.fields)}
        self._errors = ErrorDict(sorted(self.errors.items(), key=lambda item: order.get(item[0], -1)))
        return data


NOT_WAITING = "This referral is not waiting for a decision: nothing was recorded"


def _problems(exc: ValidationError) -> list[dict[str, str]]:
    """A service's refusal as the error summary's list, when it concerns no field of a form."""
    return [{"text": str(m), "href": "#main-content"} for m in exc.messages]


def _level(raw: Any) -> int | None:
    return int(raw) if str(raw) in {code for code, _ in v.LEVEL_OF_NEED} else None


def _service_errors_onto(form: forms.Form, exc: ValidationError, route: str) -> None:
    """The service names the team "team"; the form has one team field per route."""
    if hasattr(exc, "error_dict") and "team" in exc.message_dict:
        renamed = {(TEAM_FIELD.get(route, "route") if k == "team" else k): msgs for k, msgs in exc.message_dict.items()}
        exc = ValidationError(renamed)
    errors_onto(form, exc)


@login_required
@require_GET
def queue(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_screen(request.user))
    shown = selectors.queue(viewer=request.user, page=request.GET.get("page"))
    return render(request, "frontdoor/queue.html", {"q": shown})


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: SignedInRequest, referral_id: str) -> HttpResponse:
    """Screen a referral and record the decision. "Check eligibility" re-shows the page for the level chosen."""
    access.require(access.can_screen(request.user))
    posted = request.method == "POST"
    checking = posted and request.POST.get("action") == "check"
    s = selectors.screening(
        viewer=request.user, referral_id=referral_id, level=_level(request.POST.get("level")) if posted else None
    )
    if checking or not posted or not s.waiting_for_decision:
        # Not a submission: the form keeps what was typed, without error messages.
        form = DecisionForm(initial=request.POST.dict() if checking else {}, screening=s)
        problems = [] if s.waiting_for_decision or not posted else [{"text": NOT_WAITING, "href": "#decisions"}]
        return _decide_page(request, s, form, page_errors=problems)
    form = DecisionForm(request.POST, screening=s)
    if form.is_valid():
        d = form.cleaned_data
        route = d["route"]
        try:
            decision_record(
                actor=request.user,
                referral_id=s.referral.pk,
                level=d["level"],
                rationale=d["rationale"],
                route=route,
                programme_id=d["programme"] if route == "programme" else None,
                team_id=d[TEAM_FIELD[route]] if route in TEAM_FIELD else None,
                outcome_for_referrer=d["outcome_for_referrer"],
                override_reason=d["override_reason"] if route == "programme" else "",
            )
        except ValidationError as exc:
            _service_errors_onto(form, exc, route)
        else:
            messages.success(request, f"Decision recorded for referral {s.referral.reference}")
            return redirect("frontdoor:queue")
    return _decide_page(request, s, form, page_errors=error_summary(form))


def _decide_page(
    request: SignedInRequest, s: selectors.Screening, form: DecisionForm, *, page_errors: list[dict[str, str]]
) -> HttpResponse:
    return render(
        request,
        "frontdoor/decide.html",
        {
            "s": s,
            "r": s.referral,
            "p": s.referral.person,
            "form": form,
            "page_errors": page_errors,
            "levels": v.LEVEL_OF_NEED,
            "routes": v.ROUTE,
        },
    )


@login_required
@require_GET
def transfers(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_manage_team(request.user))
    return render(request, "frontdoor/transfers.html", {"t": selectors.team_transfers(viewer=request.user)})


class DeclineForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, error_messages={"required": "Give the reason for declining: the front door will see it"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request: SignedInRequest, transfer_id: str) -> HttpResponse:
    """A referral sent to the manager's team: accept it (then allocate) or decline it with a reason."""
    access.require(access.can_manage_team(request.user))
    detail = selectors.transfer_detail(viewer=request.user, transfer_id=transfer_id)
    form = DeclineForm()
    errors: list[dict[str, str]] = []
    action = request.POST.get("action")
    if request.method == "POST" and not detail.answerable:
        errors = [{"text": "Your team has already answered this referral", "href": "#main-content"}]
    elif request.method == "POST" and action == "accept":
        try:
            transfer_accept(actor=request.user, transfer_id=detail.transfer.pk)
        except ValidationError as exc:
            errors = _problems(exc)
        else:
            messages.success(request, f"Referral {detail.referral.reference} accepted: allocate a practitioner")
            return redirect("frontdoor:allocate", referral_id=detail.referral.pk)
    elif request.method == "POST" and action == "decline":
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                transfer_decline(actor=request.user, transfer_id=detail.transfer.pk, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, f"Referral {detail.referral.reference} declined: the front door will see why")
                return redirect("frontdoor:transfers")
        errors = error_summary(form)
    elif request.method == "POST":
        errors = [{"text": "Choose to accept or decline the referral", "href": "#answer"}]
    return render(request, "frontdoor/transfer.html", {"d": detail, "form": form, "page_errors": errors})


class AllocateForm(forms.Form):
    practitioner = forms.ChoiceField(
        error_messages={
            "required": "Choose the practitioner to allocate",
            "invalid_choice": "Choose a practitioner in the team",
        }
    )

    def __init__(self, *args: Any, loads: list[Caseload], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self, "practitioner", [(str(c.practitioner.pk), c.practitioner.name) for c in loads])


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request: SignedInRequest, referral_id: str) -> HttpResponse:
    """Allocate the child to a practitioner with room in the accepting team, or put them on the waiting list."""
    access.require(access.can_screen(request.user) or access.can_manage_team(request.user))
    page = selectors.allocation_page(viewer=request.user, referral_id=referral_id)
    form = AllocateForm(loads=page.caseloads)
    errors: list[dict[str, str]] = []
    if request.method == "POST" and page.transfer is None:
        errors = [{"text": "No team has accepted this referral yet: nothing was recorded", "href": "#main-content"}]
    elif request.method == "POST" and request.POST.get("action") == "wait":
        try:
            waiting_list_add(actor=request.user, referral_id=page.referral.pk)
        except ValidationError as exc:
            errors = _problems(exc)
        else:
            messages.success(request, f"Referral {page.referral.reference} is on the waiting list")
            return redirect("frontdoor:allocate", referral_id=page.referral.pk)
    elif request.method == "POST":
        form = AllocateForm(request.POST, loads=page.caseloads)
        if form.is_valid():
            try:
                referral_allocate(
                    actor=request.user, referral_id=page.referral.pk, practitioner_id=form.cleaned_data["practitioner"]
                )
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, f"Referral {page.referral.reference} allocated")
                return redirect("frontdoor:allocate", referral_id=page.referral.pk)
        errors = error_summary(form)
    return render(request, "frontdoor/allocate.html", {"a": page, "form": form, "page_errors": errors})


@login_required
@require_GET
def caseloads(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_manage_team(request.user))
    return render(request, "frontdoor/caseloads.html", {"c": selectors.team_caseloads(viewer=request.user)})
