from django.core.management.base import BaseCommand, CommandError

from spending.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write every edition, figure, aggregate, target, break, stored answer, import and user "
        "to FILE (.xml, or .xml.gz compressed); `restore` loads it into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            write_backup(file)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {file}.")
