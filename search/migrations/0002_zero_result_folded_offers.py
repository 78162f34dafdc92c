from django.db import migrations, models


def fold_recorded(apps, schema_editor):
    """Searches recorded before: their text folded, as new ones are (what the officers' page groups by)."""
    from search.text import fold

    ZeroResultQuery = apps.get_model("search", "ZeroResultQuery")
    recorded = list(ZeroResultQuery.objects.only("text"))
    for query in recorded:
        query.folded = fold(query.text)
    ZeroResultQuery.objects.bulk_update(recorded, ["folded"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="zeroresultquery",
            name="folded",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="zeroresultquery",
            name="offers",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(fold_recorded, migrations.RunPython.noop),
    ]
