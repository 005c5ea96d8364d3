"""The front door's figures on the served demo: alive on first start and accessible, for the front door and analysts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, assert_accessible

pytestmark = pytest.mark.browser


def test_the_front_door_finds_its_figures_alive_on_first_start(site: Site, page: Page, axe):
    site.sign_in(page, "frontdoor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Front door figures")
    assert page.title().startswith("Front door figures")
    referrals = page.locator("#referrals-total").inner_text()
    assert int(referrals.replace(",", "")) > 0  # the synthetic year is loaded with the county
    expect(page.locator("#figure-referrals_by_source")).to_be_visible()
    expect(page.locator(".continuum-chart").first).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("2")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(axe, page)

    page.goto(f"{site.url}/referrals/dashboard/")
    page.get_by_role("link", name="School engagement over the same period").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School engagement")
    expect(page.locator("#schools tbody tr").first).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name=re.compile("^Referrals sent")).click()
    expect(page.locator("#schools th[aria-sort=descending]")).to_contain_text("Referrals sent")
    assert_accessible(axe, page)


def test_an_analyst_sees_the_figures_with_small_numbers_suppressed(site: Site, page: Page, axe):
    site.sign_in(page, "analyst")
    page.goto(f"{site.url}/referrals/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Front door figures")
    expect(page.get_by_text("No count of 1 to 4 is shown")).to_be_visible()
    assert page.locator("#referrals-total").inner_text() != "0"
    assert_accessible(axe, page)
    page.goto(f"{site.url}/referrals/schools/")
    expect(page.get_by_role("heading", level=1)).to_have_text("School engagement")
    assert_accessible(axe, page)
    with page.expect_download() as download:
        page.goto(f"{site.url}/referrals/dashboard/")
        page.get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename.startswith("front-door-figures-")


def test_a_school_cannot_open_the_figures(site: Site, page: Page):
    site.sign_in(page, "school.dsl")
    response = page.goto(f"{site.url}/referrals/dashboard/")
    assert response is not None and response.status == 403
