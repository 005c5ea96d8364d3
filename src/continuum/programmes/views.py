"""The "what works here" library: the programme catalogue for any signed-in user, and each programme's page.

Not about any child, so not audited; nothing here reads a child's record.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum import vocabulary as v
from continuum.agencies.access import SignedInRequest
from continuum.govuk.forms import error_summary
from continuum.programmes import selectors
from continuum.programmes.eligibility import describe
from continuum.programmes.forms import LibraryFilterForm

LABELS = {
    "category": dict(v.PROGRAMME_CATEGORY),
    "modality": dict(v.MODALITY),
    "need": dict(v.REFERRAL_REASON),
    "evidence": dict(v.EVIDENCE_RATING),
}


@login_required
@require_GET
def library(request: SignedInRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET if request.GET else None)
    if form.is_bound:
        form.is_valid()
    programmes = selectors.programme_library(filters=form.filters())
    return render(
        request,
        "programmes/library.html",
        {
            "form": form,
            "programmes": programmes,
            "filtered": form.is_bound and any(request.GET.getlist(k) for k in ("need", "age", "modality", "evidence")),
            "page_errors": error_summary(form),
            "labels": LABELS,
            "codes": {
                "need": v.REFERRAL_REASON,
                "modality": v.MODALITY,
                "evidence": v.EVIDENCE_RATING,
            },
        },
    )


@login_required
@require_GET
def programme(request: SignedInRequest, slug: str) -> HttpResponse:
    found = selectors.programme_page(slug=slug)
    versions = list(found.rule_sets.all())
    return render(
        request,
        "programmes/programme.html",
        {
            "p": found,
            "current": versions[0] if versions else None,
            "versions": [(rs, [describe(rule) for rule in rs.rules]) for rs in versions],
            "labels": LABELS,
        },
    )
