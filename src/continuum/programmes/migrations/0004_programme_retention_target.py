from django.core.validators import MaxValueValidator
from django.db import migrations, models


def set_targets(apps, schema_editor):
    # Strengthening Families Strengthening Communities aimed to keep 70% of parents to the end of a course
    # (seed 001, Southend); 81% stayed.
    Programme = apps.get_model("programmes", "Programme")
    Programme.objects.filter(slug="strengthening-families").update(retention_target=70)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_seed_catalogue")]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="retention_target",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="For a group programme: the share of those who start that it aims to keep to the end, in per cent",
                null=True,
                validators=[MaxValueValidator(100)],
            ),
        ),
        migrations.RunPython(set_targets, migrations.RunPython.noop),
    ]
