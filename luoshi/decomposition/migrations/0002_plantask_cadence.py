from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decomposition", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="plantask",
            name="cadence",
            field=models.CharField(blank=True, max_length=20, null=True),
        ),
    ]
