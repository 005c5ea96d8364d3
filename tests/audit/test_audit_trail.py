"""The audit trail: append-only in the database, scoped on the audit page, exported by the command line."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from continuum.audit.models import AppendOnlyError, AuditEvent
from continuum.audit.services import Subject, audit_record


def test_the_database_refuses_to_update_an_audit_row(world):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET purpose = 'rewritten' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.purpose != "rewritten"


def test_the_database_refuses_to_delete_audit_rows(world):
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists only on PostgreSQL")
def test_postgresql_refuses_to_truncate_the_audit_table(world):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.exists()


def test_the_application_cannot_change_or_delete_an_audit_row(world):
    event = AuditEvent.objects.first()
    event.purpose = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_an_audit_row_is_refused_outside_a_transaction(world):
    # Inside pytest-django's test transaction every block is atomic, so check the guard directly.
    from unittest import mock

    with mock.patch.object(connection, "in_atomic_block", False), pytest.raises(RuntimeError):
        audit_record(actor=world.alice, action="view", obj=Subject("person"))


def test_an_audit_row_rolls_back_with_the_read_it_records(world):
    count = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=world.alice, action="view", obj=world.amy)
        raise RuntimeError("the read failed after the row was written: both go")
    assert AuditEvent.objects.count() == count


def test_audit_rows_copy_who_when_what_and_why(world, client_for):
    client_for("alice").get(reverse("people:record", args=[world.amy.pk]))
    event = AuditEvent.objects.filter(action="view").get()
    assert event.actor_username == "alice"
    assert event.actor_role == "practitioner"
    assert event.actor_agency == "Test Early Help"
    assert event.object_type == "person" and event.object_id == str(world.amy.pk)
    assert event.client_ip == "127.0.0.1"
    assert "allocated" in event.purpose or "open involvement" in event.purpose


@pytest.mark.parametrize(
    ("username", "status"),
    [("manager", 200), ("admin", 200), ("alice", 403), ("frontdoor", 403), ("analyst", 403), ("nobody", 403)],
)
def test_only_managers_and_administrators_have_the_audit_page(world, client_for, username, status):
    assert client_for(username).get(reverse("audit:events")).status_code == status


def test_a_manager_sees_only_their_own_agencys_audit_rows(world, client_for):
    client_for("alice").get(reverse("people:record", args=[world.amy.pk]))  # early help
    client_for("bob").get(reverse("people:record", args=[world.ben.pk]))  # social care
    early_help = client_for("manager").get(reverse("audit:events"), {"action": "view"}).content.decode()
    assert "alice" in early_help and ">bob" not in early_help
    everyone = client_for("admin").get(reverse("audit:events"), {"action": "view"}).content.decode()
    assert "alice" in everyone and "bob" in everyone


def test_the_audit_csv_download_is_itself_audited_and_filtered(world, client_for):
    client_for("alice").get(reverse("people:record", args=[world.amy.pk]))
    response = client_for("manager").get(reverse("audit:events"), {"action": "view", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["actor_username"] for r in rows] == ["alice"]
    assert rows[0]["person_id"] == str(world.amy.pk)
    assert AuditEvent.objects.filter(action="export", object_type="audit_trail", actor_username="manager").exists()


def test_bad_audit_filters_get_clear_errors(world, client_for):
    response = client_for("admin").get(reverse("audit:events"), {"person_id": "not-a-reference", "since-day": "31"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a record reference" in html
    assert "From must include a month and year" in html


def test_audit_export_command_writes_csv_since_a_date(world, client_for, tmp_path):
    client_for("alice").get(reverse("people:record", args=[world.amy.pk]))
    out = tmp_path / "audit.csv"
    call_command("audit", "export", "--since", datetime.date.today().isoformat(), "--format", "csv", "--out", str(out))
    rows = list(csv.DictReader(out.open()))
    assert {
        "id",
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "person_id",
        "purpose",
    } <= set(rows[0])
    assert any(r["action"] == "view" and r["actor_username"] == "alice" for r in rows)
    assert rows[-1]["object_type"] == "audit_trail"  # the export records itself
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    call_command("audit", "export", "--since", tomorrow, "--out", str(out))
    assert list(csv.DictReader(out.open())) == []


def test_csv_cells_that_look_like_formulas_are_kept_as_text(world, tmp_path):
    with transaction.atomic():
        audit_record(actor=world.alice, action="view", obj=Subject("person"), purpose="=cmd|' /C calc'!A0")
    out = tmp_path / "audit.csv"
    call_command("audit", "export", "--since", datetime.date.today().isoformat(), "--out", str(out))
    purposes = [row["purpose"] for row in csv.DictReader(out.open())]
    assert "'=cmd|' /C calc'!A0" in purposes
    assert not any(p.startswith(("=", "+", "-", "@")) for p in purposes)


def _rewrites(event: AuditEvent) -> list[tuple[str, list]]:
    """Every statement an attacker with the application's connection might use to rewrite a row in place."""
    if connection.vendor == "sqlite":
        return [
            (
                "INSERT OR REPLACE INTO audit_auditevent (id, at, actor_username, actor_role, actor_agency, action, "
                "event, object_type, object_id, purpose, detail) VALUES (%s, %s, 'nobody', '', '', 'view', '', "
                "'person', '', 'rewritten', '{}')",
                [event.pk, event.at],
            ),
            (
                "REPLACE INTO audit_auditevent (id, at, actor_username, actor_role, actor_agency, action, event, "
                "object_type, object_id, purpose, detail) VALUES (%s, %s, 'nobody', '', '', 'view', '', 'person', '', "
                "'rewritten', '{}')",
                [event.pk, event.at],
            ),
            (
                "INSERT INTO audit_auditevent (id, at, actor_username, actor_role, actor_agency, action, event, "
                "object_type, object_id, purpose, detail) VALUES (%s, %s, 'nobody', '', '', 'view', '', 'person', '', "
                "'x', '{}') ON CONFLICT(id) DO UPDATE SET purpose = 'rewritten'",
                [event.pk, event.at],
            ),
            ("UPDATE OR REPLACE audit_auditevent SET purpose = 'rewritten' WHERE id = %s", [event.pk]),
        ]
    return [
        (
            "INSERT INTO audit_auditevent (id, at, actor_username, actor_role, actor_agency, action, event, "
            "object_type, object_id, purpose, detail) VALUES (%s, %s, 'nobody', '', '', 'view', '', 'person', '', "
            "'x', '{}') ON CONFLICT (id) DO UPDATE SET purpose = 'rewritten'",
            [event.pk, event.at],
        ),
        (
            "MERGE INTO audit_auditevent AS a USING (SELECT %s::bigint AS id) AS s ON a.id = s.id "
            "WHEN MATCHED THEN UPDATE SET purpose = 'rewritten'",
            [event.pk],
        ),
        (
            "MERGE INTO audit_auditevent AS a USING (SELECT %s::bigint AS id) AS s ON a.id = s.id "
            "WHEN MATCHED THEN DELETE",
            [event.pk],
        ),
    ]


def test_no_statement_rewrites_an_audit_row_in_place(world):
    event = AuditEvent.objects.order_by("id").first()
    for sql, params in _rewrites(event):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
        again = AuditEvent.objects.get(pk=event.pk)
        assert (again.purpose, again.actor_username) == (event.purpose, event.actor_username), sql
    assert AuditEvent.objects.count() >= 1


def test_the_append_only_triggers_survive_every_migration(db):
    """A later migration that rebuilds the table on SQLite drops its triggers; this notices."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'")
            expected = {"audit_auditevent_no_update", "audit_auditevent_no_delete", "audit_auditevent_no_replace"}
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
            )
            expected = {"audit_auditevent_no_update_delete", "audit_auditevent_no_truncate"}
        assert {row[0] for row in cursor.fetchall()} == expected
