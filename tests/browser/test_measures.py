"""Questionnaires and the programme outcome report on the served demo, with axe-core on every page.

The demo has no episodes of support until the synthetic county makes them (another part of issue 12), so this
test makes its own through the site's `continuum shell`: an episode for a child allocated to eh.practitioner, a
session in it, and six closed POWER episodes with SDQs at entry and exit for the report.
"""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, Site, assert_accessible

pytestmark = pytest.mark.browser

SETUP = """
import datetime
from continuum.agencies.access import SystemActor
from continuum.agencies.models import Practitioner
from continuum.agencies.services import allocation_add
from continuum.analytics.sdq import sdq_band
from continuum.casework.models import Episode, Session
from continuum.measures.models import Measure, Questionnaire
from continuum.people.models import Person
from continuum.programmes.models import Programme

today = datetime.date.today()
lead = Practitioner.objects.get(user__username="eh.practitioner")
power = Programme.objects.get(slug="power")
children = list(Person.objects.filter(date_of_birth__year__gte=today.year - 13).order_by("pk")[:7])
allocation_add(actor=SystemActor("browser test"), person=children[0], practitioner=lead, kind="lead",
               start_date=today - datetime.timedelta(days=40))
def episode(n, person, end=None):
    return Episode.objects.create(reference=f"EH-BROWSER-{n:04d}", person=person, programme=power,
        lead_practitioner=lead, start_date=today - datetime.timedelta(days=120), end_date=end, level_at_start=2,
        level_at_close=1 if end else None, closure_reason="needs_met" if end else "")
open_episode = episode(0, children[0])
session = Session.objects.create(episode=open_episode, held_on=today - datetime.timedelta(days=1),
    kind="one_to_one", attendance="attended", practitioner=lead)
sdq = Measure.objects.get(slug="sdq")
for n, (before, after) in enumerate([(20, 14), (18, 17), (22, 15), (16, 16), (25, 20), (19, 12)], start=1):
    closed = episode(n, children[n], end=today - datetime.timedelta(days=5))
    for timepoint, total in (("entry", before), ("exit", after)):
        Questionnaire.objects.create(measure=sdq, person=closed.person, episode=closed, timepoint=timepoint,
            informant="parent", version="4-17", responses={}, scores={"total": total},
            bands={"total": sdq_band("parent", "total", total)})
print(session.pk)
"""


@pytest.fixture(scope="module")
def session_id(site: Site) -> str:
    made = subprocess.run([BIN / "continuum", "shell", "-c", SETUP], env=site.env, capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    return made.stdout.strip().splitlines()[-1]


def _answer(page: Page, item: str, answer: str) -> None:
    page.get_by_role("group", name=item, exact=True).get_by_label(answer, exact=True).check()


def test_a_practitioner_enters_an_sdq_and_sees_the_scores(site: Site, page: Page, axe, session_id):
    site.sign_in(page, "eh.practitioner")
    page.goto(f"{site.url}/measures/sessions/{session_id}/questionnaire/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a questionnaire")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("SDQ, 4-17 version, completed by the parent or carer").check()
    page.get_by_label("At the start").check()
    page.get_by_label("I will enter the answers").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the answers")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save and see the scores").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(axe, page)
    for n in range(1, 26):
        _answer(page, f"Item {n}", ("Not true", "Somewhat true", "Certainly true")[n % 3])
    page.get_by_role("button", name="Save and see the scores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire scores")
    expect(page.locator("#scores")).to_contain_text("Total difficulties")
    assert_accessible(axe, page)


def test_a_young_person_answers_on_the_practitioners_device(site: Site, page: Page, axe, session_id):
    site.sign_in(page, "eh.practitioner")
    page.goto(f"{site.url}/measures/sessions/{session_id}/questionnaire/")
    page.get_by_label("SDQ self-report, 11-17").check()
    page.get_by_label("At the end").check()
    page.get_by_label("The young person or parent will answer on this device").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    expect(page.get_by_role("navigation")).to_have_count(0)
    assert_accessible(axe, page)
    for n in range(1, 26):
        _answer(page, f"Item {n}", "Somewhat true")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(axe, page)
    # The device stays locked to the questionnaire until the practitioner gives their password.
    page.goto(f"{site.url}/children/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Practitioner: take the device back")
    page.go_back()
    page.get_by_role("link", name="Practitioner: see the scores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practitioner: take the device back")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your password")
    assert_accessible(axe, page)
    page.get_by_label("Your password").fill(site.passwords["eh.practitioner"])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire scores")


def test_an_analyst_reads_the_programme_outcome_report(site: Site, page: Page, axe, session_id):
    site.sign_in(page, "analyst")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Outcomes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme outcomes")
    assert_accessible(axe, page)
    page.get_by_label("Programme").select_option(label="POWER")
    page.get_by_role("button", name="Show the report").click()
    expect(page.locator("#change-sdq_parent_total")).to_contain_text("-4.3")
    expect(page.locator(".continuum-chart").first).to_be_visible()
    assert_accessible(axe, page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report (CSV)").click()
    assert download.value.suggested_filename.startswith("outcomes-power-")
