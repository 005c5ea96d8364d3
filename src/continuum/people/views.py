"""Finding and opening a child's record. Views stay thin: selectors apply the access policy and audit."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.audit.selectors import break_glass_active_until
from continuum.audit.services import break_glass_open
from continuum.disclosure import SMALL_NUMBER
from continuum.govuk.charts import bar_chart
from continuum.govuk.forms import error_summary
from continuum.people import selectors
from continuum.people.forms import BreakGlassSearchForm, SearchForm

# The criteria of the user's current search live in their session, never in a URL: Back, the record's
# back link and pagination all return to the same results without names or dates in an address.
SEARCH = "people.search"


@login_required
@require_http_methods(["GET", "POST"])
def search(request: SignedInRequest) -> HttpResponse:
    """Post the search, then redirect to the results (the same page, from the session), so Back works."""
    access.require(access.can_search_people(request.user))
    if request.method == "POST":
        form = SearchForm(request.POST)
        if form.is_valid():
            criteria = selectors.SearchCriteria(**{k: form.cleaned_data[k] for k in form.fields})
            request.session[SEARCH] = criteria.as_session()
            return redirect("people:search")
        return _search_page(request, form, None)
    saved = request.session.get(SEARCH)
    if not saved:
        return _search_page(request, SearchForm(), None)
    criteria = selectors.SearchCriteria.from_session(saved)
    result = selectors.person_search(viewer=request.user, criteria=criteria, page=request.GET.get("page"))
    return _search_page(request, SearchForm.showing(criteria), result)


def _search_page(request: SignedInRequest, form: SearchForm, result: selectors.SearchResult | None) -> HttpResponse:
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "result": result,
            "page_errors": error_summary(form) if form.is_bound and result is None else [],
            "role": access.role_policy(request.user),
        },
    )


@login_required
@require_POST
def search_clear(request: SignedInRequest) -> HttpResponse:
    request.session.pop(SEARCH, None)
    return redirect("people:search")


@login_required
@require_GET
def record(request: SignedInRequest, person_id: str) -> HttpResponse:
    rec = selectors.person_record(viewer=request.user, person_id=person_id)
    emergency = rec.basis.source == "break_glass"
    until = break_glass_active_until(viewer=request.user, person_id=rec.person.pk) if emergency else None
    return render(
        request,
        "people/record.html",
        {
            "rec": rec,
            "p": rec.person,
            "category_labels": access.policy().category_labels,
            "emergency_until": until,
            "searched": bool(request.session.get(SEARCH)),
            "tabs": selectors.record_tabs(rec.person.pk),
        },
    )


@login_required
@require_GET
def export(request: SignedInRequest, person_id: str) -> HttpResponse:
    data = selectors.person_export(viewer=request.user, person_id=person_id)
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="record-{data["record"]["id"]}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: SignedInRequest) -> HttpResponse:
    """Emergency access: identify the child exactly, give a reason, then choose the record to open."""
    access.require(access.can_break_glass(request.user))
    form = BreakGlassSearchForm(request.POST or None)
    candidates = None
    if request.method == "POST" and form.is_valid():
        candidates = selectors.break_glass_candidates(
            viewer=request.user,
            family_name=form.cleaned_data["family_name"],
            given_name=form.cleaned_data["given_name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
    return render(
        request,
        "people/break_glass.html",
        {
            "form": form,
            "candidates": candidates,
            "page_errors": error_summary(form),
            "minutes": access.policy().break_glass_minutes,
        },
    )


@login_required
@require_POST
def break_glass_grant(request: SignedInRequest) -> HttpResponse:
    try:
        grant = break_glass_open(
            actor=request.user,
            person_id=request.POST.get("person_id"),
            reason_code=request.POST.get("reason_code", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        raise Http404("That emergency access request was not complete") from exc
    return redirect("people:record", person_id=grant.person_id)


@login_required
@require_GET
def population(request: SignedInRequest) -> HttpResponse:
    summary = selectors.population_summary(viewer=request.user)
    # The chart is drawn from the table's own rows, so it hides exactly what the table hides.
    age_chart = bar_chart(summary.by_age, title="Children by age band") if summary.by_age is not None else None
    return render(
        request,
        "people/population.html",
        {"s": summary, "age_chart": age_chart, "small_number": SMALL_NUMBER},
    )
