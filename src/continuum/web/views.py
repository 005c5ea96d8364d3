"""Sign-in, two-factor codes, the home page and the error pages."""

from __future__ import annotations

import base64
import functools
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.agencies import access
from continuum.agencies.services import password_set_recorded
from continuum.audit.selectors import break_glass_awaiting_review
from continuum.audit.services import audit_refusal
from continuum.govuk.forms import error_summary
from continuum.govuk.navigation import HomePanel


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Set a password through the single-use link an administrator's reset (or a new account) sent.

    Nobody but the link's owner sets a password: administrators never choose or see one.
    """

    template_name = "registration/password_set.html"
    success_url = reverse_lazy("password_set_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["page_errors"] = error_summary(form) if form is not None and form.is_bound else []
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_set_recorded(user=form.user)
        return response


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the application runs and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@functools.cache
def _home_panels() -> tuple[HomePanel, ...]:
    """The parts of the home page modules add (`home_panels()` on their AppConfig), in order."""
    found: list[HomePanel] = []
    for config in apps.get_app_configs():
        declare = getattr(config, "home_panels", None)
        if callable(declare):
            found.extend(declare())
    return tuple(sorted(found, key=lambda panel: panel.order))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profile = access.profile_of(request.user)
    role = access.role_policy(request.user)
    panels = []
    if profile is not None:
        for panel in _home_panels():
            built = panel.build(request)
            if built is not None:
                panels.append({"template": panel.template, "data": built})
    context = {
        "profile": profile,
        "role": role,
        "awaiting_review": break_glass_awaiting_review(viewer=request.user).count(),
        "panels": panels,
    }
    return render(request, "web/home.html", context)


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """A link leads here; signing out itself is a POST so another site cannot sign people out."""
    if request.method == "POST":
        logout(request)
        return redirect("login")
    if not request.user.is_authenticated:
        return redirect("login")
    return render(request, "registration/sign_out.html")


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$",
        error_messages={"required": "Enter the 6-digit code", "invalid": "The code is 6 digits, like 123456"},
    )


def _code_page(request: HttpRequest, device: TOTPDevice, template: str, extra: dict[str, Any]) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("home")
        form.add_error("code", "That code is not right, or it has expired. Enter the newest code from your app")
    return render(request, template, {"form": form, **extra})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: add an authenticator app by its key, then prove it with a code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("two_factor_verify")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return _code_page(request, device, "web/two_factor_setup.html", {"secret": grouped, "uri": device.config_url})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("two_factor_setup")
    return _code_page(request, device, "web/two_factor_verify.html", {})


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this after too many failed sign-ins."""
    return render(request, "web/error.html", _error("Your account is locked", _LOCKED), status=429)


_LOCKED = (
    "There have been too many unsuccessful attempts to sign in. You can try again in 30 minutes, "
    "or ask your administrator to unlock your account."
)


def _error(title: str, body: str) -> dict[str, str]:
    return {"title": title, "body": body}


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form without its CSRF token: refused, and recorded as a refusal like any other."""
    audit_refusal(
        actor=request.user, object_type="page", object_id=request.path, why=f"{request.method}: CSRF check failed"
    )
    body = "The form you sent had expired or came from somewhere else. Go back, reload the page and try again."
    return render(request, "web/error.html", _error("Sorry, there is a problem with the service", body), status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = "If you typed the web address, check it is correct. You may not have access to this page."
    context: dict[str, Any] = _error("Page not found", body)
    # A record refused (or missing: they look the same) is not a dead end for a role with emergency access.
    if isinstance(exception, access.RecordRefused) and access.can_break_glass(getattr(request, "user", None)):
        context["emergency_access"] = True
    return render(request, "web/error.html", context, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = "Your role does not give you access to this page. Ask your team manager if you think it should."
    return render(request, "web/error.html", _error("You cannot see this page", body), status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    body = "Try again later. If the problem continues, contact your service desk."
    return render(request, "web/error.html", _error("Sorry, there is a problem with the service", body), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = "The request could not be understood. Go back and try again."
    return render(request, "web/error.html", _error("Sorry, there is a problem with the service", body), status=400)
