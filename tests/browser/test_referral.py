"""A school DSL refers a pupil through the question pages in Chromium, with axe-core on every page."""

from __future__ import annotations

import csv
import datetime
import re

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, assert_accessible

pytestmark = pytest.mark.browser


def _pupil(site: Site, username: str) -> dict:
    """A child on the roll of the school whose DSL `username` is, from the county's files."""
    with (site.county.parent / "demo-users.csv").open() as f:
        agency = next(row["agency"] for row in csv.DictReader(f) if row["username"] == username)
    agencies = pq.read_table(site.county / "agencies.parquet").to_pylist()
    agency_id = next(a["agency_id"] for a in agencies if a["name"] == agency)
    involvements = pq.read_table(site.county / "involvements.parquet")
    on_roll = involvements.filter(
        pc.and_(pc.equal(involvements["agency_id"], agency_id), pc.equal(involvements["kind"], "school_roll"))
    )
    on_roll = on_roll.filter(pc.is_null(on_roll["end_date"]))
    pupils = set(on_roll["person_id"].to_pylist())
    people = pq.read_table(site.county / "people.parquet").to_pylist()
    return next(
        p
        for p in sorted(people, key=lambda p: p["person_id"])
        if p["person_id"] in pupils
        and p["is_child"]
        and not p["known_as"]
        and len(p["family_name"]) > 4
        and p["family_name"][-1] != p["family_name"][-2]
    )


def _continue(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def test_a_school_dsl_refers_a_pupil_told_once_and_follows_the_referral(site: Site, page: Page, axe):
    pupil = _pupil(site, "school.dsl")
    family = pupil["family_name"]
    misspelt = family[:-2] + family[-1] + family[-2]  # the last two letters the other way round
    born = datetime.date.fromisoformat(str(pupil["date_of_birth"]))

    site.sign_in(page, "school.dsl")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Refer a child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer a child")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Start a new referral").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Who are you referring?")
    assert_accessible(axe, page)
    _continue(page)
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("alert")).to_contain_text("Enter the child's given name")
    assert page.title().startswith("Error:")
    assert_accessible(axe, page)

    page.get_by_label("Given name", exact=True).fill(pupil["given_name"])
    page.get_by_label("Family name", exact=True).fill(misspelt)
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check for an existing record")
    expect(page.get_by_text(f"surname spelt differently: {family} / {misspelt}")).to_be_visible()
    assert pupil["person_id"] in page.content() and family.lower() not in page.url.lower()
    assert_accessible(axe, page)
    page.locator(f'input[value="{pupil["person_id"]}"]').check()
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Family members")
    assert_accessible(axe, page)
    page.get_by_label("Yes", exact=True).check()
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a family member")
    assert_accessible(axe, page)
    page.get_by_label("Given name", exact=True).fill("Morwenna")
    page.get_by_label("Family name", exact=True).fill("Trelawney-Quist")
    page.get_by_label("Parent", exact=True).check()
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("No existing record found")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Continue and record a new person").click()
    expect(page.get_by_role("cell", name="Morwenna Trelawney-Quist", exact=True)).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_label("No", exact=True).check()
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Why are you referring the child?")
    assert_accessible(axe, page)
    page.get_by_label("School attendance").check()
    page.get_by_label("Emotional wellbeing").check()
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("What is happening")
    assert_accessible(axe, page)
    page.get_by_label("What is happening for the child and their family?").fill(
        "Attendance has fallen to 70% this term and they told their form tutor they do not want to go home."
    )
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("What do the child and family want?")
    assert_accessible(axe, page)
    page.get_by_label("What the child wants").fill("Someone to talk to who is not at school")
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Has the family consented to this referral?")
    assert_accessible(axe, page)
    page.get_by_label("Not sought: seeking it would put the child at risk").check()
    _continue(page)
    expect(page.get_by_role("alert")).to_contain_text("Say why seeking consent would put the child at risk")
    assert_accessible(axe, page)
    reason = page.get_by_label("If you did not seek consent: why would seeking it put the child at risk?")
    reason.fill("The child fears a parent's reaction")
    _continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the referral")
    expect(page.get_by_text("Their existing record")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Change what is happening").click()
    page.get_by_label("What is happening for the child and their family?").fill(
        "Attendance has fallen to 70% this term; they told their tutor they are frightened to go home."
    )
    _continue(page)
    expect(page.get_by_text("frightened to go home")).to_be_visible()
    page.get_by_role("button", name="Send referral").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"FD-\d{4}-\d{6}", reference)
    assert reference not in page.url and re.search(r"/referrals/sent/[0-9a-f-]{36}/$", page.url)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Your agency's referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your agency's referrals")
    expect(page.get_by_role("cell", name="Waiting for a decision").first).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name=re.compile("^" + reference)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    expect(page.get_by_text("The front door has not decided yet.")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("link", name=re.compile(re.escape(pupil["given_name"]))).first.click()
    expect(page.get_by_role("heading", level=2, name="Referrals")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name=re.compile(f"^Referral {reference}, "))).to_be_visible()
    assert_accessible(axe, page)


def test_a_draft_is_kept_across_signing_out(site: Site, page: Page, axe):
    site.sign_in(page, "school2.dsl")
    page.goto(f"{site.url}/referrals/new/")
    page.get_by_role("button", name="Start a new referral").click()
    page.get_by_label("Given name", exact=True).fill("Perpetua")
    page.get_by_label("Family name", exact=True).fill("Draftwright")
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2016")
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("No existing record found")

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out now").click()
    site.sign_in(page, "school2.dsl")
    page.goto(f"{site.url}/referrals/new/")
    expect(page.get_by_role("cell", name="Perpetua Draftwright", exact=True)).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Continue the draft referral Perpetua Draftwright").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("No existing record found")
    page.goto(f"{site.url}/referrals/new/")
    page.get_by_role("button", name="Delete the draft referral Perpetua Draftwright").click()
    expect(page.get_by_text("The draft referral has been deleted")).to_be_visible()
    expect(page.get_by_role("cell", name="Perpetua Draftwright", exact=True)).to_have_count(0)
    assert_accessible(axe, page)
