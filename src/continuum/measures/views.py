"""Questionnaires entered on a session (by the practitioner, or by the young person or parent on the practitioner's
device), their scores, custom indices, and the programme outcome report."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from continuum import vocabulary as v
from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.analytics.sdq import SDQ_BAND_RANGES, SDQ_DIFFICULTY_BANDS, SDQ_PROSOCIAL_BANDS
from continuum.disclosure import SMALL_NUMBER
from continuum.govuk.charts import bar_chart
from continuum.govuk.forms import error_summary, errors_onto
from continuum.measures import respondent as respondent_lock
from continuum.measures import scoring, selectors, services
from continuum.measures.forms import IndexForm, OutcomesForm, StartForm, answers_form
from continuum.measures.models import Questionnaire
from continuum.measures.questions import FormSpec
from continuum.programmes.selectors import programme_list
from continuum.tables import spreadsheet_safe

TIMEPOINTS = dict(v.TIMEPOINT)
BAND_WORDS = {
    "close_to_average": "Close to average",
    "slightly_raised": "Slightly raised",
    "high": "High",
    "very_high": "Very high",
    "slightly_lowered": "Slightly lowered",
    "low": "Low",
    "very_low": "Very low",
}
SDQ_SCORE_NAMES = (
    ("total", "Total difficulties"),
    ("emotional", "Emotional symptoms"),
    ("conduct", "Conduct problems"),
    ("hyperactivity", "Hyperactivity and inattention"),
    ("peer", "Peer relationship problems"),
    ("prosocial", "Prosocial behaviour"),
    ("externalising", "Externalising (conduct and hyperactivity)"),
    ("internalising", "Internalising (emotional and peer)"),
    ("impact", "Impact"),
)


# -- Entering a questionnaire -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_start(request: SignedInRequest, session_id: Any) -> HttpResponse:
    """Which questionnaire, when in the episode, and who will enter the answers."""
    session = selectors.questionnaire_session(viewer=request.user, session_id=session_id)
    offered = selectors.forms_offered()
    form = StartForm(request.POST if request.method == "POST" else None, forms_offered=offered)
    if request.method == "POST" and form.is_valid():
        name = "measures:respondent" if form.cleaned_data["mode"] == "respondent" else "measures:enter"
        url = reverse(name, kwargs={"session_id": session.pk, "form": form.cleaned_data["form"]})
        return redirect(f"{url}?{urlencode({'timepoint': form.cleaned_data['timepoint']})}")
    return render(
        request,
        "measures/start.html",
        {"form": form, "page_errors": error_summary(form), "session": session, "offered": offered},
    )


def _entry(request: SignedInRequest, session_id: Any, code: str, *, respondent: bool) -> HttpResponse:
    session = selectors.questionnaire_session(viewer=request.user, session_id=session_id)
    spec = selectors.form_spec(code)
    if spec is None:
        raise Http404("No such questionnaire")
    if respondent:
        respondent_lock.lock(request, request.path)
    timepoint = request.GET.get("timepoint", "")
    if timepoint not in TIMEPOINTS:
        return redirect("measures:start", session_id=session.pk)
    form = answers_form(spec, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_record(
                actor=request.user,
                session_id=session.pk,
                measure=spec.measure_slug,
                informant=spec.informant,
                version=spec.version,
                timepoint=timepoint,
                responses=form.cleaned_data,
                completed_by_respondent=respondent,
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            if respondent:
                return redirect("measures:handed_back", questionnaire_id=questionnaire.pk)
            return redirect("measures:questionnaire", questionnaire_id=questionnaire.pk)
    context = {
        "form": form,
        "page_errors": error_summary(form),
        "spec": spec,
        "sections": _sections(spec),
        "session": None if respondent else session,
        "timepoint": TIMEPOINTS[timepoint],
        "respondent": respondent,
    }
    return render(request, "measures/respondent.html" if respondent else "measures/enter.html", context)


def _sections(spec: FormSpec) -> list[tuple[str, list[Any]]]:
    sections: list[tuple[str, list[Any]]] = []
    for question in spec.questions:
        if not sections or sections[-1][0] != question.section:
            sections.append((question.section, []))
        sections[-1][1].append(question)
    return sections


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_enter(request: SignedInRequest, session_id: Any, form: str) -> HttpResponse:
    return _entry(request, session_id, form, respondent=False)


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_respondent(request: SignedInRequest, session_id: Any, form: str) -> HttpResponse:
    """The same questions for the young person or parent to answer on the practitioner's device: the page shows
    the questions and answer options only (no name, no menu, nothing of the case)."""
    return _entry(request, session_id, form, respondent=True)


@login_required
@require_GET
def questionnaire_handed_back(request: SignedInRequest, questionnaire_id: Any) -> HttpResponse:
    """After the respondent's answers are saved: thanks, and the way back for the practitioner. Shows no score."""
    selectors.questionnaire_exists_for(viewer=request.user, questionnaire_id=questionnaire_id)
    return render(request, "measures/handed_back.html", {"questionnaire_id": questionnaire_id, "respondent": True})


