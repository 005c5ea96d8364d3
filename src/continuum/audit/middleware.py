"""Request context for the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from continuum.audit.services import audit_refusal, client_ip


class AuditContextMiddleware:
    """Make the client's address available to audit rows written while this request is served,
    and record every page a role is refused (403), so probes show in the trail."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            audit_refusal(
                actor=request.user,
                object_type="page",
                object_id=request.path,
                why=f"{request.method} {request.path[:200]}: the role does not allow it",
            )
