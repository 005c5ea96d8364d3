"""Children falling through the gap: the front door's list (with the evidence) and the cohort view (counts)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.agencies.selectors import agencies_of_kind
from continuum.disclosure import SMALL_NUMBER
from continuum.govuk.charts import bar_chart
from continuum.govuk.forms import error_summary
from continuum.people.selectors import NO_LOCALITY, NO_SCHOOL
from continuum.signals.gap import DIMENSIONS
from continuum.signals.selectors import gap as selectors

FILTERS = ("rule", "locality", "school", "age_band", "sex", "ethnicity")
LABELS = {"rule": "Rule", **DIMENSIONS}
CHOOSE = {
    "rule": "Choose a rule from the list",
    "locality": "Choose a locality from the list",
    "school": "Choose a school from the list",
    "age_band": "Choose an age band from the list",
    "sex": "Choose a sex from the list",
    "ethnicity": "Choose an ethnic group from the list",
}


class GapFilterForm(forms.Form):
    """Narrow the list or the cohort: each filter a choice among the values it may take, or everything."""

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        rules = selectors.current_rules()
        schools = agencies_of_kind("school").order_by("name").values_list("name", "locality")
        names = [name for name, _ in schools]
        localities = sorted({(locality or "").strip() for _, locality in schools} - {""})
        choices = {
            "rule": [(name, rule.label) for name, rule in rules.rules.items()],
            "locality": [(x, x) for x in [*localities, NO_LOCALITY]],
            "school": [(x, x) for x in [*names, NO_SCHOOL]],
            "age_band": [(x, x) for x in rules.age_band_labels],
            "sex": [(x, x) for x in selectors.SEXES],
            "ethnicity": [(x, x) for x in selectors.ETHNIC_GROUPS],
        }
        everything = {"rule": "Any rule"}
        for name in FILTERS:
            self.fields[name] = forms.ChoiceField(
                label=LABELS[name],
                required=False,
                choices=[("", everything.get(name, "All")), *choices[name]],
                error_messages={"invalid_choice": CHOOSE[name]},
            )

    def filters(self) -> selectors.GapFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return selectors.GapFilters(**{name: data.get(name) or "" for name in FILTERS})


def _form(request: SignedInRequest) -> GapFilterForm:
    data = {k: request.GET[k] for k in FILTERS if k in request.GET}
    return GapFilterForm(data or None)


def _query(filters: selectors.GapFilters, **changes: str) -> str:
    values = {**filters.as_audit(), **changes}
    return urlencode({k: v for k, v in values.items() if v})


@login_required
@require_GET
def gap_list(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_find_gaps(request.user))
    form = _form(request)
    context: dict[str, Any] = {"form": form, "page_errors": error_summary(form)}
    if form.is_bound and not form.is_valid():
        return render(request, "signals/gap_list.html", context)
    filters = form.filters()
    found = selectors.gap_list(viewer=request.user, filters=filters, page=request.GET.get("page", 1))
    context.update({"found": found, "filters": filters, "query": _query(filters)})
    return render(request, "signals/gap_list.html", context)


@login_required
@require_GET
def gap_cohort(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_see_gap_cohort(request.user))
    form = _form(request)
    full = access.can_find_gaps(request.user)  # the front door clicks through to the children; analysts see counts
    context: dict[str, Any] = {"form": form, "page_errors": error_summary(form), "small_number": SMALL_NUMBER}
    context["full"] = full
    if form.is_bound and not form.is_valid():
        return render(request, "signals/gap_cohort.html", context)
    filters = form.filters()
    cohort = selectors.gap_cohort(viewer=request.user, filters=filters)
    charts = {
        d.key: bar_chart(d.groups, title=f"Children flagged per 1,000, by {d.title.lower()}")
        for d in cohort.dimensions
        if d.groups and any(g.rate for g in d.groups)
    }
    links: dict[str, dict[str, str]] = {}
    for d in cohort.dimensions:
        for g in d.groups or []:
            links.setdefault(d.key, {})[g.label] = _query(filters, **{d.key: g.label})
    context.update(
        {
            "cohort": cohort,
            "charts": charts,
            "links": links,
            "filters": filters,
            "query": _query(filters),
            "labels": LABELS,
        }
    )
    return render(request, "signals/gap_cohort.html", context)
