from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decomposition", "0002_plantask_cadence"),
    ]

    operations = [
        migrations.AddField(
            model_name="plantask",
            name="milestones",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="plantask",
            name="indicators",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
