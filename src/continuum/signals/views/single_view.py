"""A child's single multi-agency view: a tab of the child's record. The selector applies the access policy and the
information-sharing rules, and audits; the view checks the timeline's filters and renders."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.govuk.forms import error_summary
from continuum.people.selectors import record_tabs
from continuum.signals.selectors import single_view as selector


class TimelineFilterForm(forms.Form):
    agency = forms.ChoiceField(
        required=False,
        choices=[("", "All agencies"), *selector.AGENCY_CHOICES],
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )
    kind = forms.ChoiceField(required=False, error_messages={"invalid_choice": "Choose a kind of event from the list"})

    def __init__(self, data: Any, *, categories: frozenset[str]) -> None:
        super().__init__(data)
        # Only the kinds of event the viewer could be shown: a school is not offered police incidents to filter on.
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "All kinds of event"), *selector.kind_choices(categories)]


@login_required
@require_GET
def single_view(request: SignedInRequest, person_id: str) -> HttpResponse:
    form = TimelineFilterForm(request.GET or None, categories=access.readable_categories(request.user))
    # A filter with a mistake in it is named in the error summary; the timeline is then shown unfiltered.
    valid = form.is_bound and form.is_valid()
    filters = {"agency": form.cleaned_data["agency"], "kind": form.cleaned_data["kind"]} if valid else {}
    view = selector.single_view(viewer=request.user, person_id=person_id, **filters)
    return render(
        request,
        "signals/single_view.html",
        {
            "view": view,
            "p": view.person,
            "form": form,
            "page_errors": error_summary(form) if form.is_bound else [],
            "tabs": record_tabs(view.person.pk, current="single_view"),
            "category_labels": access.policy().category_labels,
            # The partial templates of the indicators and concerns take these names.
            "indicators": view.indicators,
            "concerns": view.concerns,
        },
    )
