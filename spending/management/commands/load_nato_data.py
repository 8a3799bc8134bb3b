from django.core.management.base import BaseCommand

from spending import page_answers
from spending.importing import load_fixtures


class Command(BaseCommand):
    help = (
        "Load the shipped allies, targets and NATO editions (safe to run again), then store "
        "every page's maths this code has not stored yet."
    )

    def handle(self, *args, **options):
        for line in load_fixtures().lines():
            self.stdout.write(line)
        # Run by `make release`: no first visitor after a deploy waits for a page's maths.
        stored = page_answers.store_all()
        self.stdout.write(f"page answers: {stored} stored")
