"""Causes for concern and triangulation: raise one, the front door's list, a concern's page (with the call for
triangulation), its review and its closing, and the home page's panel.

Views stay thin: the selectors in selectors/concerns.py check access and audit what they show; the services in
services/concerns.py refuse bad input with messages the forms put on their fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.govuk.forms import GovukDateField, error_summary, errors_onto
from continuum.signals.selectors import concerns as selectors
from continuum.signals.services import concerns as services
from continuum.signals.services.concerns import NOTE_MAX

TOO_LONG = f"The note must be {NOTE_MAX:,} characters or fewer"


def home_panel(request: SignedInRequest) -> dict[str, Any] | None:
    """Triangulation called for about children the user works with, and the user's concerns due for review."""
    shown = selectors.concerns_for_home(viewer=request.user)
    return None if shown is None else {"home": shown}


def _choices(items: Any) -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in items]


class RaiseForm(forms.Form):
    category = forms.ChoiceField(
        error_messages={
            "required": "Select what the concern is about",
            "invalid_choice": "Select what the concern is about",
        }
    )
    note = forms.CharField(
        max_length=NOTE_MAX, error_messages={"required": "Describe your concern", "max_length": TOO_LONG}
    )
    triangulation = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _choices(selectors.concern_settings().categories)


@login_required
@require_http_methods(["GET", "POST"])
def raise_concern(request: SignedInRequest, person_id: str) -> HttpResponse:
    target = selectors.concern_raise_for(viewer=request.user, person_id=person_id)
    form = RaiseForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            concern = services.concern_raise(
                actor=request.user,
                person_id=target.person.pk,
                category=d["category"],
                note=d["note"],
                triangulation=d["triangulation"],
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            told = (
                " The agencies working with the child have been told of the triangulation call."
                if d["triangulation"]
                else ""
            )
            messages.success(request, f"Cause for concern raised.{told}")
            return redirect("signals:concern", concern_id=concern.pk)
    return render(
        request,
        "signals/concern_raise.html",
        {
            "t": target,
            "p": target.person,
            "form": form,
            "categories": selectors.concern_settings().categories,
            "review_days": selectors.concern_settings().review_days,
            "page_errors": error_summary(form),
        },
    )


@login_required
@require_GET
def concern_list(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_screen(request.user))
    show = request.GET.get("show", "open")
    listed = selectors.concern_list(viewer=request.user, show=show, page=request.GET.get("page"))
    return render(request, "signals/concern_list.html", {"c": listed, "filters": selectors.FILTERS})


class TriangulationForm(forms.Form):
    note = forms.CharField(
        max_length=NOTE_MAX,
        error_messages={"required": "Say what the triangulation discussion should consider", "max_length": TOO_LONG},
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_detail(request: SignedInRequest, concern_id: str) -> HttpResponse:
    """A concern; for those who manage it, the call for triangulation is a form on this page."""
    d = selectors.concern_get(viewer=request.user, concern_id=concern_id)
    form = TriangulationForm()
    if request.method == "POST":
        access.require(d.shown.can_manage)
        form = TriangulationForm(request.POST)
        if form.is_valid():
            try:
                services.concern_request_triangulation(
                    actor=request.user, concern_id=d.concern.pk, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(
                    request, "Triangulation called for: the agencies working with the child have been told"
                )
                return redirect("signals:concern", concern_id=d.concern.pk)
    return render(request, "signals/concern_detail.html", {"d": d, "form": form, "page_errors": error_summary(form)})


class ReviewForm(forms.Form):
    note = forms.CharField(
        max_length=NOTE_MAX, error_messages={"required": "Say what the review found", "max_length": TOO_LONG}
    )
    next_review_by = GovukDateField(label="The date of the next review")


def _act_on_concern(
    request: SignedInRequest,
    concern_id: str,
    *,
    form_class: type[forms.Form],
    act: Callable[[Any, dict[str, Any]], Any],
    done: str,
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """A form on an open concern (review, close) for those who manage it: the service's refusal shown on the form,
    success back to the concern's page."""
    d = selectors.concern_get(viewer=request.user, concern_id=concern_id)
    access.require(d.shown.can_manage)
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            act(d.concern.pk, form.cleaned_data)
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, done)
            return redirect("signals:concern", concern_id=d.concern.pk)
    return render(request, template, {"d": d, "form": form, "page_errors": error_summary(form), **(extra or {})})


@login_required
@require_http_methods(["GET", "POST"])
def concern_review(request: SignedInRequest, concern_id: str) -> HttpResponse:
    return _act_on_concern(
        request,
        concern_id,
        form_class=ReviewForm,
        act=lambda pk, data: services.concern_review(
            actor=request.user, concern_id=pk, note=data["note"], next_review_by=data["next_review_by"]
        ),
        done="Review recorded",
        template="signals/concern_review.html",
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        error_messages={"required": "Select the outcome", "invalid_choice": "Select the outcome"}
    )
    note = forms.CharField(
        max_length=NOTE_MAX,
        error_messages={"required": "Say why the concern is being closed", "max_length": TOO_LONG},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _choices(selectors.concern_settings().outcomes)


@login_required
@require_http_methods(["GET", "POST"])
def concern_close(request: SignedInRequest, concern_id: str) -> HttpResponse:
    return _act_on_concern(
        request,
        concern_id,
        form_class=CloseForm,
        act=lambda pk, data: services.concern_close(
            actor=request.user, concern_id=pk, outcome=data["outcome"], note=data["note"]
        ),
        done="Concern closed",
        template="signals/concern_close.html",
        extra={"outcomes": selectors.concern_settings().outcomes},
    )
