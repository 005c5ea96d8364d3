"""The admin pages' site: open to administrators by the access policy, and a plain 404 to everybody else;
and AdministratorsOnly, the ModelAdmin every module's admin pages start from.

Django's own admin would show a signed-in practitioner a page inviting them to "log in as another
account"; here a non-administrator gets the service's own page-not-found, and anonymous visitors the
service's own sign-in (throttled, with two-factor codes).
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404, HttpRequest, HttpResponse


class ContinuumAdminSite(admin.AdminSite):
    site_header = "Continuum administration"
    site_title = "Continuum administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return _manages_accounts(getattr(request, "user", None))

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404("Not an administrator")
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise Http404("Not an administrator")
            return super().login(request, extra_context)
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())


class AdministratorsOnly(admin.ModelAdmin):
    """Open to users whose role manages accounts under the access policy, never because of is_superuser.

    Saves are audited in the audit trail; Django's own (editable) admin log is not kept.
    """

    def has_module_permission(self, request: Any) -> bool:
        return _manages_accounts(request.user)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return _manages_accounts(request.user)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return _manages_accounts(request.user)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return _manages_accounts(request.user)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # accounts are deactivated, not deleted, so the audit trail keeps its meaning

    def log_addition(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        return None

    def log_change(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        return None


def _manages_accounts(user: Any) -> bool:
    from continuum.agencies import access  # here, not at the top: the admin site loads before the models

    return access.can_manage_accounts(user)


class ContinuumAdminConfig(AdminConfig):
    default_site = "continuum.agencies.adminsite.ContinuumAdminSite"
