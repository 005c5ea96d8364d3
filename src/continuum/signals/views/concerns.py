"""Causes for concern and triangulation (skeleton: helper C builds it)."""

from typing import Any

from django.http import Http404, HttpResponse

from continuum.agencies.access import SignedInRequest


def home_panel(request: SignedInRequest) -> dict[str, Any] | None:
    return None


def raise_concern(request: SignedInRequest, person_id: str) -> HttpResponse:
    raise Http404


def concern_list(request: SignedInRequest) -> HttpResponse:
    raise Http404


def concern_detail(request: SignedInRequest, concern_id: str) -> HttpResponse:
    raise Http404


def concern_review(request: SignedInRequest, concern_id: str) -> HttpResponse:
    raise Http404


def concern_close(request: SignedInRequest, concern_id: str) -> HttpResponse:
    raise Http404
