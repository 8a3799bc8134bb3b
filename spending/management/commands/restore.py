from django.core.management.base import BaseCommand, CommandError

from spending.backup import restore_backup


class Command(BaseCommand):
    help = "Load a backup written by `backup` into an empty, migrated database (one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            restore_backup(file)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {file}.")
