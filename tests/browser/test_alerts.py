"""The attendance protocol in the served demo: `continuum demo` raises the night's alerts after linkage; the
practitioner with an alert sees it on the home page, opens it and records a follow-up. axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, assert_accessible

pytestmark = pytest.mark.browser

# The demo's caseworkers, in the order tried: the first whose home page has an alert takes the journey.
WORKERS = ("eh.practitioner", "csc.socialworker", "yjs.officer")


def _sign_in_as_a_worker_with_alerts(site: Site, page: Page) -> str:
    for username in WORKERS:
        site.sign_in(page, username)
        if page.get_by_test_id("attendance-alerts-panel").count():
            return username
        page.goto(f"{site.url}/accounts/logout/")
        page.get_by_role("button", name="Sign out now").click()
    pytest.fail(f"the demo raised no attendance alert for any of {WORKERS}")


def test_a_practitioner_sees_an_alert_on_the_home_page_opens_it_and_records_a_follow_up(site: Site, page: Page, axe):
    _sign_in_as_a_worker_with_alerts(site, page)
    panel = page.get_by_test_id("attendance-alerts-panel")
    expect(panel).to_contain_text(re.compile(r"You have \d+ attendance alerts? to follow up"))
    waiting = int(re.search(r"(\d+) attendance alert", panel.inner_text())[1])
    assert_accessible(axe, page)

    page.get_by_role("link", name="See your attendance alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your attendance alerts")
    assert_accessible(axe, page)

    page.locator("#waiting ~ table a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance alert")
    expect(page.get_by_text("This view has been recorded")).to_be_visible()
    expect(page.get_by_role("heading", name="Why the alert was raised")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("button", name="Record the follow-up").click()  # nothing chosen: the error summary
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: Attendance alert"))
    assert_accessible(axe, page)

    page.get_by_label("Contacted the family").check()
    page.get_by_label("Note", exact=True).fill("Spoke to mum: the school has the reason now.")
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.get_by_text("Follow-up recorded")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your attendance alerts")
    expect(page.get_by_role("table").last).to_contain_text("Contacted the family")
    assert_accessible(axe, page)

    page.goto(f"{site.url}/")
    if waiting > 1:
        expect(page.get_by_test_id("attendance-alerts-panel")).to_contain_text(f"You have {waiting - 1} attendance")
    else:
        expect(page.get_by_test_id("attendance-alerts-panel")).to_have_count(0)
