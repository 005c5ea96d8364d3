"""Record linkage's clerical review on the served demo (which links the county's feeds as it sets up): the front
door opens the queue and a pair, makes the mistakes a new reviewer makes, decides it; then a merge is undone.
axe-core on every page, and the queue and a pair reflow at 320 pixels."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BIN, Site, assert_accessible
from tests.browser.test_beyond_axe import NARROW, _checks

pytestmark = pytest.mark.browser

# A merge to undo: two identities of feed records only (no person in the platform, so no other test's child
# changes), merged as the command line would merge them.
MERGE = """
import json
from continuum.agencies.access import SystemActor
from continuum.linkage.models import Identity
from continuum.linkage.services import merge_identities
keep, merge = Identity.objects.filter(person__isnull=True, merged_into__isnull=True).order_by("id")[:2]
change = merge_identities(actor=SystemActor("browser test"), keep=keep.pk, merge=merge.pk, reason="Browser test merge")
print(json.dumps({"change_id": str(change.pk)}))
"""


# A small county may link every record surely, leaving nothing for review. Then one pair is queued as a run leaves
# one (two feed records of different identities born on the same day, the state as the services give it), so the
# pages are still tried on the demo's own records.
QUEUE_ONE = """
import json
from django.db.models import Count
from django.utils import timezone
from continuum.linkage import services
from continuum.linkage.models import LinkModel, LinkRun, Record, ReviewPair
if not ReviewPair.objects.filter(status__in=["open", "not_sure"]).exists():
    born = (
        Record.objects.filter(source_person__isnull=False, identity__isnull=False)
        .values("source_person__date_of_birth").annotate(n=Count("identity", distinct=True)).filter(n__gt=1)
        .order_by("source_person__date_of_birth").first()["source_person__date_of_birth"]
    )
    same_day = Record.objects.filter(source_person__date_of_birth=born).order_by("identity_id", "id")
    left = same_day.first()
    right = same_day.exclude(identity_id=left.identity_id).first()
    run = LinkRun.objects.first()
    pair = ReviewPair.objects.create(
        left=left, right=right, match_probability=0.8, model=run.model, run=run, why="band", queued_at=timezone.now(),
        comparison=[{"field": "date_of_birth", "label": "Date of birth", "agrees": True, "weight": 6.0,
                     "words": "Dates of birth agree: strong evidence for"}],
    )
    pair.state = services.current_state(pair)
    pair.save(update_fields=["state"])
print(json.dumps({"waiting": ReviewPair.objects.filter(status__in=["open", "not_sure"]).count()}))
"""


def _shell(site: Site, script: str) -> dict:
    done = subprocess.run([BIN / "continuum", "shell", "-c", script], env=site.env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _waiting(page: Page) -> int:
    words = page.get_by_text(re.compile(r"pairs? (is|are) waiting")).inner_text()
    return int(words.split()[0].replace(",", ""))


def test_the_front_door_reviews_a_pair_of_records_from_the_demo_county(site: Site, page: Page, axe):
    assert _shell(site, QUEUE_ONE)["waiting"] > 0
    site.sign_in(page, "frontdoor")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Linkage review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records waiting for review")
    assert_accessible(axe, page)
    before = _waiting(page)

    page.get_by_role("link", name=re.compile("^Decide")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are these records the same person?")
    expect(page.get_by_text("This view has been recorded")).to_be_visible()
    assert "same person" in page.title().lower()
    assert_accessible(axe, page)
    pair_url = page.url

    # A new reviewer forgets to choose, then forgets the reason "not sure" needs.
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether these records are the same person")
    assert page.title().startswith("Error:")
    assert_accessible(axe, page)
    page.get_by_label("Not sure").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason you are not sure")
    assert_accessible(axe, page)

    page.get_by_label("Not the same person").check()
    page.get_by_label("Reason").fill("The dates of birth are a year apart and the schools differ")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records waiting for review")
    expect(page.get_by_text("Decision recorded: not the same person")).to_be_visible()
    assert _waiting(page) == before - 1
    assert_accessible(axe, page)

    page.goto(pair_url)
    expect(page.get_by_text("the schools differ")).to_be_visible()
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    assert_accessible(axe, page)


def test_a_reviewer_undoes_a_merge_giving_a_reason(site: Site, page: Page, axe):
    change = _shell(site, MERGE)
    site.sign_in(page, "frontdoor")
    page.goto(f"{site.url}/linkage/review/")
    page.get_by_role("link", name="Merges and splits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merges and splits")
    expect(page.get_by_text("Browser test merge")).to_be_visible()
    assert_accessible(axe, page)

    page.locator(f"a[href$='/linkage/history/{change['change_id']}/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Undo a merge")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Undo this merge").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason for undoing this merge")
    assert_accessible(axe, page)
    page.get_by_label("Reason for undoing the merge").fill("Merged by mistake in a test")
    page.get_by_role("button", name="Undo this merge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merges and splits")
    expect(page.get_by_text("Merge undone: every record and relationship it moved is back")).to_be_visible()
    expect(page.get_by_text("Merged by mistake in a test")).to_be_visible()
    assert_accessible(axe, page)


def test_an_administrator_reads_the_history_without_the_undo_and_gets_no_queue(site: Site, page: Page, axe):
    site.sign_in(page, "admin")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Merges and splits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merges and splits")
    expect(page.get_by_role("link", name=re.compile("Undo this merge"))).to_have_count(0)
    assert_accessible(axe, page)
    page.goto(f"{site.url}/linkage/review/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_the_review_pages_reflow_at_320_pixels(site: Site, browser):
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        assert _shell(site, QUEUE_ONE)["waiting"] > 0
        site.sign_in(page, "frontdoor")
        page.goto(f"{site.url}/linkage/review/")
        _checks(page)
        page.get_by_role("link", name=re.compile("^Decide")).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Are these records the same person?")
        _checks(page)
        page.goto(f"{site.url}/linkage/history/")
        _checks(page)
    finally:
        context.close()
