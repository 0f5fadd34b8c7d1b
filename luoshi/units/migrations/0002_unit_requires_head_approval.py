from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def heads_approve(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Existing units with an active unit head get the approval step (the new default for such units)."""
    Unit = apps.get_model("units", "Unit")
    Profile = apps.get_model("accounts", "Profile")
    with_head = Profile.objects.filter(role="unit_head", user__is_active=True, unit__isnull=False).values(
        "unit_id"
    )
    Unit.objects.filter(pk__in=with_head).update(requires_head_approval=True)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
        ("accounts", "0003_alter_apitoken_options_alter_profile_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="requires_head_approval",
            field=models.BooleanField(default=False, verbose_name="reports need the unit head's approval"),
        ),
        migrations.RunPython(heads_approve, migrations.RunPython.noop),
    ]
