"""The front door's figures and school engagement: counts only, over a period the user chooses."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.disclosure import SMALL_NUMBER
from continuum.frontdoor.selectors import dashboard as selectors
from continuum.govuk.charts import bar_chart
from continuum.govuk.forms import GovukDateField, error_summary
from continuum.tables import spreadsheet_safe


class PeriodForm(forms.Form):
    """From and to dates, both optional: the last 12 months to today by default."""

    since = GovukDateField(label="From", required=False, past_only=True)
    until = GovukDateField(label="To", required=False, past_only=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end date must be the same as or after the start date")
        return data

    def period(self) -> selectors.Period:
        """The period asked for (call after is_valid, or on an unbound form for the default)."""
        default = selectors.Period.last_twelve_months()
        data = self.cleaned_data if self.is_bound else {}
        until = data.get("until") or default.last
        since = data.get("since") or (
            default.first if not data.get("until") else selectors.Period.last_twelve_months(until).first
        )
        return selectors.Period(since, until)


def _period(request: SignedInRequest) -> tuple[PeriodForm, selectors.Period | None]:
    form = PeriodForm({k: request.GET[k] for k in request.GET if k != "sort"} or None)
    if form.is_bound and not form.is_valid():
        return form, None
    return form, form.period()


def _query(request: SignedInRequest, *, without: tuple[str, ...] = ()) -> str:
    query = request.GET.copy()
    for name in without:
        query.pop(name, None)
    return query.urlencode()


@login_required
@require_GET
def dashboard(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_see_front_door_figures(request.user))
    form, period = _period(request)
    context: dict[str, Any] = {"form": form, "page_errors": error_summary(form), "small_number": SMALL_NUMBER}
    if period is None:
        return render(request, "frontdoor/dashboard.html", context)
    figures = selectors.front_door_dashboard(viewer=request.user, period=period)
    # Each chart is drawn from its table's own rows, so it hides exactly what the table hides.
    charts = {f.key: bar_chart(f.rows, title=f.title) for f in figures.figures if f.rows}
    waiting = figures.waiting_chart
    if waiting and any(row.count for row in waiting):
        charts["waiting"] = bar_chart(waiting, title="Children waiting now, by programme")
    context.update({"d": figures, "charts": charts, "query": _query(request)})
    return render(request, "frontdoor/dashboard.html", context)


@login_required
@require_GET
def dashboard_csv(request: SignedInRequest) -> HttpResponse:
    """The same figures as the page shows (suppressed for those who see them suppressed), one per line."""
    access.require(access.can_see_front_door_figures(request.user))
    form, period = _period(request)
    if period is None:
        return render(
            request,
            "frontdoor/dashboard.html",
            {"form": form, "page_errors": error_summary(form), "small_number": SMALL_NUMBER},
        )
    figures = selectors.front_door_dashboard(viewer=request.user, period=period, export=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["figure", "group", "value"])
    writer.writerow(["period", "from", period.first.isoformat()])
    writer.writerow(["period", "to", period.last.isoformat()])
    writer.writerow(["period", "small numbers suppressed", "yes" if figures.suppressed else "no"])
    for total in (figures.referrals, figures.decisions):
        writer.writerow(["totals", spreadsheet_safe(total.label), total.shown])
    for figure in figures.figures:
        for row in figure.rows or []:
            writer.writerow([figure.key, spreadsheet_safe(row.label), row.shown])
        if figure.rows is None:
            writer.writerow([figure.key, "", "not shown: too few to show without identifying someone"])
    for wait in figures.waits or []:
        writer.writerow(["waiting_now", spreadsheet_safe(wait.programme), wait.waiting_now.shown])
        writer.writerow(["joined_waiting_list", spreadsheet_safe(wait.programme), wait.joined.shown])
        writer.writerow(["waits_ended", spreadsheet_safe(wait.programme), wait.ended.shown])
        writer.writerow(["median_days_waited", spreadsheet_safe(wait.programme), wait.median_days])
    if figures.waits is None:
        writer.writerow(["waiting_now", "", "not shown: too few to show without identifying someone"])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = f"{period.first.isoformat()}-to-{period.last.isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="front-door-figures-{stamp}.csv"'
    return response


SORTS = selectors.SCHOOL_SORTS


@login_required
@require_GET
def schools(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_see_front_door_figures(request.user))
    sort = request.GET.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    form, period = _period(request)
    context: dict[str, Any] = {
        "form": form,
        "page_errors": error_summary(form),
        "small_number": SMALL_NUMBER,
        "sort": sort,
        "sorts": SORTS,
        "query": _query(request, without=("sort",)),
        "suppressed": not access.can_screen(request.user),
        "today": timezone.localdate(),
    }
    if period is None:
        return render(request, "frontdoor/schools.html", context)
    context.update(
        {"rows": selectors.school_engagement(viewer=request.user, period=period, sort=sort), "period": period}
    )
    return render(request, "frontdoor/schools.html", context)
