"""What axe cannot check, checked in the browser: reflow at 320 CSS pixels (WCAG 1.4.10), accessible names
that contain the visible label (2.5.3), chart text of at least 14 pixels, and landmarks around every
piece of content."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, assert_accessible
from tests.browser.test_journeys import _children

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}

# Every element whose accessible name is set apart from its text: the visible text must be part of it.
LABEL_IN_NAME = """() => [...document.querySelectorAll('a[aria-label], button[aria-label], input[aria-label]')]
  .map(el => [(el.innerText || el.value || '').replace(/\\s+/g, ' ').trim().toLowerCase(),
              el.getAttribute('aria-label').replace(/\\s+/g, ' ').trim().toLowerCase()])
  .filter(([text, name]) => text && !name.includes(text))"""

OUTSIDE_LANDMARKS = """() => [...document.body.querySelectorAll('p, h1, h2, h3, table, form, ul, strong')]
  .filter(el => el.offsetParent !== null)
  .filter(el => !el.closest('header, main, footer, nav, [role=region], [role=banner], [role=contentinfo]'))
  .map(el => el.outerHTML.slice(0, 80))"""


# The rendered size of every piece of chart text: its font size, times the scale an SVG is drawn at.
CHART_TEXT_PX = """() => [...document.querySelectorAll('.continuum-chart text, .continuum-chart [data-chart-text]')]
  .map(el => parseFloat(getComputedStyle(el).fontSize)
             * (el.ownerSVGElement ? el.ownerSVGElement.getScreenCTM().a : 1))"""


def _fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide at 320 px: it scrolls sideways"


def _checks(page: Page) -> None:
    _fits(page)
    assert page.evaluate(LABEL_IN_NAME) == [], page.url
    assert page.evaluate(OUTSIDE_LANDMARKS) == [], page.url


def test_the_pages_reflow_at_320_pixels_and_names_contain_their_labels(site: Site, browser, axe):
    child, unknown = _children(site)
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        site.sign_in(page, "frontdoor")
        _checks(page)
        page.goto(f"{site.url}/children/")
        page.get_by_label("Name").fill(child["family_name"])
        page.get_by_role("button", name="Search").click()
        expect(page.locator("#results-heading")).to_contain_text("found")
        _checks(page)
        page.get_by_role("link", name=re.compile(re.escape(child["given_name"]))).first.click()
        expect(page.get_by_text("This view has been recorded")).to_be_visible()
        _checks(page)
        assert_accessible(axe, page)

        page.goto(f"{site.url}/accounts/logout/")
        page.get_by_role("button", name="Sign out now").click()
        site.sign_in(page, "eh.practitioner")
        page.goto(f"{site.url}/children/emergency-access/")
        born = str(unknown["date_of_birth"]).split("-")
        page.get_by_label("Family name").fill(unknown["family_name"])
        page.get_by_label("Day").fill(born[2])
        page.get_by_label("Month").fill(born[1])
        page.get_by_label("Year").fill(born[0])
        page.get_by_label("A child may be at immediate risk of harm").check()
        page.get_by_label("Explain the circumstances").fill("Checking reflow of the emergency access page")
        page.get_by_role("button", name="Find the record").click()
        button = page.get_by_role("button", name=re.compile("^Open this record with emergency access")).first
        expect(button).to_be_visible()
        visible = " ".join(
            button.evaluate(
                "b => { const c = b.cloneNode(true);"
                " c.querySelectorAll('.govuk-visually-hidden').forEach(e => e.remove()); return c.textContent; }"
            ).split()
        )
        name = " ".join((button.get_attribute("aria-label") or button.text_content() or "").split())
        assert name.startswith("Open this record with emergency access") and visible in name
        _checks(page)

        page.goto(f"{site.url}/accounts/logout/")
        page.get_by_role("button", name="Sign out now").click()
        site.sign_in(page, "eh.manager")
        for path in ("/audit/", "/audit/break-glass/", "/children/population/"):
            page.goto(f"{site.url}{path}")
            _checks(page)
    finally:
        context.close()


def test_chart_labels_are_at_least_14_pixels_at_any_width(site: Site, browser):
    for viewport in (NARROW, {"width": 1280, "height": 800}):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            site.sign_in(page, "analyst")
            page.goto(f"{site.url}/children/population/")
            sizes = page.evaluate(CHART_TEXT_PX)
            assert sizes and min(sizes) >= 14, (viewport, sizes)
            if viewport == NARROW:
                _fits(page)
        finally:
            context.close()


def test_the_footer_links_to_the_accessibility_statement_and_privacy_notice(site: Site, page: Page, axe):
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy notice")
    assert_accessible(axe, page)


def test_casework_and_outcome_pages_reflow_at_320_pixels_and_their_chart_text_is_readable(site: Site, browser):
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        site.sign_in(page, "eh.practitioner")
        page.goto(f"{site.url}/casework/")
        expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
        _checks(page)
        page.get_by_role("link", name=re.compile(r"\(episode EH-")).first.click()
        expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
        _checks(page)
        entry = page.get_by_role("link", name=re.compile("^Enter a questionnaire"))
        if entry.count():
            entry.first.click()
            _checks(page)
            page.get_by_label("SDQ, 4-17 version, completed by the parent or carer").check()
            page.get_by_label("At a review").check()
            page.get_by_label("I will enter the answers").check()
            page.get_by_role("button", name="Continue").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Enter the answers")
            _checks(page)

        page.goto(f"{site.url}/accounts/logout/")
        page.get_by_role("button", name="Sign out now").click()
        site.sign_in(page, "eh.manager")
        for path in ("/casework/team/", "/casework/courses/", "/casework/feedback/"):
            page.goto(f"{site.url}{path}")
            _checks(page)

        page.goto(f"{site.url}/accounts/logout/")
        page.get_by_role("button", name="Sign out now").click()
        site.sign_in(page, "analyst")
        page.goto(f"{site.url}/measures/outcomes/")
        page.get_by_label("Programme").select_option(label="Strengthening Families Strengthening Communities")
        since = page.get_by_role("group", name="From")
        since.get_by_label("Day").fill("1")
        since.get_by_label("Month").fill("1")
        since.get_by_label("Year").fill("2015")  # the small test county needs years to have children to count
        page.get_by_role("button", name="Show the report").click()
        expect(page.locator(".continuum-chart").first).to_be_visible()
        _checks(page)
        sizes = page.evaluate(CHART_TEXT_PX)
        assert sizes and min(sizes) >= 14, sizes
    finally:
        context.close()
