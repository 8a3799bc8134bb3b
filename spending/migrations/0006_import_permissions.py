from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Figures importer"
CODENAMES = ["view_importbatch", "preview_import", "apply_import", "rollback_import"]


def create_importer_group(apps, schema_editor):
    """The group an operator adds a staff member to so they may import; nothing else does."""
    # Permissions are normally created after all migrations ran; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="spending", codename__in=CODENAMES)
    )


def remove_importer_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("spending", "0005_series_breaks"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="importbatch",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    ("preview_import", "Can upload and preview an import"),
                    ("apply_import", "Can apply a previewed import"),
                    ("rollback_import", "Can roll back an applied import"),
                ],
                "verbose_name": "import",
                "verbose_name_plural": "imports",
            },
        ),
        migrations.RunPython(create_importer_group, remove_importer_group),
    ]
