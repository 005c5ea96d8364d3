"""Being written (issue 11)."""

from django.http import Http404, HttpRequest, HttpResponse


def _not_yet(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404("not written yet")


dashboard = _not_yet
dashboard_csv = _not_yet
schools = _not_yet
