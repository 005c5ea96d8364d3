"""Cross-cutting request handling: two-factor enforcement, headers for pages holding children's data."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


@functools.cache
def _before_two_factor() -> frozenset[str]:
    """Paths a signed-in user may reach before entering a two-factor code (resolved once)."""
    names = ("two_factor_setup", "two_factor_verify", "logout", "healthz", "accessibility", "privacy")
    return frozenset(reverse(name) for name in names)


class TwoFactorMiddleware:
    """Send signed-in users who have not yet entered a two-factor code to set one up or enter it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.REQUIRE_TWO_FACTOR
            and user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # added by django-otp's middleware
            and not request.path.startswith(settings.STATIC_URL)
            and request.path not in _before_two_factor()
        ):
            from django_otp import devices_for_user

            has_device = any(devices_for_user(user, confirmed=True))
            return redirect("two_factor_verify" if has_device else "two_factor_setup")
        return self.get_response(request)


class SensitivePageHeadersMiddleware:
    """Keep pages out of caches and shared history, and limit what the browser may do on them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
            response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
            response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
