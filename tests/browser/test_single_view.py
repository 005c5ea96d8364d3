"""The single multi-agency view on the served demo (which loads and links the county's feeds as it sets up): the
front door opens a child with events from several agencies and sees the picture, filters the timeline, mistypes a
filter; axe-core on each page, and the page reflows at 320 pixels."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, Site, assert_accessible
from tests.browser.test_beyond_axe import NARROW, _checks

pytestmark = pytest.mark.browser

# The child whose linked feed records bring events from the most feeds (the police's among them, if any).
A_CHILD_WITH_EVENTS = """
import json
from continuum.linkage.models import Record
from continuum.signals.models import SignalEvent
linked = dict(
    Record.objects.filter(source_person__isnull=False, identity__person__isnull=False)
    .values_list("source_person_id", "identity__person_id")
)
feeds = {}
events = SignalEvent.objects.filter(source_person_id__in=list(linked))
for source, feed in events.values_list("source_person_id", "feed"):
    feeds.setdefault(linked[source], set()).add(feed)
best = max(sorted(feeds, key=str), key=lambda p: ("police" in feeds[p], len(feeds[p])))
print(json.dumps({"person_id": str(best), "feeds": sorted(feeds[best])}))
"""

# A child on the roll of the school whose designated safeguarding lead signs in as school.dsl, with a police record.
A_PUPIL_KNOWN_TO_POLICE = """
import json
from continuum.agencies.models import Involvement, Practitioner
from continuum.linkage.models import Record
from continuum.signals.models import SignalEvent
school = Practitioner.objects.get(user__username="school.dsl").agency
linked = Record.objects.filter(identity__person__isnull=False, source_person__feed="police")
known = set(linked.values_list("identity__person_id", flat=True))
pupil = (
    Involvement.objects.current().filter(kind="school_roll", agency=school, person_id__in=known)
    .order_by("person_id").values_list("person_id", flat=True).first()
)
day = SignalEvent.objects.filter(
    source_person__in=linked.filter(identity__person_id=pupil).values("source_person")
).order_by("-occurred_on").values_list("occurred_on", flat=True).first()
print(json.dumps({"person_id": str(pupil), "police_day": f"{day.day} {day:%B %Y}"}))
"""


def _child(site: Site, script: str = A_CHILD_WITH_EVENTS) -> dict:
    done = subprocess.run([BIN / "continuum", "shell", "-c", script], env=site.env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_front_door_opens_a_childs_multi_agency_view(site: Site, page: Page, axe):
    child = _child(site)
    assert len(child["feeds"]) >= 2, child
    site.sign_in(page, "frontdoor")
    page.goto(f"{site.url}/children/{child['person_id']}/")
    expect(page.get_by_text("This view has been recorded")).to_be_visible()
    page.get_by_role("navigation", name="Parts of this record").get_by_role("link", name="Multi-agency view").click()

    expect(page).to_have_title(re.compile(r"^Multi-agency view - "))
    expect(page.get_by_role("heading", name="Who is working with the child now")).to_be_visible()
    expect(page.get_by_role("heading", name="Timeline", exact=True)).to_be_visible()
    items = page.locator(".moj-timeline__item")
    assert items.count() >= 2
    expect(page.get_by_text(re.compile(r"% match probability, ")).first).to_be_visible()
    if "police" in child["feeds"]:
        expect(page.get_by_text("Source: Police incidents feed").first).to_be_visible()
    assert_accessible(axe, page)

    # Only the police's events, then a filter nobody offered.
    page.get_by_label("Agency").select_option("police")
    page.get_by_role("button", name="Filter the timeline").click()
    bylines = page.locator(".moj-timeline__byline").all_inner_texts()
    assert all("Constabulary" in b or "olice" in b for b in bylines), bylines
    assert_accessible(axe, page)
    page.goto(f"{site.url}/multi-agency/children/{child['person_id']}/?kind=rumour")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a kind of event from the list")
    expect(page).to_have_title(re.compile(r"^Error: Multi-agency view"))
    assert_accessible(axe, page)


def test_the_multi_agency_view_reflows_at_320_pixels(site: Site, browser):
    child = _child(site)
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        site.sign_in(page, "frontdoor")
        page.goto(f"{site.url}/multi-agency/children/{child['person_id']}/")
        expect(page.get_by_role("heading", name="Timeline", exact=True)).to_be_visible()
        _checks(page)
    finally:
        context.close()


def test_a_school_sees_that_the_police_are_involved_and_whom_to_call_not_what_happened(site: Site, page: Page, axe):
    pupil = _child(site, A_PUPIL_KNOWN_TO_POLICE)
    site.sign_in(page, "school.dsl")
    page.goto(f"{site.url}/multi-agency/children/{pupil['person_id']}/")
    withheld = page.get_by_test_id("withheld")
    expect(withheld).to_contain_text(re.compile(r"Constabulary is involved\. Contact"))
    main = page.locator("main").inner_text()
    assert "Police incident" not in main and pupil["police_day"] not in main
    assert_accessible(axe, page)
