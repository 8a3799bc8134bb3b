"""`manage.py backup` then `restore` into an empty database gives back every row identical."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from spending.importing import apply_batch, choose_edition, preview_upload
from spending.models import ImportBatch
from tests.spending.import_files import EXPORT_COLUMNS, csv_bytes, export_rows

KEPT_APPS = {"auth", "members", "spending"}
TRANSIENT = {"permission"}


def every_row():
    """Every row of every model the backup covers, by model, in primary-key order."""
    rows = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in KEPT_APPS and meta.model_name not in TRANSIENT:
            rows[meta.label] = list(model.objects.order_by("pk").values())
    rows["user groups"] = list(
        User.groups.through.objects.order_by("pk").values_list("user_id", "group_id")
    )
    rows["group permissions"] = sorted(
        Group.permissions.through.objects.values_list("group__name", "permission__codename")
    )
    return rows


def an_applied_import(user):
    rows = export_rows(iso3="POL")
    column = EXPORT_COLUMNS.index("military_personnel_k")
    for row in rows[1:]:
        if row[1] == 2024:
            row[column] = 250
    batch = preview_upload(csv_bytes(rows), "pol.csv", choose_edition("nato-2026"), user=user)
    return apply_batch(batch.pk, user=user)


@pytest.mark.parametrize("name", ["backup.xml", "backup.xml.gz"])
def test_a_backup_restored_into_an_empty_database_is_identical(nato_data, tmp_path, name):
    editor = User.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name="Figures importer")[0])
    an_applied_import(editor)
    before = every_row()
    assert before["spending.ImportChange"]
    assert before["spending.YearlyFigure"]

    path = tmp_path / name
    call_command("backup", str(path))
    call_command("flush", interactive=False, verbosity=0)
    assert every_row()["spending.YearlyFigure"] == []
    call_command("restore", str(path))

    assert every_row() == before
    assert User.objects.get(username="editor").check_password("a-long-password-1")


def test_restore_refuses_a_database_that_already_holds_data(nato_data, tmp_path):
    path = tmp_path / "backup.xml"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="already holds editions"):
        call_command("restore", str(path))


def test_a_backup_needs_an_xml_file_name(nato_data, tmp_path):
    with pytest.raises(CommandError, match="ends in .xml or .xml.gz"):
        call_command("backup", str(tmp_path / "backup.sql"))


def test_a_restored_history_still_names_an_importer_whose_account_was_deleted(nato_data, tmp_path):
    editor = User.objects.create_user("editor", password="a-long-password-1", is_staff=True)
    batch = an_applied_import(editor)
    editor.delete()
    before = every_row()

    path = tmp_path / "backup.xml"
    call_command("backup", str(path))
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(path))

    assert every_row() == before
    restored = ImportBatch.objects.get(pk=batch.pk)
    assert (restored.created_by_id, restored.created_by_name) == (None, "editor")
    assert restored.applied_by_name == "editor"
