"""Re-encrypt every encrypted field under the newest key, so that an older key can then be removed.

To retire a key: put a new key first in FIELD_ENCRYPTION_KEYS (the old ones after it), restart, run this
command, then remove the old key. Each row is read with whichever key it was written under and written under
the first; rows are updated in batches, each in its own transaction, so the command can be stopped and run again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from candidates.crypto import EncryptedJSONField

BATCH = 200  # import files are up to 20 MB each: a few hundred rows at a time bounds memory


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, EncryptedJSONField):
                    count = self.rotate(model, field.name)
                    self.stdout.write(f"{model._meta.label}.{field.name}: {count} rows re-encrypted")

    def rotate(self, model, name: str) -> int:
        rows = model.objects.filter(**{f"{name}__isnull": False}).order_by("pk").values_list("pk", flat=True)
        count, last = 0, 0
        while batch := list(rows.filter(pk__gt=last)[:BATCH]):
            with transaction.atomic():
                objects = list(model.objects.select_for_update().filter(pk__in=batch).only("pk", name))
                model.objects.bulk_update(objects, [name])  # read under any key, written under the first
            count, last = count + len(objects), batch[-1]
        return count
