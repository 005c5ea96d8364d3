"""A lead practitioner's caseload of open episodes (and a team manager's view of their team's)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.agencies import access
from continuum.agencies.access import SignedInRequest
from continuum.casework import selectors


@login_required
@require_GET
def caseload(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_lead_casework(request.user))
    c = selectors.caseload(viewer=request.user)
    return render(request, "casework/caseload.html", {"c": c, "manages": access.can_manage_team(request.user)})


@login_required
@require_GET
def team_caseload(request: SignedInRequest) -> HttpResponse:
    access.require(access.can_lead_casework(request.user) and access.can_manage_team(request.user))
    c = selectors.caseload(viewer=request.user, team=True)
    return render(request, "casework/caseload.html", {"c": c, "manages": True})
