"""Casework on the served demo: eh.practitioner opens an episode from an allocation, records the assessment, a plan
with a goal and a rating, a session and the family's feedback, and closes the episode; the manager's pages. axe-core
on every page."""

from __future__ import annotations

import datetime
import json
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, Site, assert_accessible

pytestmark = pytest.mark.browser

# A programme with a session limit (10 sessions) whose outcome report no other browser test reads, since this test
# adds to the shared demo's data.
PROGRAMME = "More than Mentors"

# A child allocated to eh.practitioner with no episode yet: the front door's allocation, as the demo's synthetic
# county may not hold one free (the practitioner's maximum is lifted so the allocation is not refused).
ALLOCATE = """
import datetime, json
from continuum.agencies.access import SystemActor
from continuum.agencies.models import User
from continuum.agencies.services import allocation_add
from continuum.people.models import Person
practitioner = User.objects.get(username="eh.practitioner").practitioner
practitioner.caseload_capacity = None
practitioner.save(update_fields=["caseload_capacity"])
today = datetime.date.today()
young, old = today.replace(year=today.year - 6), today.replace(year=today.year - 15)
child = (
    Person.objects.filter(date_of_birth__gt=old, date_of_birth__lt=young)
    .exclude(episodes__isnull=False)
    .exclude(allocations__isnull=False)
    .order_by("family_name", "given_name")
    .first()
)
allocation_add(
    actor=SystemActor("browser test"), person=child, practitioner=practitioner, kind="lead", start_date=today
)
print(json.dumps({"person_id": str(child.pk), "name": child.display_name}))
"""


