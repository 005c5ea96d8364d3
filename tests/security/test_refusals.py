"""Every refusal is in the audit trail: 403s, CSRF failures, and refused records with the child's id."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from continuum.audit.models import AuditEvent


def test_a_role_refused_a_page_is_recorded(world, client_for):
    client_for("analyst").post(reverse("people:search"), {"name": "ashdown"})
    client_for("dsl_north").get(reverse("audit:events"))
    refused = AuditEvent.objects.filter(action="refused").order_by("id")
    assert [(e.actor_username, e.object_id) for e in refused] == [
        ("analyst", reverse("people:search")),
        ("dsl_north", reverse("audit:events")),
    ]
    assert "POST" in refused[0].purpose


def test_a_refused_record_is_recorded_against_the_child_asked_about_without_telling_the_user(world, client_for):
    response = client_for("alice").get(reverse("people:record", args=[world.cara.pk]))
    assert response.status_code == 404
    row = AuditEvent.objects.get(action="refused")
    assert row.person_id == world.cara.pk
    assert str(world.cara.pk) not in response.content.decode()
    probes = client_for("admin").get(reverse("audit:events"), {"person_id": str(world.cara.pk), "action": "refused"})
    assert "alice" in probes.content.decode()


def test_a_form_without_its_csrf_token_is_refused_and_recorded(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    assert client.post(reverse("people:search"), {"name": "ashdown"}).status_code == 403
    assert AuditEvent.objects.filter(action="refused", actor_username="alice", purpose__contains="CSRF").exists()


def test_reading_the_audit_trail_is_itself_recorded(world, client_for):
    client_for("manager").get(reverse("audit:events"))
    assert AuditEvent.objects.filter(event="audit.trail_view", actor_username="manager").count() == 1


def test_a_bad_host_header_is_a_400_not_a_server_error(world):
    client = Client(raise_request_exception=False)
    assert client.get(reverse("login"), HTTP_HOST="evil.example").status_code == 400
    client.force_login(world.alice)
    assert client.get(reverse("people:search"), HTTP_HOST="evil.example").status_code == 400


def test_a_refused_page_with_a_very_long_address_is_still_recorded_not_a_server_error(world, client_for):
    path = reverse("audit:events") + "?" + "x" * 3000
    response = client_for("dsl_north").get(path)
    assert response.status_code == 403
    row = AuditEvent.objects.get(action="refused")
    assert row.object_id == reverse("audit:events")  # the query string is not part of the path
    long_path = "/admin/agencies/practitioner/" + "0" * 200 + "/change/"
    assert client_for("alice").get(long_path).status_code == 404


def test_a_reference_that_is_not_even_a_uuid_is_refused_like_any_other(world):
    """A posted id of the wrong shape is 'no such record' (audited), never a server error."""
    import pytest
    from django.http import Http404

    from continuum.agencies import access

    with pytest.raises(Http404):
        access.person_or_404(world.alice, "1 OR 1=1", attempted="view")
    assert AuditEvent.objects.filter(action="refused", actor_username="alice").count() == 1
