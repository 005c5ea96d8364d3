"""The service navigation each signed-in user sees, from what their role allows."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from continuum.agencies import access


def navigation(request: Any) -> list[dict[str, Any]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = [("Home", "home")]
    if access.can_search_people(user):
        items.append(("Find a child", "people:search"))
    if access.can_break_glass(user):
        items.append(("Emergency access", "people:break_glass"))
    if access.can_see_aggregates(user):
        items.append(("Population", "people:population"))
    if access.audit_scope(user) != "none":
        items.append(("Audit", "audit:events"))
    if access.can_review_break_glass(user):
        items.append(("Break-glass reviews", "audit:break_glass"))
    path = request.path
    out = []
    for text, name in items:
        href = reverse(name)
        active = path == href if name == "home" else path.startswith(href)
        out.append({"text": text, "href": href, "active": active})
    return out
