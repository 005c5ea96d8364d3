"""The service navigation each signed-in user sees: every module's entries that the user's role allows.

A module declares its entries with a `navigation()` method on its AppConfig returning NavItems; the
shell never imports the module.
"""

from __future__ import annotations

import functools
from typing import Any

from django.apps import apps
from django.urls import reverse

from continuum.govuk.navigation import NavItem


@functools.cache
def _entries() -> tuple[NavItem, ...]:
    found = [NavItem("Home", "home", lambda user: True, order=0)]
    for config in apps.get_app_configs():
        declare = getattr(config, "navigation", None)
        if callable(declare):
            found.extend(declare())
    return tuple(sorted(found, key=lambda item: item.order))


def navigation(request: Any) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path
    out: list[dict[str, Any]] = [
        {"text": item.text, "href": reverse(item.url_name)} for item in _entries() if item.allowed(user)
    ]
    # One current item: the longest address the page sits under ("/children/emergency-access/" is Emergency
    # access, not Find a child as well); Home only on the home page itself.
    matching = [item for item in out if path == item["href"] or (item["href"] != "/" and path.startswith(item["href"]))]
    current = max(matching, key=lambda item: len(item["href"]), default=None)
    for item in out:
        item["active"] = item is current
    return out
