"""Admin pages for administrators: agencies, teams, practitioners and accounts. No child's data is here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_required

from continuum.agencies import access
from continuum.agencies.models import Agency, Practitioner, Team, User

# Sign in through the service's own page (throttled, two-factor) rather than the admin's.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Continuum administration"
admin.site.site_title = "Continuum administration"


class AdministratorsOnly(admin.ModelAdmin):
    """Open to users whose role manages accounts under the access policy, never because of is_superuser."""

    def has_module_permission(self, request: Any) -> bool:
        return access.can_manage_accounts(request.user)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return access.can_manage_accounts(request.user)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return access.can_manage_accounts(request.user)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return access.can_manage_accounts(request.user)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # accounts are deactivated, not deleted, so the audit trail keeps its meaning


@admin.register(Agency)
class AgencyAdmin(AdministratorsOnly):
    list_display = ("name", "kind", "locality")
    list_filter = ("kind", "locality")
    search_fields = ("name",)


@admin.register(Team)
class TeamAdmin(AdministratorsOnly):
    list_display = ("name", "agency", "locality")
    list_filter = ("agency__kind",)
    search_fields = ("name", "agency__name")


@admin.register(Practitioner)
class PractitionerAdmin(AdministratorsOnly):
    list_display = ("__str__", "role", "agency", "team", "caseload_capacity", "user")
    list_filter = ("role", "agency__kind")
    search_fields = ("given_name", "family_name", "email")
    autocomplete_fields = ("agency", "team", "user")


@admin.register(User)
class AccountAdmin(AdministratorsOnly, UserAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")
    readonly_fields = ("last_login", "date_joined", "is_superuser", "user_permissions", "groups")
