from django.db import migrations, models


def copy_names(apps, schema_editor):
    """Fills the new name columns from the accounts that still exist."""
    ImportBatch = apps.get_model("spending", "ImportBatch")
    for key in ("created_by", "applied_by"):
        batches = ImportBatch.objects.filter(**{f"{key}__isnull": False}).select_related(key)
        for batch in batches.only("pk", f"{key}__username"):
            name = getattr(batch, key).username
            ImportBatch.objects.filter(pk=batch.pk).update(**{f"{key}_name": name})


class Migration(migrations.Migration):
    dependencies = [
        ("spending", "0007_answers_by_code_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="created_by_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name="importbatch",
            name="applied_by_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.RunPython(copy_names, migrations.RunPython.noop),
    ]
