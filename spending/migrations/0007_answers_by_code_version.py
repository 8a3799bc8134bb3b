# The stored answers are derived data: dropped here and stored again, keyed by the data and
# the code version, by the next write or `load_nato_data` (`make release`).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("spending", "0006_import_permissions"),
    ]

    operations = [
        migrations.DeleteModel(name="ProgressAnswer"),
        migrations.CreateModel(
            name="ProgressAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveBigIntegerField()),
                ("code_version", models.CharField(max_length=64)),
                ("edition", models.SlugField()),
                ("newest_edition", models.BooleanField()),
                ("row", models.TextField()),
                ("year", models.PositiveSmallIntegerField(null=True)),
                ("iso3", models.CharField(max_length=3)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["version", "code_version", "newest_edition", "year", "iso3"],
                        name="progress_answer_lookup",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "code_version", "edition", "year", "iso3"),
                        name="one_progress_row_per_member_and_year",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("year__isnull", True)),
                        fields=("version", "code_version", "edition", "iso3"),
                        name="one_newest_progress_row_per_member",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="AllianceAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveBigIntegerField()),
                ("code_version", models.CharField(max_length=64)),
                ("edition", models.SlugField()),
                ("newest_edition", models.BooleanField()),
                ("row", models.TextField()),
                ("year", models.PositiveSmallIntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "code_version", "edition", "year"),
                        name="one_alliance_row_per_year",
                    )
                ],
            },
        ),
    ]
