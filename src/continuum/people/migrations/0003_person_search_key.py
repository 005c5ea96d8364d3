"""Part-name search: every person's names run together in one key, filled for the people already here.

On PostgreSQL a trigram index (pg_trgm, a trusted extension the database owner may create) answers
"contains" searches on it without reading every row; SQLite reads the column, which a county fits.
"""

import unicodedata

from django.db import migrations, models


def _name_key(value):
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(c for c in decomposed if c.isalnum() or c.isspace())
    return " ".join(letters.lower().split())


def _fill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("id", "given_name", "middle_names", "family_name", "known_as").iterator(
        chunk_size=2000
    ):
        names = (person.given_name, person.middle_names, person.family_name, person.known_as)
        compact = [_name_key(n).replace(" ", "") for n in names]
        person.search_key = " " + " ".join(c for c in compact if c) + " "
        batch.append(person)
        if len(batch) == 2000:
            Person.objects.bulk_update(batch, ["search_key"])
            batch = []
    Person.objects.bulk_update(batch, ["search_key"])


def _trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS people_person_search_key_trgm "
            "ON people_person USING gin (search_key gin_trgm_ops)"
        )


def _drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS people_person_search_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_known_as_index")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_key",
            field=models.CharField(blank=True, editable=False, max_length=520),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
        migrations.RunPython(_trigram_index, _drop_trigram_index),
    ]
