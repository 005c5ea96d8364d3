"""Break-glass as an attacker and a reviewer would try it: the grant needs one's own search; reviews are
final and can end the access; every grant reaches a reviewer; late reviews are listed; bad addresses
do not stop notices."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from continuum.agencies.models import Practitioner
from continuum.audit.models import AuditEvent, BreakGlassGrant
from continuum.workingdays import add_working_days

REASON = "Police called: Cara reported missing overnight, strategy discussion now"


def _search(client, person, family_name):
    born = person.date_of_birth
    return client.post(
        reverse("people:break_glass"),
        {
            "family_name": family_name,
            "date_of_birth-day": born.day,
            "date_of_birth-month": born.month,
            "date_of_birth-year": born.year,
            "reason_code": "immediate_risk",
            "reason": REASON,
        },
    )


def _grant(client, person):
    return client.post(
        reverse("people:break_glass_grant"),
        {"person_id": person.pk, "reason_code": "immediate_risk", "reason": REASON},
    )


def test_the_grant_endpoint_refuses_a_person_the_users_own_search_did_not_find(world, client_for):
    alice = client_for("alice")
    assert _grant(alice, world.cara).status_code == 404  # no search at all
    _search(client_for("dsl_north"), world.cara, "Dunmore")  # somebody else's search does not count
    assert _grant(alice, world.cara).status_code == 404
    _search(alice, world.dan, "Ellery")  # her own search, for another child
    assert _grant(alice, world.cara).status_code == 404
    assert not BreakGlassGrant.objects.exists()
    assert client_for("alice").get(reverse("people:record", args=[world.cara.pk])).status_code == 404


def test_a_search_from_longer_ago_than_the_policy_allows_does_not_count(world, client_for):
    alice = client_for("alice")
    _search(alice, world.cara, "Dunmore")
    later = timezone.now() + datetime.timedelta(minutes=11)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        assert _grant(alice, world.cara).status_code == 404
    assert _grant(alice, world.cara).status_code == 302


@pytest.fixture
def granted(world, client_for):
    alice = client_for("alice")
    _search(alice, world.cara, "Dunmore")
    _grant(alice, world.cara)
    alice.get(reverse("people:record", args=[world.cara.pk]))
    alice.get(reverse("people:export", args=[world.cara.pk]))
    return BreakGlassGrant.objects.get()


def test_the_review_page_shows_the_child_the_reason_and_what_was_viewed_and_is_audited(world, client_for, granted):
    page = client_for("manager").get(reverse("audit:break_glass_review", args=[granted.pk])).content.decode()
    assert "Cara Dunmore" in page
    assert "A child may be at immediate risk of harm" in page
    assert "Viewed" in page and "Exported" in page
    assert AuditEvent.objects.filter(event="audit.break_glass_review_view", actor_username="manager").count() == 1


def test_a_review_is_final_and_a_second_one_is_refused(world, client_for, granted):
    review = reverse("audit:break_glass_review", args=[granted.pk])
    manager = client_for("manager")
    manager.post(review, {"outcome": "appropriate", "note": "Strategy discussion confirmed"})
    html = manager.post(review, {"outcome": "inappropriate", "note": "Changed my mind"}).content.decode()
    assert "already been reviewed" in html
    admin = client_for("admin")
    admin.post(review, {"outcome": "inappropriate", "note": "Overwrite"})
    granted.refresh_from_db()
    assert (granted.review_outcome, granted.review_note) == ("appropriate", "Strategy discussion confirmed")
    admin.post(reverse("audit:break_glass_note", args=[granted.pk]), {"note": "Checked with the police later"})
    page = admin.get(review).content.decode()
    assert "Checked with the police later" in page and "Strategy discussion confirmed" in page


def test_not_appropriate_ends_the_access_at_once(world, client_for, granted):
    alice = client_for("alice")
    record = reverse("people:record", args=[world.cara.pk])
    assert alice.get(record).status_code == 200
    client_for("manager").post(
        reverse("audit:break_glass_review", args=[granted.pk]),
        {"outcome": "inappropriate", "note": "No risk recorded: speak to alice"},
    )
    assert alice.get(record).status_code == 404


def test_grants_from_an_agency_with_no_manager_go_to_the_councils_reviewers(world, client_for):
    school = client_for("dsl_north")
    _search(school, world.cara, "Dunmore")
    _grant(school, world.cara)
    grant = BreakGlassGrant.objects.get()
    assert grant.routed_to == "council"
    review = reverse("audit:break_glass_review", args=[grant.pk])
    # Early help and social care managers are the council's reviewers in the shipped policy; the admin sees all.
    for username in ("manager", "cscmanager", "admin"):
        assert client_for(username).get(review).status_code == 200, username
    assert "1 break-glass access waiting" in client_for("manager").get(reverse("home")).content.decode()


def test_grants_unreviewed_for_two_working_days_are_listed_to_administrators(world, client_for, granted):
    listing = reverse("audit:break_glass")
    assert "Not reviewed within 2 working days" not in client_for("admin").get(listing).content.decode()
    late = add_working_days(timezone.localtime(granted.granted_at), 2) + datetime.timedelta(minutes=1)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=late):
        page = client_for("admin").get(listing).content.decode()
        assert "Not reviewed within 2 working days" in page
        assert "Not reviewed within" not in client_for("manager").get(listing).content.decode()


def test_working_days_skip_weekends_and_bank_holidays():
    friday = datetime.datetime(2026, 12, 24, 15, 0)  # Thursday Christmas Eve, then Christmas and Boxing Day
    assert add_working_days(friday, 2) == datetime.datetime(2026, 12, 30, 15, 0)
    assert add_working_days(datetime.datetime(2026, 11, 27, 9, 0), 2) == datetime.datetime(2026, 12, 1, 9, 0)


def test_one_bad_reviewer_address_does_not_stop_the_other_notices(
    world, client_for, django_capture_on_commit_callbacks, caplog
):
    Practitioner.objects.filter(user=world.manager).update(email="not an address")
    alice = client_for("alice")
    _search(alice, world.cara, "Dunmore")
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant(alice, world.cara)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["admin@example.org"]]
    assert "no valid email" in caplog.text
