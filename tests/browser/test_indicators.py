"""The indicators' pages in Chromium on the served demo after the real `continuum signals indicators`, with axe."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, Site, assert_accessible

pytestmark = pytest.mark.browser


def test_a_school_reads_what_persistent_absence_means_and_when_it_was_computed(site: Site, page: Page, axe):
    done = subprocess.run(  # noqa: S603  (the project's own command)
        [BIN / "continuum", "signals", "indicators"], env=site.env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert re.match(r"indicators as at \d{4}-\d\d-\d\d: [\d,]+ values for [\d,]+ children", done.stdout)

    site.sign_in(page, "frontdoor")
    page.goto(f"{site.url}/multi-agency/indicators/")
    expect(page.get_by_role("heading", level=1, name="Indicators")).to_be_visible()
    expect(page.get_by_text("Last computed on")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Persistent absence").click()
    expect(page.get_by_role("heading", level=1, name="Persistent absence")).to_be_visible()
    expect(page.get_by_text("Exactly 10% counts as persistent absence.")).to_be_visible()
    assert_accessible(axe, page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(axe, page)
