"""The "what works here" library in a browser: filter the catalogue, open a programme; axe-core on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, assert_accessible

pytestmark = pytest.mark.browser


def test_a_school_dsl_filters_the_library_and_opens_a_programme(site: Site, page: Page, axe):
    site.sign_in(page, "school.dsl")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Programmes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What works here")
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"^\d+ programmes$"))
    assert_accessible(axe, page)

    page.get_by_label("Age of the child").fill("11")
    page.get_by_role("group", name="Need").get_by_label("Exploitation concern").check()
    page.get_by_role("group", name="How it is delivered").get_by_label("One-to-one").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-heading")).to_have_text(re.compile(r"^\d+ programmes? match(es)? your filters$"))
    assert "need=exploitation" in page.url and "age=11" in page.url
    expect(page.get_by_role("link", name="Power2")).to_be_visible()
    expect(page.get_by_role("link", name="POWER", exact=True)).to_have_count(0)  # POWER addresses no exploitation need
    assert_accessible(axe, page)

    page.get_by_label("Age of the child").fill("eleven")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("alert")).to_contain_text("Age must be a whole number from 0 to 25")
    assert page.title().startswith("Error: ")
    assert_accessible(axe, page)

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="POWER", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("POWER")
    expect(page.get_by_text("Aged 8 to 13, in completed years on the date asked about.").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"Seed 000 \(000_8159a131f115551f.txt\)"))).to_be_visible()
    assert_accessible(axe, page)

    page.set_viewport_size({"width": 320, "height": 800})  # the versions table stacks; nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(axe, page)
