"""The indicators' definitions (skeleton: helper A builds it)."""

from django.http import Http404, HttpResponse

from continuum.agencies.access import SignedInRequest


def indicator_list(request: SignedInRequest) -> HttpResponse:
    raise Http404


def indicator_detail(request: SignedInRequest, indicator: str) -> HttpResponse:
    raise Http404
