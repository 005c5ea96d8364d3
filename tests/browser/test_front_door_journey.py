"""The whole front-door journey on the served demo, as the issue describes it: a school DSL refers a pupil, the
front door decides and sees the eligible programmes with their reasons, the programme's team accepts and
allocates a practitioner with room, and the dashboard counts the decision. axe-core on every page."""

from __future__ import annotations

import datetime
import json
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, Site, assert_accessible
from tests.browser.test_referral import _continue, _pupil

pytestmark = pytest.mark.browser

TEAM = """
import json
from continuum.agencies.models import User
team = User.objects.get(username="eh.manager").practitioner.team
print(json.dumps({"team": str(team)}))
"""


def _sign_out(page: Page) -> None:
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out now").click()


def _decisions(page: Page, site: Site) -> int:
    page.goto(f"{site.url}/referrals/dashboard/")
    return int(page.locator("#decisions-total").inner_text().replace(",", ""))


def test_a_school_refers_the_front_door_decides_the_team_allocates_and_the_dashboard_counts_it(
    site: Site, page: Page, axe
):
    team = json.loads(
        subprocess.run(
            [BIN / "continuum", "shell", "-c", TEAM], env=site.env, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )["team"]
    pupil = _pupil(site, "school2.dsl")
    born = datetime.date.fromisoformat(str(pupil["date_of_birth"]))

    site.sign_in(page, "frontdoor")
    before = _decisions(page, site)
    _sign_out(page)

    # The school refers.
    site.sign_in(page, "school2.dsl")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Refer a child").click()
    page.get_by_role("button", name="Start a new referral").click()
    page.get_by_label("Given name", exact=True).fill(pupil["given_name"])
    page.get_by_label("Family name", exact=True).fill(pupil["family_name"])
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check for an existing record")
    assert_accessible(axe, page)
    page.locator(f'input[value="{pupil["person_id"]}"]').check()
    _continue(page)
    page.get_by_label("No", exact=True).check()
    _continue(page)
    page.get_by_label("Emotional wellbeing").check()
    _continue(page)
    page.get_by_label("What is happening for the child and their family?").fill(
        "Withdrawn in class since the summer; has told a teaching assistant they cannot sleep."
    )
    _continue(page)
    _continue(page)
    page.get_by_label("Given", exact=True).check()
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the referral")
    page.get_by_role("button", name="Send referral").click()
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert_accessible(axe, page)
    _sign_out(page)

    # The front door decides: level 2, an eligible programme, with every programme's rules and reasons shown.
    site.sign_in(page, "frontdoor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Front door", exact=True).click()
    page.locator("tr", has_text=reference).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Eligibility for programmes")).to_be_visible()
    page.get_by_role("radio", name=re.compile("^Level 2")).check()
    expect(page.get_by_text(re.compile(r"aged \d+ on .*; .* takes ages")).first).to_be_visible()
    assert_accessible(axe, page)
    eligible = page.locator("#programme option", has_text="(eligible)").first.inner_text()
    page.get_by_label("Rationale").fill("Emotional wellbeing needs below the CAMHS threshold: early help fits")
    page.get_by_label("An early-help programme").check()
    page.get_by_label("Programme", exact=True).select_option(label=eligible)
    page.get_by_label("Team that will run it").select_option(label=team)
    page.get_by_label("What the referrer will be told").fill("Offered an early-help programme; the team will call.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision recorded for referral {reference}")).to_be_visible()
    assert_accessible(axe, page)
    _sign_out(page)

    # The programme's team accepts and allocates a practitioner with room.
    site.sign_in(page, "eh.manager")
    page.goto(f"{site.url}/referrals/transfers/")
    page.get_by_role("link", name=re.compile(re.escape(reference))).click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Accept the referral").click()
    expect(page.get_by_role("heading", name="Allocate a practitioner")).to_be_visible()
    assert_accessible(axe, page)
    choice = page.locator("input[name=practitioner]:not([disabled])").first
    choice.check()
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.get_by_text(f"Referral {reference} allocated")).to_be_visible()
    assert_accessible(axe, page)
    _sign_out(page)

    # The referrer sees the outcome; the dashboard counts the decision.
    site.sign_in(page, "school2.dsl")
    page.goto(f"{site.url}/referrals/")
    page.get_by_role("link", name=re.compile("^" + reference)).click()
    expect(page.get_by_text("Offered an early-help programme")).to_be_visible()
    expect(page.get_by_text("Emotional wellbeing needs below the CAMHS threshold")).to_have_count(0)
    assert_accessible(axe, page)
    _sign_out(page)
    site.sign_in(page, "frontdoor")
    assert _decisions(page, site) == before + 1
    assert_accessible(axe, page)
