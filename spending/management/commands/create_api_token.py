from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from nato_tracker.tokens import create_token


class Command(BaseCommand):
    help = (
        "Make an API token for a user and print it (only its digest is stored, so it cannot be "
        "shown again). It expires after API_TOKEN_HOURS, or --hours."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--hours", type=int, help="Lifetime in hours (API_TOKEN_HOURS).")

    def handle(self, *args, username, hours, **options):
        if hours is not None and hours < 1:
            raise CommandError(f"--hours {hours}: a token lives 1 hour or more.")
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named “{username}”.") from None
        row, token = create_token(user, hours=hours)
        self.stderr.write(f"Token for {username}, valid until {row.expiry:%Y-%m-%d %H:%M %Z}:")
        self.stdout.write(token)
