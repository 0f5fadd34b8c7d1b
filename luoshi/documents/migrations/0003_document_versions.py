from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps: Any, schema_editor: Any) -> None:
    from luoshi.documents.duplicates import fingerprint, key_hash

    Document = apps.get_model("documents", "Document")
    for pk, text in Document.objects.values_list("id", "text").iterator():
        Document.objects.filter(pk=pk).update(text_key=key_hash(text), fingerprint=fingerprint(text))


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_alter_finding_options_alter_section_options")]

    operations = [
        migrations.AddField(
            "document", "text_key", models.CharField(blank=True, db_index=True, max_length=64)
        ),
        migrations.AddField("document", "fingerprint", models.JSONField(blank=True, default=list)),
        migrations.AddField(
            "document", "version", models.PositiveIntegerField(default=1, verbose_name="version")
        ),
        migrations.AddField(
            "document",
            "version_of",
            models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="newer_versions",
                to="documents.document",
                verbose_name="new version of",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
