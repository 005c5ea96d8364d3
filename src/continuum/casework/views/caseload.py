"""A lead practitioner's caseload of open episodes."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest


@login_required
@require_GET
def caseload(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_lead_casework(request.user))
    return render(request, "casework/caseload.html", {"episodes": []})
