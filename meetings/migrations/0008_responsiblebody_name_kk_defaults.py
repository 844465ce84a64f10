# Data: the Kazakh names of the default responsible bodies (meetings/defaults.py), where an
# administrator has not written one; the Russian name identifies the default body.

from django.db import migrations


def forwards(apps, schema_editor):
    from meetings.defaults import BODY_NAMES_KK

    ResponsibleBody = apps.get_model("meetings", "ResponsibleBody")
    for name, name_kk in BODY_NAMES_KK.items():
        ResponsibleBody.objects.filter(name=name, district__isnull=True, name_kk="").update(
            name_kk=name_kk
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_name_kk")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
