"""Two-factor sign-in in the browser: the same site served with codes required, as a real deployment runs."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, assert_accessible, serve

pytestmark = pytest.mark.browser


def _code(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"


def test_first_sign_in_sets_up_an_authenticator_and_the_next_asks_for_a_code(site: Site, page: Page, axe, tmp_path):
    with serve({**site.env, "CONTINUUM_REQUIRE_2FA": "true"}, tmp_path / "server-2fa.log") as url:
        two_factor = Site(url=url, passwords=site.passwords, county=site.county, env=site.env)
        page.goto(f"{url}/accounts/login/")
        page.get_by_label("Username").fill("vcs.worker")
        page.get_by_label("Password", exact=True).fill(site.passwords["vcs.worker"])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
        assert_accessible(axe, page)
        page.goto(f"{url}/children/")  # no way round it
        expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()

        secret = page.get_by_test_id("totp-key").inner_text().replace(" ", "")
        page.get_by_label("Code from your app").fill("12")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text("The code is 6 digits")
        assert_accessible(axe, page)
        page.get_by_label("Code from your app").fill(_code(secret))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Hello", exact=False)).to_be_visible()

        page.get_by_role("link", name="Sign out").click()
        page.get_by_role("button", name="Sign out now").click()
        page.goto(f"{two_factor.url}/accounts/login/")
        page.get_by_label("Username").fill("vcs.worker")
        page.get_by_label("Password", exact=True).fill(site.passwords["vcs.worker"])
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
        assert_accessible(axe, page)
