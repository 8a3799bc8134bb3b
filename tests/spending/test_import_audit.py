"""The import history names who uploaded, applied and rolled back, also once the account is gone."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from spending.importing import apply_batch, choose_edition, preview_upload, rollback_batch
from spending.models import ImportBatch
from tests.spending.import_files import pol_2024_personnel

pytestmark = pytest.mark.django_db

ADMIN = "/admin/spending/importbatch/"


def importer(name):
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name="Figures importer"))
    return user


@pytest.fixture
def history():
    """Alice uploads, Bob applies, Carol rolls back; returns (upload, rollback)."""
    alice, bob, carol = importer("alice"), importer("bob"), importer("carol")
    batch = preview_upload(
        pol_2024_personnel(250), "pol.csv", choose_edition("nato-2026"), user=alice
    )
    apply_batch(batch.pk, user=bob)
    undo = rollback_batch(batch.pk, user=carol)
    return ImportBatch.objects.get(pk=batch.pk), ImportBatch.objects.get(pk=undo.pk)


def test_each_step_records_the_name_of_who_did_it(history):
    upload, undo = history
    assert (upload.created_by_name, upload.applied_by_name) == ("alice", "bob")
    assert (undo.created_by_name, undo.applied_by_name) == ("carol", "carol")
    assert upload.rolled_back_by == undo


def test_deleting_the_accounts_keeps_the_names_and_empties_the_keys(history):
    User.objects.filter(username__in=["alice", "bob", "carol"]).delete()
    upload, undo = (ImportBatch.objects.get(pk=b.pk) for b in history)

    assert (upload.created_by_id, upload.applied_by_id, undo.created_by_id) == (None, None, None)
    assert (upload.created_by_name, upload.applied_by_name) == ("alice", "bob")
    assert undo.created_by_name == "carol"
    assert upload.uploaded_by == "alice (account deleted)"
    assert upload.confirmed_by == "bob (account deleted)"


def test_the_admin_names_a_deleted_uploader_and_applier(history):
    upload, undo = history
    User.objects.filter(username__in=["alice", "bob", "carol"]).delete()
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="a-long-password-1"))

    page = client.get(f"{ADMIN}{upload.pk}/preview/").content.decode()
    assert "by alice (account deleted)" in page
    assert "by bob (account deleted)" in page
    listing = client.get(ADMIN).content.decode()
    assert "alice (account deleted)" in listing
    assert "carol (account deleted)" in listing


def test_the_admin_names_a_live_account_plainly_and_a_command_line_import_as_such(history):
    upload, _ = history
    assert upload.uploaded_by == "alice"
    anonymous = preview_upload(pol_2024_personnel(260), "pol.csv", choose_edition("nato-2026"))
    assert (anonymous.created_by_name, anonymous.uploaded_by) == ("", "the command line")


def test_a_renamed_account_keeps_the_name_it_acted_under(history):
    upload, _ = history
    alice = User.objects.get(username="alice")
    alice.username = "alice.smith"
    alice.save()
    upload.status = ImportBatch.State.APPLIED
    upload.save(update_fields=["status"])
    assert ImportBatch.objects.get(pk=upload.pk).created_by_name == "alice"


def test_a_partial_save_that_sets_the_applier_also_stores_the_name():
    alice = importer("alice")
    batch = preview_upload(pol_2024_personnel(250), "pol.csv", choose_edition("nato-2026"))
    batch.applied_by = alice
    batch.save(update_fields=["applied_by"])
    assert ImportBatch.objects.get(pk=batch.pk).applied_by_name == "alice"
