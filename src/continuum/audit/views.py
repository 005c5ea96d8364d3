"""The audit trail for managers and administrators, and break-glass reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.audit.forms import AuditFilterForm, NoteForm, ReviewForm
from continuum.audit.selectors import (
    AuditFilter,
    audit_csv,
    audit_trail_page,
    break_glass_overdue,
    break_glass_review_detail,
    break_glass_reviewable,
)
from continuum.audit.services import break_glass_note_add, break_glass_review
from continuum.govuk.forms import error_summary, errors_onto

PAGE_SIZE = 50


def _filters(form: AuditFilterForm) -> AuditFilter:
    d = form.cleaned_data
    return AuditFilter(
        since=d["since"],
        until=d["until"],
        username=d["username"],
        person_id=d["person_id"],
        action=d["action"],
    )


@login_required
@require_GET
def events(request: SignedInRequest) -> HttpResponseBase:
    access.require(access.audit_scope(request.user) != "none")
    form = AuditFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    filters = _filters(form) if form.is_bound and valid else AuditFilter()
    if request.GET.get("format") == "csv" and valid:
        lines = audit_csv(viewer=request.user, filters=filters, purpose="Audit trail download")
        response = StreamingHttpResponse(lines, content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        return response
    # Filters with a mistake in them list nothing: the page says what is wrong instead of showing everything.
    page = audit_trail_page(viewer=request.user, filters=filters, page=request.GET.get("page")) if valid else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/events.html",
        {
            "form": form,
            "page": page,
            "page_errors": error_summary(form) if form.is_bound else [],
            "query": query.urlencode(),
            "scope": access.audit_scope(request.user),
        },
    )


@login_required
@require_GET
def break_glass_list(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_review_break_glass(request.user))
    grants = break_glass_reviewable(viewer=request.user)
    return render(
        request,
        "audit/break_glass_list.html",
        {
            "waiting": list(grants.filter(reviewed_at__isnull=True)),
            "overdue": break_glass_overdue(viewer=request.user),
            "reviewed": list(grants.filter(reviewed_at__isnull=False)[:200]),
            "days": access.policy().break_glass.review_within_working_days,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review_page(request: SignedInRequest, grant_id: str) -> HttpResponse:
    detail = break_glass_review_detail(viewer=request.user, grant_id=grant_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            break_glass_review(
                actor=request.user,
                grant_id=grant_id,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, "Review recorded")
            return redirect("audit:break_glass")
    return render(
        request,
        "audit/break_glass_review.html",
        {"d": detail, "grant": detail.grant, "form": form, "note_form": NoteForm(), "page_errors": error_summary(form)},
    )


@login_required
@require_POST
def break_glass_note(request: SignedInRequest, grant_id: str) -> HttpResponse:
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            break_glass_note_add(actor=request.user, grant_id=grant_id, note=form.cleaned_data["note"])
        except ValidationError as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, "Note added")
            return redirect("audit:break_glass_review", grant_id=grant_id)
    detail = break_glass_review_detail(viewer=request.user, grant_id=grant_id)
    return render(
        request,
        "audit/break_glass_review.html",
        {
            "d": detail,
            "grant": detail.grant,
            "form": ReviewForm(),
            "note_form": form,
            "page_errors": error_summary(form),
        },
    )
