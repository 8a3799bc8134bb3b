from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_importer_group(sender, using="default", **kwargs):
    """Create the "Figures importer" group with the import permissions if it is missing.

    Migration 0006 creates it once; a flush (tests, a restore into an emptied database) removes
    it, and `post_migrate` also runs after a flush. An existing group is left as the operator
    set it."""
    from django.contrib.auth.models import Group, Permission

    from spending.access import IMPORTER_GROUP, IMPORTER_PERMISSIONS

    if Group.objects.using(using).filter(name=IMPORTER_GROUP).exists():
        return
    group = Group.objects.using(using).create(name=IMPORTER_GROUP)
    codenames = [name.split(".", 1)[1] for name in IMPORTER_PERMISSIONS]
    group.permissions.add(
        *Permission.objects.using(using).filter(
            content_type__app_label="spending", codename__in=codenames
        )
    )


class SpendingConfig(AppConfig):
    name = "spending"
    verbose_name = "Defence spending"

    def ready(self):
        # Runs after auth's own post_migrate handler, which creates the permissions.
        post_migrate.connect(ensure_importer_group, sender=self)
