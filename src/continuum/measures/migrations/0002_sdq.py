from django.db import migrations


def add_sdq(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    Measure.objects.get_or_create(
        slug="sdq",
        defaults={
            "name": "Strengths and Difficulties Questionnaire (SDQ)",
            "kind": "sdq",
            "source": "Goodman R. (1997, 2001); scoring and bands as published at sdqinfo.org",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(add_sdq, migrations.RunPython.noop)]
