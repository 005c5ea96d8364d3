"""Children falling through the gap (skeleton: helper E builds it)."""

from django.http import Http404, HttpResponse

from continuum.agencies.access import SignedInRequest


def gap_list(request: SignedInRequest) -> HttpResponse:
    raise Http404


def gap_cohort(request: SignedInRequest) -> HttpResponse:
    raise Http404
