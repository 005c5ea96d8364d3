"""Being written (issue 11)."""

from django.http import Http404, HttpRequest, HttpResponse


def _not_yet(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404("not written yet")


queue = _not_yet
decide = _not_yet
transfers = _not_yet
transfer = _not_yet
allocate = _not_yet
caseloads = _not_yet
