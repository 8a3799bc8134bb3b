"""Each step of an import needs its own permission, in the admin and in the API; is_staff alone
grants nothing."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nato_tracker.tokens import create_token
from spending.importing import apply_batch
from spending.models import ImportBatch, YearlyFigure
from tests.spending.import_files import pol_2024_personnel

pytestmark = pytest.mark.django_db

ADMIN = "/admin/spending/importbatch/"
API = "/api/v1/imports/"


def upload(value="250"):
    return SimpleUploadedFile("pol.csv", pol_2024_personnel(value), content_type="text/csv")


def personnel():
    return YearlyFigure.objects.get(
        edition__slug="nato-2026", member__iso3="POL", year=2024
    ).military_personnel_k


def user_with(name, *codenames, staff=True):
    user = User.objects.create_user(name, is_staff=staff)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="spending", codename__in=codenames)
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def importer():
    user = User.objects.create_user("importer", is_staff=True)
    user.groups.add(Group.objects.get(name="Figures importer"))
    return user


@pytest.fixture
def previewed(importer):
    """A batch previewed by the importer, not applied."""
    client = Client()
    client.force_login(importer)
    client.post(f"{ADMIN}upload/", {"edition": "nato-2026", "file": upload()})
    return ImportBatch.objects.get()


@pytest.fixture
def applied(previewed, importer):
    return apply_batch(previewed.pk, user=importer)


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def api_client(user):
    _, token = create_token(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def test_the_migration_creates_the_importer_group_with_exactly_the_import_permissions():
    group = Group.objects.get(name="Figures importer")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "apply_import",
        "preview_import",
        "rollback_import",
        "view_importbatch",
    ]


def test_a_staff_user_without_the_permission_gets_403_on_each_admin_import_action(previewed):
    client = admin_client(User.objects.create_user("staff", is_staff=True))
    assert client.get(f"{ADMIN}upload/").status_code == 403
    assert (
        client.post(f"{ADMIN}upload/", {"edition": "nato-2026", "file": upload("1")}).status_code
        == 403
    )
    assert client.get(f"{ADMIN}{previewed.pk}/preview/").status_code == 403
    assert client.post(f"{ADMIN}{previewed.pk}/apply/").status_code == 403
    assert personnel() == 216.9
    apply_batch(previewed.pk, user=None)
    assert client.post(f"{ADMIN}{previewed.pk}/rollback/").status_code == 403
    assert personnel() == 250
    assert ImportBatch.objects.count() == 1
    # Not even the list: the admin index offers nothing from imports.
    assert client.get(ADMIN).status_code == 403


def test_a_staff_user_without_the_permission_gets_403_on_each_api_import_action(previewed):
    client = api_client(User.objects.create_user("staff", is_staff=True))
    assert (
        client.post(f"{API}?dry_run=1", {"edition": "nato-2026", "file": upload("1")}).status_code
        == 403
    )
    assert client.post(API, {"edition": "nato-2026", "file": upload("1")}).status_code == 403
    assert client.get(f"{API}{previewed.pk}/").status_code == 403
    response = client.post(f"{API}{previewed.pk}/apply/")
    assert response.status_code == 403
    assert "Figures importer" in response.json()["detail"]
    assert personnel() == 216.9
    apply_batch(previewed.pk, user=None)
    assert client.post(f"{API}{previewed.pk}/rollback/").status_code == 403
    assert personnel() == 250
    assert ImportBatch.objects.count() == 1


def test_a_user_who_may_only_preview_cannot_apply_or_roll_back(previewed):
    previewer = user_with("previewer", "preview_import", "view_importbatch")
    client = admin_client(previewer)
    assert client.get(f"{ADMIN}upload/").status_code == 200
    html = client.get(f"{ADMIN}{previewed.pk}/preview/").content.decode()
    assert "Confirm and apply" not in html
    assert "apply-form" not in html
    assert client.post(f"{ADMIN}{previewed.pk}/apply/").status_code == 403
    api = api_client(previewer)
    response = api.post(f"{API}?dry_run=1", {"edition": "nato-2026", "file": upload("260")})
    assert response.status_code == 200
    # Without dry_run a POST also applies: refused, and no batch is stored.
    assert api.post(API, {"edition": "nato-2026", "file": upload("270")}).status_code == 403
    assert api.post(f"{API}{previewed.pk}/apply/").status_code == 403
    assert personnel() == 216.9
    assert ImportBatch.objects.count() == 2


def test_a_user_who_may_apply_but_not_roll_back_is_refused_the_rollback(previewed):
    applier = user_with("applier", "apply_import", "view_importbatch")
    assert api_client(applier).post(f"{API}{previewed.pk}/apply/").status_code == 201
    assert personnel() == 250
    assert admin_client(applier).post(f"{ADMIN}{previewed.pk}/rollback/").status_code == 403
    assert api_client(applier).post(f"{API}{previewed.pk}/rollback/").status_code == 403
    assert personnel() == 250


def test_the_permissions_work_without_staff_status_in_the_api_but_the_admin_needs_staff(applied):
    roller = user_with("roller", "rollback_import", staff=False)
    response = admin_client(roller).post(f"{ADMIN}{applied.pk}/rollback/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert personnel() == 250
    assert api_client(roller).post(f"{API}{applied.pk}/rollback/").status_code == 201
    assert personnel() == 216.9


def test_a_member_of_the_importer_group_does_every_step(importer, previewed):
    client = admin_client(importer)
    assert "Import figures" in client.get(ADMIN).content.decode()
    client.post(f"{ADMIN}{previewed.pk}/apply/")
    assert personnel() == 250
    client.post(f"{ADMIN}{previewed.pk}/rollback/")
    assert personnel() == 216.9


def test_an_inactive_importer_is_refused(importer, previewed):
    _, token = create_token(importer)
    importer.is_active = False
    importer.save()
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post(f"{API}{previewed.pk}/apply/").status_code in (401, 403)
    assert personnel() == 216.9


def test_a_flushed_database_gets_the_importer_group_back_after_migrate():
    from django.core.management.sql import emit_post_migrate_signal

    Group.objects.filter(name="Figures importer").delete()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    group = Group.objects.get(name="Figures importer")
    assert sorted(group.permissions.values_list("codename", flat=True)) == [
        "apply_import",
        "preview_import",
        "rollback_import",
        "view_importbatch",
    ]


def test_an_operators_changes_to_the_importer_group_are_kept_by_a_migrate():
    from django.core.management.sql import emit_post_migrate_signal

    group = Group.objects.get(name="Figures importer")
    group.permissions.remove(Permission.objects.get(codename="rollback_import"))
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "rollback_import" not in group.permissions.values_list("codename", flat=True)
