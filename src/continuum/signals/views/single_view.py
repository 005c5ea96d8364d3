"""A child's single multi-agency view (skeleton: helper B builds it)."""

from django.http import Http404, HttpResponse

from continuum.agencies.access import SignedInRequest


def single_view(request: SignedInRequest, person_id: str) -> HttpResponse:
    raise Http404
