"""Journeys in headless Chromium against the served demo, with axe-core checking WCAG 2.2 AA on each page."""

from __future__ import annotations

import re
import urllib.request

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, assert_accessible

pytestmark = pytest.mark.browser


def _children(site: Site) -> tuple[dict, dict]:
    """From the county's files: a child with open early help, and a child no agency works with."""
    people = pq.read_table(site.county / "people.parquet").to_pylist()
    involvements = pq.read_table(site.county / "involvements.parquet")
    allocations = pq.read_table(site.county / "allocations.parquet")
    open_inv = involvements.filter(pc.is_null(involvements["end_date"]))
    early_help = set(open_inv.filter(pc.equal(open_inv["kind"], "early_help"))["person_id"].to_pylist())
    involved = set(open_inv["person_id"].to_pylist()) | set(allocations["person_id"].to_pylist())
    children = sorted((p for p in people if p["is_child"]), key=lambda p: p["person_id"])
    with_help = next(p for p in children if p["person_id"] in early_help)
    unknown = next(p for p in children if p["person_id"] not in involved)
    return with_help, unknown


def test_front_door_finds_a_child_opens_the_record_and_a_manager_sees_the_audit_row(site: Site, page: Page, axe):
    child, _ = _children(site)
    page.goto(f"{site.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(axe, page)

    site.sign_in(page, "frontdoor")
    expect(page.get_by_text("Every person, family and record in it is synthetic")).to_be_visible()
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()
    expect(page.get_by_test_id("signed-in-user")).to_have_text(re.compile(r"\w+ \w+"))
    assert_accessible(axe, page)

    page.get_by_role("link", name="Find a child").first.click()
    page.get_by_label("Name").fill(f"{child['given_name']} {child['family_name']}")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_contain_text("found")
    assert_accessible(axe, page)

    page.get_by_role("link", name=re.compile(re.escape(f"{child['given_name']} {child['family_name']}"))).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(child["family_name"])
    expect(page.get_by_text("This view has been recorded")).to_be_visible()
    assert child["person_id"] in page.url and child["family_name"].lower() not in page.url.lower()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Sign out").click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Sign out now").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(f"{site.url}/children/{child['person_id']}/")  # signed out: back to sign in
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    site.sign_in(page, "eh.manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit", exact=True).click()
    page.get_by_text("Filter the audit trail").click()
    page.get_by_label("Record reference").fill(child["person_id"])
    page.get_by_label("Action").select_option("view")
    page.get_by_role("button", name="Apply filters").click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("frontdoor")
    expect(row).to_contain_text("Viewed")
    assert_accessible(axe, page)


def test_a_practitioner_cannot_find_or_open_a_child_outside_their_work(site: Site, page: Page, axe):
    _, unknown = _children(site)
    site.sign_in(page, "eh.practitioner")
    page.get_by_role("link", name="Find a child").first.click()
    page.get_by_label("Name").fill(unknown["family_name"])
    page.get_by_role("button", name="Search").click()
    assert "?" not in page.url and unknown["family_name"] not in page.url
    expect(page.locator("#results-heading")).to_contain_text("found")
    expect(page.get_by_text(unknown["given_name"] + " " + unknown["family_name"])).to_have_count(0)

    page.goto(f"{site.url}/children/{unknown['person_id']}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text(unknown["family_name"])).to_have_count(0)
    assert_accessible(axe, page)


def test_break_glass_asks_for_a_reason_then_opens_the_record_and_the_manager_is_asked_to_review(
    site: Site, page: Page, axe
):
    _, unknown = _children(site)
    site.sign_in(page, "eh.practitioner")
    page.get_by_role("link", name="Emergency access").first.click()
    page.get_by_role("button", name="Find the record").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(axe, page)

    born = unknown["date_of_birth"]
    year, month, day = (int(x) for x in str(born).split("-"))
    page.get_by_label("Family name").fill(unknown["family_name"])
    page.get_by_label("Day").fill(str(day))
    page.get_by_label("Month").fill(str(month))
    page.get_by_label("Year").fill(str(year))
    page.get_by_label("A child may be at immediate risk of harm").check()
    page.get_by_label("Explain the circumstances").fill("School reports the child did not arrive; mother unreachable")
    page.get_by_role("button", name="Find the record").click()
    page.get_by_role(
        "button", name=re.compile("^Open this record with emergency access.*" + re.escape(unknown["family_name"]))
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(unknown["family_name"])
    expect(page.get_by_text("break-glass grant")).to_be_visible()

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out now").click()
    site.sign_in(page, "eh.manager")
    expect(page.get_by_text("waiting for your review")).to_be_visible()
    page.get_by_role("link", name="Review break-glass access").click()
    expect(page.get_by_role("heading", name="Break-glass reviews")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name=re.compile("^Review.*eh.practitioner")).first.click()
    expect(page.get_by_text("School reports the child did not arrive")).to_be_visible()
    page.get_by_label("Not appropriate - follow up").check()
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what follow-up is needed")
    assert_accessible(axe, page)
    page.get_by_label("Appropriate", exact=True).check()
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded")).to_be_visible()
    expect(page.get_by_text("None waiting.")).to_be_visible()

    # A final review takes notes, never a second verdict.
    page.get_by_role("link", name=re.compile("^View.*eh.practitioner")).first.click()
    expect(page.get_by_text("A review is final. You can add a note to it.")).to_be_visible()
    expect(page.get_by_role("button", name="Record review")).to_have_count(0)
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the note")
    assert_accessible(axe, page)
    page.get_by_label("Add a note").fill("Confirmed with the duty manager the next morning")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added")).to_be_visible()
    expect(page.get_by_text("Confirmed with the duty manager the next morning")).to_be_visible()
    assert_accessible(axe, page)


def test_an_analyst_sees_counts_and_a_chart_but_no_child(site: Site, page: Page, axe):
    site.sign_in(page, "analyst")
    expect(page.get_by_role("link", name="Find a child")).to_have_count(0)
    page.get_by_role("link", name="Population").first.click()
    expect(page.get_by_role("img", name="Children by age band")).to_be_visible()
    assert_accessible(axe, page)
    response = page.goto(f"{site.url}/children/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    assert_accessible(axe, page)


def test_static_assets_are_hashed_compressed_and_cached(site: Site, page: Page):
    page.goto(f"{site.url}/accounts/login/")
    href = page.locator('link[rel="stylesheet"]').first.get_attribute("href")
    assert re.search(r"govuk-frontend\.min\.[0-9a-f]{12}\.css$", href), href
    with urllib.request.urlopen(f"{site.url}{href}") as response:  # noqa: S310 (loopback only)
        assert response.status == 200
        assert "max-age" in response.headers["Cache-Control"]
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
