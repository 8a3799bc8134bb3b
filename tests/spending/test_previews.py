"""Previews expire (applying an expired one is refused), are pruned, and each user keeps a
bounded number of them; applied batches, the audit record, are never touched."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from spending.importing import ImportRefused, apply_batch, choose_edition, preview_upload
from spending.models import ImportBatch, YearlyFigure
from tests.spending.import_files import pol_2024_personnel

pytestmark = pytest.mark.django_db


def preview(value="250", user=None):
    return preview_upload(
        pol_2024_personnel(value), "pol.csv", choose_edition("nato-2026"), user=user
    )


def age(batch, hours):
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - timedelta(hours=hours)
    )


def personnel():
    return YearlyFigure.objects.get(
        edition__slug="nato-2026", member__iso3="POL", year=2024
    ).military_personnel_k


def test_a_preview_older_than_24_hours_cannot_be_applied():
    batch = preview()
    age(batch, 24.1)
    with pytest.raises(ImportRefused, match="more than 24 hours old and has expired"):
        apply_batch(batch.pk)
    assert personnel() == 216.9


def test_a_preview_inside_the_window_can_be_applied():
    batch = preview()
    age(batch, 23.9)
    apply_batch(batch.pk)
    assert personnel() == 250


def test_the_expiry_is_configurable(settings):
    settings.IMPORT_PREVIEW_HOURS = 1
    batch = preview()
    age(batch, 1.1)
    with pytest.raises(ImportRefused, match="more than 1 hours old"):
        apply_batch(batch.pk)


def test_expired_previews_are_pruned_at_the_next_upload_but_applied_ones_stay():
    applied = preview("240")
    apply_batch(applied.pk)
    old = preview("260")
    age(old, 25)
    age(applied, 25)
    fresh = preview("270")
    assert set(ImportBatch.objects.values_list("pk", flat=True)) == {applied.pk, fresh.pk}


def test_the_prune_command_deletes_only_expired_unapplied_previews(capsys):
    keep, gone = preview("250"), preview("260")
    age(gone, 30)
    call_command("prune_previews")
    assert "Deleted 1 expired previews." in capsys.readouterr().out
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [keep.pk]


def test_each_user_keeps_at_most_the_limit_of_unapplied_previews(settings):
    settings.IMPORT_MAX_PREVIEWS_PER_USER = 3
    editor, other = User.objects.create_user("editor"), User.objects.create_user("other")
    mine = [preview(str(200 + n), user=editor) for n in range(5)]
    theirs = preview("300", user=other)
    kept = set(ImportBatch.objects.filter(created_by=editor).values_list("pk", flat=True))
    assert kept == {batch.pk for batch in mine[-3:]}
    assert ImportBatch.objects.filter(pk=theirs.pk).exists()
