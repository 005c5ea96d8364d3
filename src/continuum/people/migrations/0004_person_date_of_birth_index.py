"""An index on date of birth: tell it once (frontdoor) blocks candidates by the date and by the date with its
day and month swapped, across every person."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_search_key"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["date_of_birth"], name="people_person_born_idx"),
        ),
    ]
