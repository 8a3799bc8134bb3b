from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from spending.importing import (
    VALUE_FIELDS,
    ImportRefused,
    apply_batch,
    choose_edition,
    preview_upload,
)
from spending.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Import yearly figures from a CSV or XLSX file (wide, long or NATO table layout; NATO's "
        "workbook whole, every sheet and block) into an edition: previews, and applies unless "
        "--dry-run. Nothing is written if anything is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--edition", required=True, help="slug of the edition to write to")
        parser.add_argument("--new-edition-title", default="", help="create the edition")
        parser.add_argument("--cutoff-on", type=date.fromisoformat, help="new edition's cut-off")
        parser.add_argument("--published-on", type=date.fromisoformat)
        parser.add_argument("--publisher", default="")
        parser.add_argument("--price-base-year", type=int, default=2021)
        parser.add_argument("--url", default="")
        parser.add_argument("--sheet", help="XLSX: read this sheet only (default: every sheet)")
        parser.add_argument(
            "--metric",
            choices=VALUE_FIELDS,
            help="odd files only: the metric of a one-block NATO table whose titles name none",
        )
        parser.add_argument("--dry-run", action="store_true", help="preview only")
        parser.add_argument(
            "--accept-implausible",
            action="store_true",
            help="apply values flagged implausible (3x or more off) after checking them",
        )
        parser.add_argument("--user", help="username recorded as the uploader")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            choice = choose_edition(
                options["edition"],
                title=options["new_edition_title"],
                cutoff_on=options["cutoff_on"],
                published_on=options["published_on"],
                publisher=options["publisher"],
                price_base_year=options["price_base_year"],
                url=options["url"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        batch = preview_upload(
            path.read_bytes(),
            path.name,
            choice,
            user=user,
            sheet=options["sheet"],
            metric=options["metric"],
        )
        for block in batch.preview.get("blocks", []):
            self.stdout.write(describe_block(block))
        for message in batch.preview["messages"]:
            self.stderr.write(f"{message['level']}: {message['message']}")
        for flag in batch.preview.get("implausible", []):
            self.stderr.write(f"implausible: {flag['text']}")
        counts = batch.counts
        summary = (
            f"{counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged, "
            f"{counts['errors']} errors, {counts['warnings']} warnings"
        )
        if batch.status == ImportBatch.State.INVALID:
            raise CommandError(f"Import #{batch.pk} refused, nothing written: {summary}.")
        if options["dry_run"]:
            self.stdout.write(f"Import #{batch.pk} previewed, nothing written: {summary}.")
            return
        try:
            apply_batch(batch.pk, user=user, acknowledge_implausible=options["accept_implausible"])
        except ImportRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            f"Import #{batch.pk} applied to edition {batch.edition_slug}: {summary} "
            f"({counts['values_written']} values written)."
        )


def describe_block(block):
    """One line per NATO table block read: sheet, rows, metric, unit, years, allies, values."""
    if not block["metric"]:
        return f"sheet {block['sheet']}: {block['note']}"
    estimates = f" ({block['estimates']} estimates)" if block["estimates"] else ""
    aggregates = f" + {block['aggregates']} aggregates" if block["aggregates"] else ""
    return (
        f"sheet {block['sheet']}, rows {block['rows']}: {block['metric']} ({block['unit']}), "
        f"{block['years']}{estimates}, {block['allies']} allies{aggregates}, "
        f"{block['values']} values"
    )
