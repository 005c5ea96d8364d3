"""The audit trail for managers and administrators, and break-glass reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.audit.forms import AuditFilterForm, ReviewForm
from continuum.audit.selectors import AuditFilter, audit_csv, audit_events, break_glass_reviewable
from continuum.audit.services import break_glass_review
from continuum.govuk.forms import error_summary

PAGE_SIZE = 50


def _filters(form: AuditFilterForm) -> AuditFilter:
    if not form.is_valid():
        return AuditFilter()
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
    filters = _filters(form) if form.is_bound else AuditFilter()
    if request.GET.get("format") == "csv" and (not form.is_bound or form.is_valid()):
        lines = audit_csv(viewer=request.user, filters=filters, purpose="Audit trail download")
        response = StreamingHttpResponse(lines, content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        return response
    rows = audit_events(viewer=request.user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
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
            "waiting": [g for g in grants if g.reviewed_at is None],
            "reviewed": [g for g in grants[:200] if g.reviewed_at is not None],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def break_glass_review_page(request: SignedInRequest, grant_id: str) -> HttpResponse:
    access.require(access.can_review_break_glass(request.user))
    grant = break_glass_reviewable(viewer=request.user).filter(pk=grant_id).first()
    access.require(grant is not None)
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
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Review recorded")
            return redirect("audit:break_glass")
    return render(
        request,
        "audit/break_glass_review.html",
        {"grant": grant, "form": form, "page_errors": error_summary(form)},
    )
