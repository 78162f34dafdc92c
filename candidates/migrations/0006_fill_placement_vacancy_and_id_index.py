"""Bring rows written before 0004 and 0005 up to what the code now reads.

- A placement made from an application before 0004 has no `vacancy`; capacity counts placements by
  vacancy, so it would not count. Its application still says which vacancy it filled.
- ID numbers hashed before 0005 used the first encryption key; the blind index now has a key of
  its own (FIELD_BLIND_INDEX_KEY), so each stored hash is computed again from the decrypted number.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

from candidates.crypto import blind_index


def fill_placement_vacancy(apps, schema_editor):
    Placement, Application = apps.get_model("candidates", "Placement"), apps.get_model("candidates", "Application")
    vacancy_of = Application.objects.filter(pk=OuterRef("application_id")).values("vacancy_id")
    Placement.objects.filter(vacancy__isnull=True, application__isnull=False).update(vacancy_id=Subquery(vacancy_of))


def rehash_id_numbers(apps, schema_editor):
    SensitiveRecord = apps.get_model("candidates", "SensitiveRecord")
    records = SensitiveRecord.objects.exclude(id_number_index="")
    for record in records.iterator(chunk_size=500):  # the unique constraint holds throughout: equal stays equal
        index = blind_index(record.data["id_number"]) if record.data.get("id_number") else ""
        SensitiveRecord.objects.filter(pk=record.pk).update(id_number_index=index)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0005_one_id_number")]

    operations = [
        migrations.RunPython(fill_placement_vacancy, migrations.RunPython.noop),
        migrations.RunPython(rehash_id_numbers, migrations.RunPython.noop),
    ]
