from django.db import migrations


def begin(apps, schema_editor):
    """The stream begins with every vacancy the public sees, so their later removal reaches the clients."""
    from jobs import stream
    from jobs.models import Vacancy

    stream.record(Vacancy.objects.visible().values_list("pk", flat=True))


class Migration(migrations.Migration):
    dependencies = [("jobs", "0006_vacancy_change_stream")]
    operations = [migrations.RunPython(begin, migrations.RunPython.noop)]
