"""Causes for concern in headless Chromium against the served demo: a front-door worker raises a concern with a call
for triangulation on a pupil of the demo school; the school's designated safeguarding lead sees it on their home page
and on the concern's page, with whom to call and without the note; axe-core on the form, the list and the concern."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, WCAG_TAGS, Site, assert_accessible
from tests.browser.test_beyond_axe import _fits

pytestmark = pytest.mark.browser

# A pupil on the roll of school.dsl's school, whom that DSL may open; the front door may open every child.
PUPIL = """
import json
from continuum.agencies.models import Involvement, User

dsl = User.objects.get(username="school.dsl").practitioner
roll = Involvement.objects.current().filter(agency_id=dsl.agency_id, kind="school_roll").select_related("person")
pupil = roll.order_by("person__family_name", "pk").first().person
print(json.dumps({"person_id": str(pupil.pk), "name": pupil.display_name, "school": dsl.agency.name}))
"""

NOTE = "Arrives without a coat and says there is no food at home at weekends. Brother collects her late."


def _pupil(site: Site) -> dict[str, str]:
    found = subprocess.run(
        [BIN / "continuum", "shell", "-c", PUPIL], env=site.env, capture_output=True, text=True, check=False
    )
    assert found.returncode == 0, found.stdout + found.stderr
    return json.loads(found.stdout.strip().splitlines()[-1])


def test_the_front_door_raises_a_concern_that_the_childs_school_sees(site: Site, page: Page, browser, axe):
    pupil = _pupil(site)
    site.sign_in(page, "frontdoor")
    page.goto(f"{site.url}/children/{pupil['person_id']}/")
    expect(page.get_by_role("heading", name="Causes for concern")).to_be_visible()
    page.get_by_role("link", name=re.compile("Raise a cause for concern")).click()
    expect(page.get_by_role("heading", name="Raise a cause for concern")).to_be_visible()
    assert pupil["name"].lower() not in page.title().lower()
    assert_accessible(axe, page)

    # Nothing chosen: the error summary, and nothing saved.
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.get_by_role("alert")).to_contain_text("Select what the concern is about")
    expect(page.get_by_role("alert")).to_contain_text("Describe your concern")
    assert page.title().startswith("Error:")
    assert_accessible(axe, page)

    page.get_by_label("Signs of neglect").check()
    page.get_by_label("Your note").fill(NOTE)
    page.get_by_label(re.compile("Call for a triangulation discussion")).check()
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.get_by_text("Cause for concern raised.")).to_be_visible()
    expect(page.get_by_role("heading", name="Cause for concern", exact=True)).to_be_visible()
    expect(page.get_by_text(NOTE)).to_be_visible()
    expect(page.locator(".govuk-summary-list__row", has_text="Triangulation")).to_contain_text("Called for on")
    concern_url = page.url
    assert_accessible(axe, page)

    # The record's section shows the concern in full to the front door. (The record's tabs are the single view's:
    # its own browser test checks them.)
    page.get_by_role("link", name="Back to the child's record").click()
    section = page.locator(".govuk-summary-card", has_text="Raised on")
    expect(section).to_contain_text("Signs of neglect")
    expect(section).to_contain_text("Called for on")
    results = axe.run(
        page,
        context={"exclude": [[".moj-sub-navigation"]]},
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}},
    )
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Concerns", exact=True).click()
    expect(page.get_by_role("heading", name="Causes for concern")).to_be_visible()
    row = page.locator("tr", has_text=pupil["name"])
    expect(row).to_contain_text("Signs of neglect")
    expect(row).to_contain_text("Called for on")
    assert_accessible(axe, page)
    page.get_by_role("link", name=re.compile(r"Triangulation called for \(")).click()
    expect(page.locator("tr", has_text=pupil["name"])).to_have_count(1)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out now").click()

    # The child's school: the home page lists the call; the concern says who raised it and how to reach them.
    site.sign_in(page, "school.dsl")
    expect(page.get_by_role("heading", name="Triangulation called for")).to_be_visible()
    page.get_by_role("link", name=re.compile(re.escape(pupil["name"]))).first.click()
    assert page.url == concern_url
    expect(page.get_by_role("heading", name="Cause for concern", exact=True)).to_be_visible()
    expect(page.locator(".govuk-summary-list__row", has_text="Raised by")).to_be_visible()
    expect(page.get_by_text("shared with the front door and the agency that raised it")).to_be_visible()
    assert NOTE not in page.content() and "Signs of neglect" not in page.content()
    assert_accessible(axe, page)


def test_the_concern_pages_reflow_at_320_pixels(site: Site, browser):
    pupil = _pupil(site)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        site.sign_in(page, "frontdoor")
        page.goto(f"{site.url}/multi-agency/children/{pupil['person_id']}/concerns/new/")
        _fits(page)
        page.goto(f"{site.url}/multi-agency/concerns/")
        _fits(page)
    finally:
        context.close()
