from django.core.management.base import BaseCommand

from spending.importing import load_fixtures


class Command(BaseCommand):
    help = "Load the shipped allies, targets and NATO editions (safe to run again)."

    def handle(self, *args, **options):
        for line in load_fixtures().lines():
            self.stdout.write(line)
