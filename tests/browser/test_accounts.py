"""Setting a password through the single-use link an administrator's reset emails, in Chromium with axe-core."""

from __future__ import annotations

import json
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, Site, assert_accessible
from tests.browser.test_beyond_axe import NARROW, _fits

pytestmark = pytest.mark.browser

# A reset as an administrator's makes it, for an account no other browser test signs in with.
RESET = """
import json
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from continuum.agencies.models import User
user = User.objects.get(username="police.liaison")
user.set_unusable_password()
user.save()
token = default_token_generator.make_token(user)
print(json.dumps({"path": reverse("password_set", args=[urlsafe_base64_encode(force_bytes(user.pk)), token])}))
"""


def test_setting_a_password_through_the_emailed_link(site: Site, page: Page, browser, axe):
    made = subprocess.run([BIN / "continuum", "shell", "-c", RESET], env=site.env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    link = site.url + json.loads(made.stdout.strip().splitlines()[-1])["path"]

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    assert_accessible(axe, page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Type the new password again").fill("short")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert page.title().startswith("Error:")
    assert_accessible(axe, page)
    page.get_by_label("New password", exact=True).fill("lantern quarry orchard saddle")
    page.get_by_label("Type the new password again").fill("lantern quarry orchard saddle")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Sign in with your new password").click()
    page.get_by_label("Username").fill("police.liaison")
    page.get_by_label("Password", exact=True).fill("lantern quarry orchard saddle")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/")

    again = browser.new_context(viewport=NARROW).new_page()
    again.goto(link)  # single use: the link has done its work
    expect(again.get_by_role("heading", level=1)).to_have_text("This link has expired")
    _fits(again)
    assert_accessible(axe, again)
    again.context.close()
