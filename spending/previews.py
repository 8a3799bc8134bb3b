"""Previews of uploads are kept for a while, not forever: they expire, are pruned, and each
user keeps a bounded number (settings IMPORT_PREVIEW_HOURS, IMPORT_MAX_PREVIEWS_PER_USER).

Only batches never applied are touched: an applied or rolled-back batch is the audit record.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from spending.models import ImportBatch

UNAPPLIED = (ImportBatch.State.PREVIEWED, ImportBatch.State.INVALID)


def expiry_cutoff(now=None):
    """The creation time before which a preview has expired."""
    return (now or timezone.now()) - timedelta(hours=settings.IMPORT_PREVIEW_HOURS)


def has_expired(batch, now=None):
    """True when an unapplied batch is older than IMPORT_PREVIEW_HOURS."""
    return batch.created_at < expiry_cutoff(now)


def prune_previews(now=None):
    """Deletes every expired preview never applied; returns how many."""
    deleted, _ = ImportBatch.objects.filter(
        status__in=UNAPPLIED, created_at__lt=expiry_cutoff(now)
    ).delete()
    return deleted


def keep_newest_previews(user):
    """Deletes a user's oldest unapplied previews past IMPORT_MAX_PREVIEWS_PER_USER."""
    if user is None:
        return 0
    stale = ImportBatch.objects.filter(created_by=user, status__in=UNAPPLIED).order_by(
        "-created_at", "-pk"
    )[settings.IMPORT_MAX_PREVIEWS_PER_USER :]
    deleted, _ = ImportBatch.objects.filter(
        pk__in=list(stale.values_list("pk", flat=True))
    ).delete()
    return deleted
