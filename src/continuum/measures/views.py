"""Questionnaires entered on a session; the programme outcome report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest


@login_required
@require_GET
def outcomes(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_see_aggregates(request.user))
    return render(request, "measures/outcomes.html", {})
