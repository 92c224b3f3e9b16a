# Separate from 0002: PostgreSQL refuses ALTER TABLE in the transaction that just filled the rows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grid", "0002_register_links_visits"),
    ]

    operations = [
        migrations.AlterField(
            model_name='household',
            name='grid',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='grid_households', to='orgtree.orgunit', verbose_name='所属微网格'),
        ),
    ]
