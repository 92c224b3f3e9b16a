# Requests and projects share one satisfaction enum (banshi.core.choices.Satisfaction, issue 9.7):
# a project evaluation's 不满意 is stored as "dissatisfied", as on requests, no longer as "not".
# The column widens first so the longer value fits; going back, the values are rewritten before
# the column narrows again.

from django.db import migrations, models

OLD, NEW = "not", "dissatisfied"


def forwards(apps, schema_editor):
    Evaluation = apps.get_model("projects", "Evaluation")
    Evaluation.objects.filter(choice=OLD).update(choice=NEW)


def backwards(apps, schema_editor):
    Evaluation = apps.get_model("projects", "Evaluation")
    Evaluation.objects.filter(choice=NEW).update(choice=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_survey_invitations_codes_and_rejections"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evaluation",
            name="choice",
            field=models.CharField(
                choices=[("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")],
                max_length=12,
                verbose_name="评价",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
