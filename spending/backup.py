"""Backup and restore of everything the app holds, portable between SQLite and PostgreSQL.

Editions, figures, aggregates, targets, breaks, stored answers, import history, users, groups
and permissions, as Django's XML serialisation (`dumpdata` with natural keys, so a dump loads
into a freshly migrated database of either engine; XML rather than JSON because Django's JSON
encoder cuts times to milliseconds, and a restore must give back every value identical).
Sessions, login attempts and the cache are left out: they are transient. For a large
PostgreSQL database use pg_dump / pg_restore (README).
"""

import gzip
from pathlib import Path

from django.core import management
from django.db import transaction

# Transient tables: rebuilt or expired by themselves, never worth restoring.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


SUFFIXES = (".xml", ".xml.gz")


def open_file(path, mode):
    path = Path(path)
    if not path.name.endswith(SUFFIXES):
        raise ValueError(f"{path.name}: a backup file's name ends in .xml or .xml.gz.")
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def write_backup(path):
    """Writes every row worth keeping to `path` (XML; gzipped when it ends in .gz)."""
    with open_file(path, "w") as out:
        management.call_command(
            "dumpdata",
            format="xml",
            exclude=EXCLUDED,
            natural_foreign=True,
            natural_primary=False,
            stdout=out,
        )


def restore_backup(path):
    """Loads a backup into a migrated database that holds no figures yet, in one transaction."""
    from django.contrib.auth.models import Group

    from spending.models import DataVersion, Edition

    if Edition.objects.exists():
        raise ValueError(
            "The database already holds editions: restore into an empty, migrated database "
            "(a fresh DATABASE_URL, `manage.py migrate`, then restore)."
        )
    with transaction.atomic():
        # The migrations made the importer group and the data version; the backup holds both.
        Group.objects.all().delete()
        DataVersion.objects.all().delete()
        management.call_command("loaddata", str(path), verbosity=0)
