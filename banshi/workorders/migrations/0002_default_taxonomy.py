"""A new installation starts with the default 12345-style taxonomy; admins edit it afterwards."""

from django.db import migrations


def load(apps, schema_editor):
    from banshi.workorders.taxonomy import load_taxonomy

    load_taxonomy(apps.get_model("workorders", "Category"))


class Migration(migrations.Migration):
    dependencies = [("workorders", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