@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def unlock(request: SignedInRequest) -> HttpResponse:
    """The practitioner takes the device back: their password ends questionnaire mode."""
    wanted = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=False):
        wanted = ""
    error = ""
    if request.method == "POST":
        password = request.POST.get("password", "")
        if not password:
            error = "Enter your password"
        elif authenticate(request, username=request.user.get_username(), password=password) is None:
            error = "That password is not right. Practitioner: enter the password you sign in with"
        else:
            respondent_lock.unlock(request)
            return redirect(wanted or "home")
    page_errors = [{"text": error, "href": "#password"}] if error else []
    return render(
        request,
        "measures/unlock.html",
        {"next": wanted, "error": error, "page_errors": page_errors, "respondent": True},
    )


@login_required
@require_GET
def questionnaire(request: SignedInRequest, questionnaire_id: Any) -> HttpResponse:
    """A questionnaire's scores and bands, beside the published bands."""
    found = selectors.questionnaire_get(viewer=request.user, questionnaire_id=questionnaire_id)
    return render(
        request,
        "measures/questionnaire.html",
        {"q": found, "rows": _score_rows(found), "timepoint": TIMEPOINTS.get(found.timepoint, found.timepoint)},
    )


def _score_rows(found: Questionnaire) -> list[dict[str, str]]:
    rows = []
    if found.measure.kind == "sdq":
        ranges = SDQ_BAND_RANGES.get(found.informant, {})
        for key, label in SDQ_SCORE_NAMES:
            published = ""
            if key in ranges:
                names = SDQ_PROSOCIAL_BANDS if key == "prosocial" else SDQ_DIFFICULTY_BANDS
                published = "; ".join(
                    f"{BAND_WORDS[name]} {low} to {high}" for name, (low, high) in zip(names, ranges[key], strict=True)
                )
            rows.append(_row(label, found.scores.get(key), found.bands.get(key), published or "No published bands"))
        return rows
    definition = scoring.index_definition(found.measure)
    bands = scoring.index_bands(definition)
    for score in definition.scores_defined():
        published = "; ".join(f"{label} {span}" for label, span in bands.get(score.key, [])) or "No bands"
        rows.append(_row(score.label, found.scores.get(score.key), found.bands.get(score.key), published))
    return rows


def _row(label: str, value: Any, band: str | None, published: str) -> dict[str, str]:
    return {
        "label": label,
        "value": "Not scored: too few items answered" if value is None else f"{value:g}",
        "band": "" if band is None else BAND_WORDS.get(band, band),
        "published": published,
    }


