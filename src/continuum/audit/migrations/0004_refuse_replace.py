"""SQLite: refuse INSERT OR REPLACE (and REPLACE INTO) on the audit table.

REPLACE resolves a clash on the id by deleting the old row first, and that delete does not fire the
BEFORE DELETE trigger (SQLite runs no delete triggers for REPLACE unless recursive_triggers is on).
A BEFORE INSERT trigger refusing a row whose id already exists closes that door whatever the
connection's pragmas. PostgreSQL has no REPLACE; its INSERT ... ON CONFLICT DO UPDATE and MERGE fire
the UPDATE trigger of 0002 and are refused there.
"""

from django.db import migrations

FORWARD = """CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_replace BEFORE INSERT ON audit_auditevent
    WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: REPLACE refused'); END"""
BACKWARD = "DROP TRIGGER IF EXISTS audit_auditevent_no_replace"


def _sqlite(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditevent_event")]

    operations = [migrations.RunPython(_sqlite(FORWARD), _sqlite(BACKWARD))]
