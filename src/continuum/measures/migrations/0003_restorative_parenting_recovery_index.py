"""Adds the example custom index the analytics ship (seed 003's Restorative Parenting Recovery Index, with items
and bands invented to show the format), so a new installation has one to try. Its definition is copied into the
database as it is today: later changes to the example file do not change a database that already has it."""

import tomllib

from django.db import migrations

SLUG = "restorative-parenting-recovery-index"


def add_index(apps, schema_editor):
    from continuum.analytics.indices import EXAMPLES

    path = EXAMPLES / "restorative_parenting_recovery_index.toml"
    with path.open("rb") as handle:
        definition = tomllib.load(handle)
    Measure = apps.get_model("measures", "Measure")
    Measure.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": definition["name"],
            "kind": "index",
            "definition": definition,
            "source": definition.get("source", "")[:300],
        },
    )


def remove_index(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    Measure.objects.filter(slug=SLUG, questionnaires__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_sdq")]

    operations = [migrations.RunPython(add_index, remove_index)]
