"""Attendance alerts (skeleton: helper D builds it)."""

from typing import Any

from django.http import Http404, HttpResponse

from continuum.agencies.access import SignedInRequest


def home_panel(request: SignedInRequest) -> dict[str, Any] | None:
    return None


def alert_list(request: SignedInRequest) -> HttpResponse:
    raise Http404


def alert_detail(request: SignedInRequest, alert_id: str) -> HttpResponse:
    raise Http404
