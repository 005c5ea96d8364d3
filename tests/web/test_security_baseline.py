"""The security baseline: headers, CSP without inline script, CSRF, sessions, lockout, hashing, DEBUG."""

from __future__ import annotations

import importlib
import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.urls import reverse

from continuum.agencies.models import User

PAGES = ("home", "people:search", "people:population", "audit:events")


def test_pages_send_safe_headers_and_a_csp_that_forbids_inline_script(world, client_for):
    response = client_for("frontdoor").get(reverse("people:record", args=[world.amy.pk]))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]


def test_no_page_contains_an_inline_script(world, client_for):
    for username, name in [("anonymous", "login"), ("frontdoor", "people:search"), ("admin", "audit:events")]:
        client = Client() if username == "anonymous" else client_for(username)
        html = client.get(reverse(name)).content.decode()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        assert scripts, "the pages load their scripts as files"
        for attributes, body in scripts:
            assert 'src="' in attributes and body.strip() == "", attributes


def test_sign_in_needs_a_csrf_token(world):
    world.alice.set_password("correct horse battery staple")
    world.alice.save()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "alice", "password": "correct horse battery staple"})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_behind_a_link(world, client_for):
    client = client_for("alice")
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("logout")}"' in page and ">Sign out<" in page
    assert client.get(reverse("logout")).status_code == 200  # a confirmation page; GET does not sign out
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_sessions_expire_after_inactivity_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request restarts the inactivity clock
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_an_expired_session_is_signed_out(world, client_for):
    client = client_for("alice")
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_repeated_failed_sign_ins_lock_the_account_even_for_the_right_password(world):
    world.alice.set_password("correct horse battery staple")
    world.alice.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alice", "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_gets_a_clear_error_and_a_right_one_signs_in(world):
    world.alice.set_password("correct horse battery staple")
    world.alice.save()
    client = Client()
    html = client.post(reverse("login"), {"username": "alice", "password": "nope"}).content.decode()
    assert "There is a problem" in html and "Enter a correct username and password" in html
    response = client.post(reverse("login"), {"username": "alice", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_passwords_are_hashed_with_argon2(world):
    world.alice.set_password("correct horse battery staple")
    world.alice.save()
    assert identify_hasher(User.objects.get(pk=world.alice.pk).password).algorithm == "argon2"


@pytest.fixture
def settings_module(monkeypatch):
    """The real settings module, reloaded under the test's environment and restored afterwards."""
    import continuum.web.settings as real

    yield real
    monkeypatch.undo()
    importlib.reload(real)


def test_debug_is_off_unless_asked_for_and_secrets_come_from_the_environment(monkeypatch, settings_module, tmp_path):
    real = settings_module
    assert settings.DEBUG is False
    monkeypatch.delenv("CONTINUUM_SECRET_KEY", raising=False)
    monkeypatch.delenv("CONTINUUM_SECRET_KEY_FILE", raising=False)
    monkeypatch.setenv("CONTINUUM_VAR_DIR", str(tmp_path))  # and no var/secret_key from `make demo` either
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="CONTINUUM_SECRET_KEY"):
        importlib.reload(real)
    monkeypatch.setenv("CONTINUUM_SECRET_KEY", "x" * 50)
    importlib.reload(real)
    assert real.DEBUG is False and real.SESSION_COOKIE_SECURE is False  # tests run with CONTINUUM_HTTPS=false
    monkeypatch.setenv("CONTINUUM_HTTPS", "true")
    importlib.reload(real)
    assert real.SESSION_COOKIE_SECURE and real.CSRF_COOKIE_SECURE and real.SECURE_HSTS_SECONDS > 0


def test_database_url_selects_postgresql(monkeypatch, settings_module):
    real = settings_module
    monkeypatch.setenv("DATABASE_URL", "postgres://continuum:s%40cret@db.internal:5433/continuum")
    importlib.reload(real)
    db = real.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "continuum",
        "s@cret",
        "db.internal",
        "5433",
        "continuum",
    )
    monkeypatch.setenv("DATABASE_URL", "mysql://x@y/z")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="not supported"):
        importlib.reload(real)


def test_urls_hold_opaque_ids_never_names_or_nhs_numbers(world, client_for):
    """Walk every link on the pages a front-door worker sees and look for identifying details in them."""
    client = client_for("frontdoor")
    seen: set[str] = set()
    queue = [
        reverse("home"),
        reverse("people:search"),
        reverse("people:record", args=[world.amy.pk]),
    ]
    identifying = [p.family_name.lower() for p in world.people.values()] + [
        world.amy.nhs_number,
        world.amy.upn.lower(),
    ]
    while queue:
        url = queue.pop()
        if url in seen or not url.startswith("/") or url.startswith("/assets/"):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for href in re.findall(r'(?:href|action)="([^"#]+)"', response.content.decode()):
            path = href.lower()  # the whole address, query string included
            assert not any(token in path for token in identifying), href
            queue.append(href.replace("&amp;", "&"))
    assert len(seen) > 5
    results = client.post(reverse("people:search"), {"name": "ashdown"}, follow=True).content.decode()
    for href in re.findall(r'(?:href|action)="([^"#]+)"', results):
        assert not any(token in href.lower() for token in identifying), href


def test_searches_are_posted_so_names_stay_out_of_urls(world, client_for):
    html = client_for("frontdoor").get(reverse("people:search")).content.decode()
    assert re.search(r'<form method="post" action="/children/"', html)
    assert 'method="get"' not in html