def _shell(site: Site, script: str) -> dict:
    done = subprocess.run([BIN / "continuum", "shell", "-c", script], env=site.env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sign_out(page: Page) -> None:
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out now").click()


def _date(page: Page, prefix: str, day: datetime.date) -> None:
    page.locator(f"#{prefix}-day").fill(str(day.day))
    page.locator(f"#{prefix}-month").fill(str(day.month))
    page.locator(f"#{prefix}-year").fill(str(day.year))


def test_a_practitioner_opens_assesses_plans_records_and_closes_an_episode(site: Site, page: Page, axe):
    child = _shell(site, ALLOCATE)
    today = datetime.date.today()
    site.sign_in(page, "eh.practitioner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My caseload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    assert_accessible(axe, page)
    page.get_by_role("button", name=f"Open an episode for {child['name']}").click()

    # Opening it: a new user forgets the level first, and is told.
    expect(page.get_by_role("heading", level=1)).to_have_text("Open an episode of support")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Open the episode").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the level of need")
    assert_accessible(axe, page)
    page.get_by_role("radio", name=re.compile("^Level 2")).check()
    page.get_by_label("Programme").select_option(label=PROGRAMME)
    page.get_by_role("button", name="Open the episode").click()
    expect(page.get_by_text("Episode of support opened")).to_be_visible()
    reference = page.get_by_role("heading", level=1).inner_text()
    assert reference.startswith("EH-")
    assert_accessible(axe, page)

    # The assessment: whole family, three domains, their own words.
    page.get_by_role("link", name="Early help assessment").click()
    assert_accessible(axe, page)
    _date(page, "completed_on", today)
    for domain, concern in (("developmental_needs", "2"), ("parenting_capacity", "1"), ("family_environment", "1")):
        page.locator(f"input[name='{domain}-concern'][value='{concern}']").check()
        page.locator(f"#{domain}-strengths").fill(f"Strengths: {domain}")
        page.locator(f"#{domain}-needs").fill(f"Needs: {domain}")
    page.get_by_label("What the child said").fill("I get angry when they shout")
    page.get_by_label("What the parents or carers said").fill("Mornings are a battle")
    page.get_by_label("Analysis").fill("Mornings and anger at home")
    page.get_by_role("radio", name=re.compile("^Level 2")).check()
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("“I get angry when they shout”")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Back to the episode").click()

    # The plan, a goal and a rating.
    page.get_by_role("link", name="Agree the plan").click()
    assert_accessible(axe, page)
    _date(page, "agreed_on", today)
    page.get_by_label("The child's views on the plan, in their words").fill("I want calmer mornings")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Plan saved")).to_be_visible()
    page.get_by_role("link", name="Add a goal").click()
    expect(page.get_by_text("Needs: developmental_needs")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("What will change").fill("Calmer mornings")
    page.get_by_label("What success looks like").fill("Out of the door by 8 without shouting")
    page.get_by_label("Who will do what").fill("Mum sets the alarm")
    _date(page, "target_date", today + datetime.timedelta(days=42))
    page.get_by_role("radio", name="The child or young person").first.check()
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_text("Goal added to the plan")).to_be_visible()
    page.get_by_role("link", name="Rate progress").click()
    assert_accessible(axe, page)
    page.get_by_label("Rating, from 0 to 10").fill("11")
    page.get_by_role("radio", name="The child or young person").check()
    _date(page, "rated_on", today)
    page.get_by_role("button", name="Save the rating").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("from 0 to 10")
    assert_accessible(axe, page)
    page.get_by_label("Rating, from 0 to 10").fill("4")
    page.get_by_role("button", name="Save the rating").click()
    expect(page.get_by_text("4/10")).to_be_visible()

    # A session.
    page.get_by_role("link", name="Record a session").click()
    expect(page.get_by_text("0 of 10 sessions delivered")).to_be_visible()
    assert_accessible(axe, page)
    _date(page, "held_on", today)
    page.get_by_role("radio", name="1:1").check()
    page.get_by_role("radio", name="Attended").check()
    page.get_by_label("Duration in minutes").fill("50")
    page.get_by_label("Case note").fill("Talked through the morning routine")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("Session recorded")).to_be_visible()
    expect(page.get_by_text("1 delivered of 10 allowed")).to_be_visible()
    episode_url = page.url

    # An SDQ at the start, entered from the session, and listed on the episode with its total.
    expect(page.get_by_text("No questionnaires yet. Enter one from a session above.")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Enter a questionnaire")).first.click()
    page.get_by_label("SDQ, 4-17 version, completed by the parent or carer").check()
    page.get_by_label("At the start").check()
    page.get_by_label("I will enter the answers").check()
    page.get_by_role("button", name="Continue").click()
    for n in range(1, 26):
        page.get_by_role("group", name=f"Item {n}", exact=True).get_by_label("Somewhat true", exact=True).check()
    page.get_by_role("button", name="Save and see the scores").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaire scores")
    page.goto(episode_url)
    expect(page.get_by_role("link", name=re.compile("^See the scores"))).to_have_count(1)
    assert_accessible(axe, page)

    # A review of the plan, with the child's and the family's views.
    page.get_by_role("link", name="Record a review").click()
    assert_accessible(axe, page)
    _date(page, "held_on", today)
    page.get_by_label("The child's views, in their words").fill("Mornings are better")
    page.get_by_label("The family's views, in their words").fill("Less shouting")
    page.get_by_label("What has changed and what happens next").fill("Keep going with the routine")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Review recorded")).to_be_visible()
    _sign_out(page)

    # The team's manager agrees more sessions than the programme's limit, with a reason.
    site.sign_in(page, "eh.manager")
    page.goto(episode_url)
    page.get_by_role("link", name="Agree more sessions").click()
    assert_accessible(axe, page)
    page.get_by_label("How many more sessions").fill("2")
    page.get_by_role("button", name="Agree the sessions").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason more sessions are needed")
    page.get_by_label("Why more sessions are needed").fill("Exams coming up")
    page.get_by_role("button", name="Agree the sessions").click()
    expect(page.get_by_text("1 delivered of 12 allowed")).to_be_visible()
    _sign_out(page)
    site.sign_in(page, "eh.practitioner")
    page.goto(episode_url)

    # The team around the family page, the family's feedback, then closing.
    page.get_by_role("link", name="Add to the team around the family").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="The family's feedback").click()
    assert_accessible(axe, page)
    page.get_by_role("radio", name="The child or young person").check()
    page.locator("input[name='helpfulness'][value='5']").check()
    page.get_by_role("radio", name="Yes").check()
    page.get_by_label("The words they agreed may be quoted").fill("She actually listened")
    page.get_by_role("button", name="Save the feedback").click()
    expect(page.get_by_text("Feedback recorded")).to_be_visible()
    page.get_by_role("link", name="Close the episode").click()
    assert_accessible(axe, page)
    _date(page, "closed_on", today)
    page.get_by_role("radio", name=re.compile("^Level 1")).check()
    page.get_by_role("radio", name="Stepped down to universal services").check()
    page.get_by_role("button", name="Close the episode").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say where the child went")
    assert_accessible(axe, page)
    page.get_by_role("radio", name="School (pastoral support)").check()
    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_text(f"Episode {reference} closed")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    assert_accessible(axe, page)
    _sign_out(page)

    # The manager: the programme's outcome report now counts the closed episode; the team's caseload, courses
    # and what families said.
    site.sign_in(page, "eh.manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Outcomes", exact=True).click()
    page.get_by_label("Programme").select_option(label=PROGRAMME)
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme outcomes")
    expect(page.get_by_role("heading", name=re.compile(f"^{PROGRAMME}, from"))).to_be_visible()
    expect(page.locator("#children-closed")).not_to_be_empty()
    assert_accessible(axe, page)
    page.goto(f"{site.url}/casework/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Team caseload")
    assert_accessible(axe, page)
    page.goto(f"{site.url}/casework/feedback/")
    assert_accessible(axe, page)
    page.get_by_role("link", name=PROGRAMME).click()
    expect(page.get_by_text("“She actually listened”")).to_be_visible()
    assert_accessible(axe, page)
    page.goto(f"{site.url}/casework/courses/")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Set up a course").click()
    assert_accessible(axe, page)
    page.get_by_label("Programme").select_option(label=PROGRAMME)
    page.get_by_label("Name of the course").fill("Autumn course")
    page.get_by_label("Venue").fill("Community hall")
    _date(page, "start_date", today)
    page.get_by_label("Planned sessions").fill("6")
    page.get_by_role("button", name="Set up the course").click()
    expect(page.get_by_text("Course set up")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Add a facilitator").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Add a child").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Record a session").click()
    assert_accessible(axe, page)
