from django.core.management.base import BaseCommand

from spending.previews import prune_previews


class Command(BaseCommand):
    help = "Delete upload previews never applied that are older than IMPORT_PREVIEW_HOURS."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {prune_previews()} expired previews.")