# -- Custom indices -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indices(request: SignedInRequest) -> HttpResponse:
    """The custom indices, and adding one from its definition (administrators)."""
    access.require(access.can_manage_accounts(request.user))
    form = IndexForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = services.parse_definition(form.cleaned_data["definition"], fmt=form.cleaned_data["format"])
            measure = services.index_add(actor=request.user, definition=data, source=form.cleaned_data["source"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, f"Added {measure.name}")
            return redirect("measures:indices")
    return render(
        request,
        "measures/indices.html",
        {
            "form": form,
            "page_errors": error_summary(form),
            "measures": selectors.measure_list(kind="index", active=False),
        },
    )


# -- The programme outcome report ---------------------------------------------------------------------------------


def _outcomes_form(request: SignedInRequest) -> OutcomesForm:
    programmes = [(p.slug, p.name) for p in programme_list(active=False)]
    return OutcomesForm(request.GET or None, programmes=programmes)


@login_required
@require_GET
def outcomes(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_see_aggregates(request.user))
    form = _outcomes_form(request)
    context: dict[str, Any] = {"form": form, "page_errors": error_summary(form), "small_number": SMALL_NUMBER}
    if form.is_bound and form.is_valid():
        start, end = form.period(timezone.localdate())
        report = selectors.programme_outcomes(
            viewer=request.user, programme=form.cleaned_data["programme"], start=start, end=end
        )
        charts = {}
        for m in report.measures:
            if m.reliable and any(row.count for row in m.reliable):
                charts[m.key] = bar_chart(m.reliable, title=f"{m.group}, {m.title}: reliable change")
        if report.closure_reasons and any(r.count for r in report.closure_reasons):
            charts["closure"] = bar_chart(report.closure_reasons, title="Why episodes closed")
        context.update({"r": report, "charts": charts, "query": request.GET.urlencode()})
    return render(request, "measures/outcomes.html", context)


@login_required
@require_GET
def outcomes_csv(request: SignedInRequest) -> HttpResponse:
    """The report's figures, one per line, as the page shows them."""
    access.require(access.can_see_aggregates(request.user))
    form = _outcomes_form(request)
    if not (form.is_bound and form.is_valid()):
        return render(
            request,
            "measures/outcomes.html",
            {"form": form, "page_errors": error_summary(form) or _choose(form), "small_number": SMALL_NUMBER},
        )
    start, end = form.period(timezone.localdate())
    report = selectors.programme_outcomes(
        viewer=request.user, programme=form.cleaned_data["programme"], start=start, end=end, export=True
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "measure", "figure", "value"])
    for section, measure, figure, value in report_lines(report):
        writer.writerow([spreadsheet_safe(section), spreadsheet_safe(measure), spreadsheet_safe(figure), value])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"outcomes-{report.programme_slug}-{start.isoformat()}-to-{end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _choose(form: OutcomesForm) -> list[dict[str, str]]:
    return [{"text": "Choose a programme", "href": "#programme"}]


def report_lines(report: selectors.OutcomeReport) -> list[tuple[str, str, str, str]]:
    """The report as (section, measure, figure, value) lines: the CSV download's rows."""
    lines = [
        ("period", "", "programme", report.programme_slug),
        ("period", "", "from", report.start.isoformat()),
        ("period", "", "to", report.end.isoformat()),
        ("children", "", report.children_started.label, report.children_started.shown),
        ("children", "", report.children_closed.label, report.children_closed.shown),
    ]
    for name, rows in (("closure_reasons", report.closure_reasons), ("sessions", report.sessions)):
        if rows is None:
            lines.append((name, "", "", "not shown: too few to show without identifying someone"))
        lines.extend((name, "", row.label, row.shown) for row in rows or [])
    lines.append(("sessions", "", "attendance rate", report.attendance_rate or "not shown"))
    for row in report.retention or []:
        lines.append(("group_retention", "", row.label, row.shown))
    lines.append(("group_retention", "", "retention rate", report.retention_rate or "not shown"))
    for m in report.measures:
        name = f"{m.group}: {m.title}"
        for row in m.coverage or []:
            lines.append((m.key, name, row.label, row.shown))
        if not m.enough or m.change is None:
            lines.append((m.key, name, "result", "too few children to show"))
            continue
        c = m.change
        for figure, value in (
            ("mean at entry", c.mean_entry),
            ("mean at exit", c.mean_exit),
            ("mean change", c.mean_change),
            ("95% CI low", c.ci_low),
            ("95% CI high", c.ci_high),
            ("effect size", c.effect_size),
        ):
            lines.append((m.key, name, figure, "" if value is None else f"{value:.2f}"))
        for row in m.reliable or []:
            lines.append((m.key, name, row.label, row.shown))
        if m.started_high is not None:
            lines.append((m.key, name, m.started_high.label, m.started_high.shown))
        for row in m.left_high or []:
            lines.append((m.key, name, row.label, row.shown))
    return lines
