"""Admin pages for administrators: agencies, teams, practitioners and accounts. No child's data is here.

Every save goes through the account services (agencies/services/accounts.py): audited, never to the
administrator's own account, and a change that would give someone access to children's records waits
for a second administrator under "Access changes".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from continuum.agencies import access
from continuum.agencies.adminsite import AdministratorsOnly
from continuum.agencies.models import AccessChange, Agency, Practitioner, Team, User
from continuum.agencies.services import (
    access_change_decide,
    account_create,
    account_password_reset,
    account_save,
    agency_save,
    practitioner_save,
)
from continuum.audit.services import AuditAction, audit_record


class AuditedRecord(AdministratorsOnly):
    """Teams: saved as the admin saves them, with an audit row naming what changed."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                obj=obj,
                event="agencies.record_save",
                purpose=f"{obj._meta.verbose_name.capitalize()} {obj} {'changed' if change else 'added'}",
                detail={"fields": sorted(form.changed_data)},
            )


@admin.register(Agency)
class AgencyAdmin(AdministratorsOnly):
    list_display = ("name", "kind", "locality")
    list_filter = ("kind", "locality")
    search_fields = ("name",)

    def save_model(self, request: Any, obj: Agency, form: Any, change: bool) -> None:
        _held(request, agency_save(actor=request.user, agency=obj, wanted=dict(form.cleaned_data)))


@admin.register(Team)
class TeamAdmin(AuditedRecord):
    list_display = ("name", "agency", "locality")
    list_filter = ("agency__kind",)
    search_fields = ("name", "agency__name")


def _own(request: Any, account: User | None) -> bool:
    return account is not None and account.pk == request.user.pk


def _held(request: Any, change: AccessChange | None) -> None:
    if change is not None:
        messages.warning(
            request,
            f"{change.summary}: this would give access to children's records, so it waits for another "
            "administrator to approve it under Access changes.",
        )


@admin.register(Practitioner)
class PractitionerAdmin(AdministratorsOnly):
    list_display = ("__str__", "role", "agency", "team", "caseload_capacity", "user")
    list_filter = ("role", "agency__kind")
    search_fields = ("given_name", "family_name", "email")
    autocomplete_fields = ("agency", "team", "user")
    fields = ("given_name", "family_name", "email", "role", "agency", "team", "caseload_capacity", "user")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (obj is not None and _own(request, obj.user))

    def save_model(self, request: Any, obj: Practitioner, form: Any, change: bool) -> None:
        try:
            held = practitioner_save(actor=request.user, practitioner=obj, wanted=dict(form.cleaned_data))
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        _held(request, held)


class AccountCreationForm(forms.ModelForm):
    """A new account has no password: its owner sets one through a link sent to this email address."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True


@admin.register(User)
class AccountAdmin(AdministratorsOnly, UserAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "last_login")
    fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email", "is_active", "password_link")}),
        ("History", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "first_name", "last_name", "email")}),)
    add_form = AccountCreationForm
    readonly_fields = ("password_link", "last_login", "date_joined")

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not _own(request, obj)

    @admin.display(description="Password")
    def password_link(self, obj: User) -> str:
        if not obj.pk:
            return ""
        url = reverse("admin:agencies_user_password_reset", args=[obj.pk])
        return format_html(
            '<a href="{}">Send {} a link to set a new password</a> (their current password stops working)',
            url,
            obj.username,
        )

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            created = account_create(
                actor=request.user,
                username=data["username"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                email=data["email"],
            )
            obj.pk = created.pk
            messages.info(request, f"{created.username} has been sent a link to set their password.")
            return
        wanted = {
            f: data.get(f, getattr(obj, f)) for f in ("username", "first_name", "last_name", "email", "is_active")
        }
        _held(request, account_save(actor=request.user, account=obj, wanted=wanted))

    def get_urls(self) -> list[Any]:
        extra = [
            path(
                "<id>/reset-password/",
                self.admin_site.admin_view(self.password_reset_view),
                name="agencies_user_password_reset",
            )
        ]
        return extra + super().get_urls()

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Administrators never set another person's password: send a reset link instead."""
        return HttpResponseRedirect(reverse("admin:agencies_user_password_reset", args=[id]))

    def password_reset_view(self, request: HttpRequest, id: str) -> HttpResponse:
        account = self.get_object(request, id)
        if account is None or not self.has_change_permission(request, account):
            raise PermissionDenied
        if request.method == "POST":
            try:
                account_password_reset(actor=request.user, account=account)  # type: ignore[arg-type]
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"{account.username}'s password no longer works; they have been sent a link.")
            return HttpResponseRedirect(reverse("admin:agencies_user_change", args=[account.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reset the password of {account.username}",
            "account": account,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/agencies/user/reset_password.html", context, using="django")


@admin.register(AccessChange)
class AccessChangeAdmin(AdministratorsOnly):
    """Changes that give access to children's records, for a second administrator to approve or refuse."""

    list_display = ("summary", "requested_by", "requested_at", "status", "decided_by")
    list_filter = ("status",)
    readonly_fields = (
        "summary",
        "changes",
        "practitioner",
        "account",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    actions = ("approve", "refuse")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_decide_permission(self, request: Any) -> bool:
        return access.can_manage_accounts(request.user)

    def _decide(self, request: Any, queryset: Any, *, approve: bool) -> None:
        for change in queryset:
            try:
                decided = access_change_decide(actor=request.user, change_id=change.pk, approve=approve)
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, f"{change.summary}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                messages.success(request, f"{decided.summary}: {decided.get_status_display().lower()}")

    @admin.action(description="Approve and apply the selected changes", permissions=["decide"])
    def approve(self, request: Any, queryset: Any) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Refuse the selected changes", permissions=["decide"])
    def refuse(self, request: Any, queryset: Any) -> None:
        self._decide(request, queryset, approve=False)
