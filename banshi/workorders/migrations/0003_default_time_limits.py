"""Seed the time-limit rules with DOMAIN.md's defaults, so admins see and edit real rows."""

from django.db import migrations


def load(apps, schema_editor):
    from banshi.workorders.taxonomy import load_time_limits

    load_time_limits(apps.get_model("workorders", "TimeLimitRule"))


class Migration(migrations.Migration):
    dependencies = [("workorders", "0002_default_taxonomy")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
