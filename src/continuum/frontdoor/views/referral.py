"""Being written (issue 11)."""

from django.http import Http404, HttpRequest, HttpResponse


def _not_yet(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404("not written yet")


start = _not_yet
step = _not_yet
check = _not_yet
sent = _not_yet
mine = _not_yet
detail = _not_yet
