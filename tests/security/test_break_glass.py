"""Break-glass: a reason, exact identifying details, a time limit, and a review by managers."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from continuum.audit.models import AuditEvent, BreakGlassGrant


def _search(client, world, **overrides):
    data = {
        "family_name": "Dunmore",
        "given_name": "",
        "date_of_birth-day": world.cara.date_of_birth.day,
        "date_of_birth-month": world.cara.date_of_birth.month,
        "date_of_birth-year": world.cara.date_of_birth.year,
        "reason_code": "immediate_risk",
        "reason": "Police called: Cara reported missing overnight, strategy discussion now",
    }
    data.update(overrides)
    return client.post(reverse("people:break_glass"), data)


def _grant(client, world):
    return client.post(
        reverse("people:break_glass_grant"),
        {
            "person_id": world.cara.pk,
            "reason_code": "immediate_risk",
            "reason": "Police called: Cara reported missing overnight, strategy discussion now",
        },
    )


def test_break_glass_opens_a_record_for_a_limited_time_and_tells_managers(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("alice")
    record = reverse("people:record", args=[world.cara.pk])
    assert client.get(record).status_code == 404

    page = _search(client, world)
    assert page.status_code == 200 and "Cara Dunmore" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant(client, world)
    assert response.status_code == 302 and response["Location"] == record

    view = client.get(record)
    assert view.status_code == 200
    assert "unexpired break-glass grant" in view.content.decode()
    actions = list(
        AuditEvent.objects.filter(person_id=world.cara.pk, actor_username="alice").values_list("action", flat=True)
    )
    assert "break_glass" in actions and "view" in actions

    # Alice's manager (same agency) and the administrator are emailed, with no child's details in the message.
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "admin@example.org",
        "manager@example.org",
    ]
    assert all("Dunmore" not in m.body and "Cara" not in m.body for m in mail.outbox)

    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.granted_at == datetime.timedelta(minutes=60)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(record).status_code == 404  # expired


def test_break_glass_needs_a_reason_and_the_exact_date_of_birth(world, client_for):
    client = client_for("alice")
    html = _search(client, world, reason_code="", reason="short").content.decode()
    assert "Select why you need emergency access" in html
    assert "at least 10 characters" in html
    assert not AuditEvent.objects.filter(purpose="Break-glass search").exists()

    html = _search(client, world, **{"date_of_birth-day": (world.cara.date_of_birth.day % 27) + 1}).content.decode()
    assert "No record matches" in html and "Cara Dunmore" not in html
    assert AuditEvent.objects.filter(purpose="Break-glass search").count() == 1

    response = client.post(
        reverse("people:break_glass_grant"), {"person_id": world.cara.pk, "reason_code": "x", "reason": ""}
    )
    assert response.status_code == 404
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("username", ["frontdoor", "analyst", "admin", "nobody"])
def test_roles_without_break_glass_cannot_use_it(world, client_for, username):
    client = client_for(username)
    assert client.get(reverse("people:break_glass")).status_code == 403
    assert _grant(client, world).status_code == 403
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_grant_refuses_a_post_without_the_csrf_token(world, client_for):
    assert _grant(client_for("alice", csrf=True), world).status_code == 403
    assert not BreakGlassGrant.objects.exists()


def test_managers_review_break_glass_by_their_own_agency_only(world, client_for):
    alice = client_for("alice")
    _search(alice, world)  # a grant is only for someone the user's own break-glass search found
    _grant(alice, world)
    grant = BreakGlassGrant.objects.get()
    review = reverse("audit:break_glass_review", args=[grant.pk])

    assert client_for("cscmanager").get(review).status_code == 403  # another agency's manager
    assert client_for("alice").get(review).status_code == 403  # nobody reviews their own access
    manager = client_for("manager")
    assert "1 break-glass access waiting" in manager.get(reverse("home")).content.decode()
    html = manager.post(review, {"outcome": "inappropriate", "note": ""}).content.decode()
    assert "Say what follow-up is needed" in html
    response = manager.post(review, {"outcome": "appropriate", "note": "Strategy discussion confirmed"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.review_outcome == "appropriate" and grant.reviewed_by == world.manager
    assert AuditEvent.objects.filter(object_type="break_glass_grant", actor_username="manager").exists()
