"""Attendance alerts: the worker's list (a team manager's: their team's), one alert with its evidence and the
follow-up form, and the home page's panel. The selectors check access and audit; the service records follow-ups."""

from __future__ import annotations

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
from continuum.govuk.forms import error_summary, errors_onto
from continuum.signals.selectors import alerts as selectors
from continuum.signals.services.alerts import NOTE_LIMIT, alert_follow_up, protocol_rules


def home_panel(request: SignedInRequest) -> dict[str, Any] | None:
    """ "You have N attendance alerts to follow up", for a worker (or team manager) with any waiting; else nothing."""
    if not access.can_search_people(request.user):
        return None
    waiting = selectors.waiting_count(viewer=request.user)
    return {"waiting": waiting, "team": access.can_manage_team(request.user)} if waiting else None


class FollowUpForm(forms.Form):
    action = forms.ChoiceField(
        error_messages={"required": "Select what you did about the absence", "invalid_choice": "Select an action"}
    )
    note = forms.CharField(
        required=False,
        max_length=NOTE_LIMIT,
        error_messages={"max_length": f"The note must be {NOTE_LIMIT:,} characters or fewer"},
    )

    def __init__(self, *args: Any, actions: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(actions.items())


@login_required
@require_GET
def alert_list(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_search_people(request.user))
    shown = selectors.alert_list(viewer=request.user)
    rules = protocol_rules()
    return render(request, "signals/alerts.html", {"a": shown, "actions": rules.actions})


@login_required
@require_http_methods(["GET", "POST"])
def alert_detail(request: SignedInRequest, alert_id: str) -> HttpResponse:
    """Anyone but the alert's worker and their team manager gets the audited 404 (the selector's), any role."""
    shown = selectors.alert_detail(viewer=request.user, alert_id=alert_id)
    rules = protocol_rules()
    form = FollowUpForm(request.POST if request.method == "POST" else None, actions=rules.actions)
    if request.method == "POST" and form.is_valid():
        try:
            alert_follow_up(
                actor=request.user,
                alert_id=shown.alert.pk,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, "Follow-up recorded")
            return redirect("signals:alerts")
    return render(
        request,
        "signals/alert.html",
        {
            "s": shown,
            "alert": shown.alert,
            "form": form,
            "actions": rules.actions,
            "note_required": [
                words[:1].lower() + words[1:] for code, words in rules.actions.items() if code in rules.note_required
            ],
            "page_errors": error_summary(form),
        },
    )
