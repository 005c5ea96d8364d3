"""The front door's side of a referral in headless Chromium against the served demo: the queue, screening and a
decision, the receiving team's acceptance, and allocation to a practitioner with room; axe-core on every page."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, Site, assert_accessible
from tests.browser.test_beyond_axe import NARROW, _fits

pytestmark = pytest.mark.browser

# A referral as the referral journey leaves it (status new), made in the site's own database; the referral
# journey's own browser test makes one through its pages.
MAKE_REFERRAL = """
import datetime, json
from django.utils import timezone
from continuum.agencies.models import User
from continuum.agencies.selectors import caseloads
from continuum.frontdoor.models import Referral, ReferralReason
from continuum.people.models import Person

dsl = User.objects.get(username="school.dsl")
team = User.objects.get(username="csc.manager").practitioner.team
assert any(c.has_room for c in caseloads(team=team)), "nobody in the demo's social care team has room"
today = timezone.localdate()
child = (
    Person.objects.filter(
        date_of_birth__lte=today - datetime.timedelta(days=365 * 10),
        date_of_birth__gt=today - datetime.timedelta(days=365 * 12),
        referrals__isnull=True,
    )
    .order_by("pk")
    .first()
)
referral = Referral.objects.create(
    reference=f"FD-BROWSER-{Referral.objects.count() + 1:05d}",
    person=child,
    referrer=dsl,
    referrer_name=dsl.get_full_name(),
    referrer_agency=dsl.practitioner.agency,
    received_at=timezone.now() - datetime.timedelta(days=3),
    story="Seen getting into older young people's cars after school; says he owes them money.",
    child_wants="Wants the people in the cars to leave him alone",
    consent="given",
)
ReferralReason.objects.create(referral=referral, reason="exploitation")
print(json.dumps({"reference": referral.reference, "team": str(team), "family_name": child.family_name}))
"""


def _referral(site: Site) -> dict[str, str]:
    made = subprocess.run(
        [BIN / "continuum", "shell", "-c", MAKE_REFERRAL], env=site.env, capture_output=True, text=True, check=False
    )
    assert made.returncode == 0, made.stdout + made.stderr
    return json.loads(made.stdout.strip().splitlines()[-1])


def test_the_front_door_decides_the_team_accepts_and_allocates_a_practitioner_with_room(
    site: Site, page: Page, browser, axe
):
    made = _referral(site)
    reference = made["reference"]

    site.sign_in(page, "frontdoor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Front door", exact=True).click()
    expect(page.get_by_role("heading", name="Referrals waiting for a decision")).to_be_visible()
    row = page.locator("tr", has_text=reference)
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Exploitation concern")
    assert_accessible(axe, page)

    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Screen and decide")).to_be_visible()
    expect(page.get_by_text("getting into older young people's cars")).to_be_visible()
    expect(page.get_by_role("heading", name="Eligibility for programmes")).to_be_visible()
    assert made["family_name"].lower() not in page.title().lower()
    assert_accessible(axe, page)

    # A level 4 need routed to advice is refused, with the reason, and nothing is recorded.
    page.get_by_role("radio", name=re.compile("Level 4")).check()
    page.get_by_label("Advice and signposting").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("A level 4 (specialist) need cannot be routed to advice")
    expect(page.get_by_role("alert")).to_contain_text("Give the rationale")
    assert_accessible(axe, page)

    page.get_by_label("Rationale").fill("Criminal exploitation indicators: needs a social care assessment (s47)")
    page.get_by_label("Step up to children's social care").check()
    page.get_by_label("Children's social care team").select_option(label=made["team"])
    page.get_by_label("What the referrer will be told").fill("Passed to children's social care, who will contact you.")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision recorded for referral {reference}")).to_be_visible()
    expect(page.locator("tr", has_text=reference)).to_have_count(0)
    expect(page.get_by_role("heading", name="Waiting for a team's answer")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out now").click()
    site.sign_in(page, "csc.manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Caseloads", exact=True).click()
    expect(page.get_by_role("heading", name="Caseloads and waiting lists")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Referrals sent to your team").click()
    expect(page.get_by_role("heading", name="Referrals sent to your team")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name=re.compile(re.escape(reference))).click()
    expect(page.get_by_role("heading", name="Accept or decline a referral")).to_be_visible()
    expect(page.get_by_text("Criminal exploitation indicators")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("button", name="Decline the referral").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason for declining")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Accept the referral").click()
    expect(page.get_by_text(f"Referral {reference} accepted: allocate a practitioner")).to_be_visible()
    expect(page.get_by_role("heading", name="Allocate a practitioner")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the practitioner to allocate")
    assert_accessible(axe, page)
    choice = page.locator("input[name=practitioner]:not([disabled])").first
    chosen = page.locator(f"label[for='{choice.get_attribute('id')}']").inner_text().strip()
    choice.check()
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.get_by_text(f"Referral {reference} allocated")).to_be_visible()
    expect(page.locator(".govuk-summary-list__row", has_text="Allocated to")).to_contain_text(chosen)
    expect(page.get_by_role("heading", name="Allocations in the team")).to_be_visible()
    assert_accessible(axe, page)

    # The pages reflow at 320 CSS pixels.
    narrow = browser.new_context(viewport=NARROW)
    try:
        small = narrow.new_page()
        site.sign_in(small, "csc.manager")
        for path in ("/referrals/caseloads/", "/referrals/transfers/", page.url.removeprefix(site.url)):
            small.goto(f"{site.url}{path}")
            _fits(small)
        small.goto(f"{site.url}/accounts/logout/")
        small.get_by_role("button", name="Sign out now").click()
        another = _referral(site)["reference"]
        site.sign_in(small, "frontdoor")
        small.goto(f"{site.url}/referrals/queue/")
        _fits(small)
        small.locator("tr", has_text=another).get_by_role("link").click()
        small.get_by_label("Step up to children's social care").check()
        _fits(small)
    finally:
        narrow.close()
