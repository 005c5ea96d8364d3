"""Audit events named by the module that recorded them ("people.person_view").

On SQLite, adding a column rebuilds the table, which drops its triggers: the append-only triggers
of 0002 are created again straight after.
"""

from django.db import migrations, models

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE refused'); END""",
]


def _sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="event",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="What happened, named by the module that recorded it",
                max_length=80,
            ),
        ),
        migrations.RunPython(_sqlite_triggers, migrations.RunPython.noop),
    ]
