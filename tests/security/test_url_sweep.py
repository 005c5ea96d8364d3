"""Walk every URL the application has, as every role, and check nothing leaks where the policy says no."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import ACCOUNTS
from tests.security.test_child_access import ALLOWED

ROLES = [*ACCOUNTS, "nobody", "anonymous"]


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # the Django admin holds no child's data and checks is_staff itself
            found.extend(_patterns(entry, route))
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def _concrete(route: str, world) -> str:
    return "/" + route.replace("<uuid:person_id>", str(world.amy.pk)).replace("<uuid:grant_id>", str(uuid.uuid4()))


def test_the_sweep_covers_every_page_with_a_child_in_it(world):
    routes = _patterns(get_resolver())
    assert "children/<uuid:person_id>/" in routes and "children/<uuid:person_id>/export.json" in routes
    assert len(routes) >= 12


@pytest.mark.parametrize("username", ROLES)
def test_every_url_as_every_role(world, username):
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    may_see_amy = "amy" in ALLOWED.get(username, set())
    for route in _patterns(get_resolver()):
        url = _concrete(route, world)
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404, 405}, (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if not may_see_amy:
            assert b"Ashdown" not in body, url
            assert world.amy.nhs_number.encode() not in body, url
        if username in ("anonymous",) and route not in ("accounts/login/", "healthz"):
            assert response.status_code in {302, 404, 405}, url
