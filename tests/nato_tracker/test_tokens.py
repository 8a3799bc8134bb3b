"""API tokens are stored hashed, expire, and die with the password they were made under."""

import hashlib
import importlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from nato_tracker.tokens import create_token
from spending.models import ImportBatch

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/imports/"


@pytest.fixture
def importer():
    user = User.objects.create_user("importer", password="a-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Figures importer"))
    return user


def get_import(token, pk=1):
    return Client().get(f"{IMPORT}{pk}/", HTTP_AUTHORIZATION=f"Token {token}")


def test_the_database_holds_a_digest_of_the_token_never_the_token(importer):
    _, token = create_token(importer)
    row = AuthToken.objects.get()
    stored = " ".join(str(value) for value in AuthToken.objects.values_list().get())

    assert token not in stored
    assert row.digest == hashlib.sha512(token.encode()).hexdigest()
    assert row.token_key == token[:15]


def test_a_token_expires_after_api_token_hours_by_default(importer, settings):
    before = timezone.now()
    row, _ = create_token(importer)
    assert before + timedelta(hours=7 * 24) <= row.expiry <= timezone.now() + timedelta(hours=168)


def test_a_valid_token_reaches_the_import_api(importer):
    _, token = create_token(importer)
    assert get_import(token).status_code == 404


def test_an_expired_token_is_refused_with_401_json(importer):
    row, token = create_token(importer)
    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - timedelta(seconds=1))

    response = get_import(token)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "Invalid token."
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.exists()


def test_a_made_up_token_is_refused_with_401_json():
    response = get_import("0" * 64)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


@pytest.mark.parametrize(
    "change",
    [
        lambda user: (user.set_password("another-long-password"), user.save()),
        lambda user: (
            user.set_password("a-third-long-password"),
            user.save(update_fields=["password"]),
        ),
    ],
    ids=["save", "save-password-only"],
)
def test_a_password_change_revokes_every_token_of_that_user_only(importer, change):
    _, first = create_token(importer)
    _, second = create_token(importer)
    other = User.objects.create_user("other", password="a-long-password-2")
    _, others = create_token(other)

    change(User.objects.get(pk=importer.pk))

    assert get_import(first).status_code == 401
    assert get_import(second).status_code == 401
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["other"]
    assert get_import(others).status_code == 403


def test_the_admin_password_form_revokes_the_tokens(importer):
    _, token = create_token(importer)
    root = User.objects.create_superuser("root", password="a-long-password-9")
    client = Client()
    client.force_login(root)
    response = client.post(
        f"/admin/auth/user/{importer.pk}/password/",
        {"password1": "a-brand-new-password", "password2": "a-brand-new-password"},
    )
    assert response.status_code == 302
    assert get_import(token).status_code == 401


def test_saving_a_user_without_changing_the_password_keeps_the_tokens(importer):
    _, token = create_token(importer)
    importer.first_name = "Ida"
    importer.save()
    importer.last_login = timezone.now()
    importer.save(update_fields=["last_login"])
    assert get_import(token).status_code == 404


def test_the_importer_permissions_still_hold_with_a_token(importer):
    reader = User.objects.create_user("reader", is_staff=True)
    _, token = create_token(reader)
    response = Client().post(IMPORT, {"edition": "nato-2026"}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403
    assert "Figures importer" in response.json()["detail"]
    assert not ImportBatch.objects.exists()


def test_the_command_prints_a_token_that_works_and_expires_when_asked(importer):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "importer", "--hours", "2", stdout=out, stderr=err)
    token = out.getvalue().strip()
    row = AuthToken.objects.get()

    assert get_import(token).status_code == 404
    assert (
        timedelta(hours=2) - timedelta(minutes=1)
        < row.expiry - timezone.now()
        <= timedelta(hours=2)
    )
    assert "valid until" in err.getvalue()


def test_the_command_names_an_unknown_user_and_a_bad_lifetime(importer):
    with pytest.raises(CommandError, match="No user named “nobody”"):
        call_command("create_api_token", "nobody")
    with pytest.raises(CommandError, match="--hours 0"):
        call_command("create_api_token", "importer", "--hours", "0")
    assert not AuthToken.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_drf_s_plain_text_token_table():
    migration = importlib.import_module("spending.migrations.0009_drop_plain_api_tokens")
    with connection.schema_editor() as editor:
        editor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY)")
        editor.execute("INSERT INTO authtoken_token VALUES ('plain-text-token')")
    with connection.schema_editor() as editor:
        migration.drop_plain_tokens(None, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
