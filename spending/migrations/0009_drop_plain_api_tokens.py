from django.db import migrations

PLAIN_TOKENS = "authtoken_token"


def drop_plain_tokens(apps, schema_editor):
    """Drops DRF's token table, left behind by `rest_framework.authtoken` (no longer installed).

    It holds every token as plain text; knox (nato_tracker/tokens.py) replaced it, so each user
    makes a new token once.
    """
    connection = schema_editor.connection
    if PLAIN_TOKENS in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(PLAIN_TOKENS)}")
        schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("spending", "0008_import_audit_names"),
    ]

    operations = [
        migrations.RunPython(drop_plain_tokens, migrations.RunPython.noop),
    ]
