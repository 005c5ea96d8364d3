"""While a young person or parent answers a questionnaire on the practitioner's device, the device is locked
to that questionnaire: every other page asks for the practitioner's password first.

Opening the respondent form locks the session to it; the form, its thank-you page and signing out stay open;
anything else (a child's record, search, the menu's pages, typed addresses) goes to the unlock page. The
practitioner unlocks with their password, checked by Django's `authenticate`, so failed tries count towards
django-axes' lockout like failed sign-ins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SESSION_KEY = "continuum.respondent_form"


def lock(request: HttpRequest, form_path: str) -> None:
    """Lock this session to one respondent form until the practitioner unlocks it."""
    request.session[SESSION_KEY] = form_path


def unlock(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def locked_to(request: HttpRequest) -> str | None:
    session = getattr(request, "session", None)
    return None if session is None else session.get(SESSION_KEY)


def _open_while_locked(path: str, form_path: str) -> bool:
    if path == form_path or path.startswith("/static/"):
        return True
    if path.startswith("/measures/questionnaires/") and path.endswith("/handed-back/"):
        return True
    return path in (reverse("measures:unlock"), reverse("logout"))


class RespondentLockMiddleware:
    """Sends every request but the respondent's own pages to the unlock page while the device is handed over."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        form_path = locked_to(request)
        if form_path and not _open_while_locked(request.path, form_path):
            return redirect(f"{reverse('measures:unlock')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
