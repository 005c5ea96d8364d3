"""What each indicator means: its definition, denominator, windows, source and who may read a child's value, for any
signed-in user. No child's data, so nothing here is audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.agencies.access import SignedInRequest
from continuum.signals.selectors import indicators as selectors


@login_required
@require_GET
def indicator_list(request: SignedInRequest) -> HttpResponse:
    return render(
        request,
        "signals/indicators.html",
        {"indicators": selectors.indicator_list(), "run": selectors.latest_indicator_run()},
    )


@login_required
@require_GET
def indicator_detail(request: SignedInRequest, indicator: str) -> HttpResponse:
    return render(
        request,
        "signals/indicator.html",
        {"d": selectors.indicator_page(name=indicator), "run": selectors.latest_indicator_run()},
    )
