"""Audit events by domain: the eight verbs stay for data-protection reports; each row also names its event."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.db import transaction
from django.urls import reverse

from continuum.audit.models import AuditEvent
from continuum.audit.services import Subject, audit_record, declared_events


def test_every_row_the_foundation_writes_names_a_declared_event(world, client_for):
    client = client_for("alice")
    client.get(reverse("people:record", args=[world.amy.pk]))
    client.get(reverse("people:export", args=[world.amy.pk]))
    client.get(reverse("people:record", args=[world.cara.pk]))  # refused
    client_for("frontdoor").post(reverse("people:search"), {"name": "ashdown"}, follow=True)
    client_for("analyst").get(reverse("people:population"))
    rows = list(AuditEvent.objects.values_list("action", "event"))
    assert rows and all(event in declared_events() for _, event in rows), rows
    assert ("refused", "people.person_view") in rows
    assert {"people.person_create", "agencies.involvement_open", "people.person_search"} <= {e for _, e in rows}


def test_an_undeclared_event_is_a_programming_error_and_writes_nothing(world):
    count = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="not declared"), transaction.atomic():
        audit_record(actor=world.alice, action="view", obj=Subject("person"), event="people.person_peek")
    assert AuditEvent.objects.count() == count


def test_the_object_and_the_person_come_from_the_record(world):
    with transaction.atomic():
        row = audit_record(actor=world.alice, action="view", obj=world.amy, event="people.person_view")
        grant = audit_record(actor=world.alice, action="view", obj=Subject("break_glass_grant", uuid.UUID(int=7)))
    assert (row.object_type, row.object_id, row.person_id) == ("person", str(world.amy.pk), world.amy.pk)
    assert (grant.object_type, grant.object_id, grant.person_id) == ("break_glass_grant", str(uuid.UUID(int=7)), None)


def test_modules_declare_their_events_under_their_own_name(db):
    events = declared_events()
    assert {name.split(".")[0] for name in events} >= {"people", "agencies", "audit", "county"}
    assert events["audit.break_glass_open"].startswith("Opened a child's record")


def test_the_audit_csv_carries_the_event_for_the_page_and_the_command_alike(world, client_for, tmp_path):
    from django.core.management import call_command

    client_for("alice").get(reverse("people:record", args=[world.amy.pk]))
    response = client_for("admin").get(reverse("audit:events"), {"format": "csv", "action": "view"})
    page = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    out = tmp_path / "audit.csv"
    call_command("audit", "export", "--since", "2000-01-01", "--out", str(out))
    command = [r for r in csv.DictReader(out.open()) if r["action"] == "view"]
    assert [r["event"] for r in page] == [r["event"] for r in command] == ["people.person_view"]
