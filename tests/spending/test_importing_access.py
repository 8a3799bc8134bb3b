"""Who may import, through which door, and that the upload's content is never rendered raw."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import Client

from nato_tracker.tokens import create_token
from spending.models import ImportBatch, YearlyFigure
from tests.spending.import_files import (
    csv_bytes,
    dump_figures,
    pol_2024_personnel,
)

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/spending/importbatch/upload/"
API_URL = "/api/v1/imports/"


def upload(content, name="pol.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def staff_user():
    user = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Figures importer"))
    return user


@pytest.fixture
def staff_token(staff_user):
    return create_token(staff_user)[1]


def test_anonymous_and_non_staff_users_get_the_login_page_not_the_import_page(client):
    assert client.get(UPLOAD_URL).status_code == 302
    User.objects.create_user("reader", password="pw-reader-1")
    client.login(request=HttpRequest(), username="reader", password="pw-reader-1")
    response = client.post(UPLOAD_URL, {"edition": "nato-2026", "file": upload(b"x")})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not ImportBatch.objects.exists()


def test_the_admin_upload_refuses_a_post_without_its_csrf_token(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    response = client.post(
        UPLOAD_URL, {"edition": "nato-2026", "file": upload(pol_2024_personnel("250"))}
    )
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_staff_member_uploads_previews_confirms_and_rolls_back_in_the_admin(
    client, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    assert client.get(UPLOAD_URL).status_code == 200
    response = client.post(
        UPLOAD_URL, {"edition": "nato-2026", "file": upload(pol_2024_personnel("250"))}
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/admin/spending/importbatch/{batch.pk}/preview/"
    # 8, plus the session save that renews the idle timeout on every request.
    with django_assert_max_num_queries(10):
        html = client.get(response["Location"]).content.decode()
    assert "0 new, 1 changed, 12 unchanged, 0 errors" in html
    assert "216.9</span> → 250.0" in html
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 216.9
    )

    client.post(f"/admin/spending/importbatch/{batch.pk}/apply/")
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 250
    )
    html = client.get(f"/admin/spending/importbatch/{batch.pk}/preview/").content.decode()
    assert "Roll back this import" in html

    response = client.post(f"/admin/spending/importbatch/{batch.pk}/rollback/")
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 216.9
    )
    html = client.get(response["Location"]).content.decode()
    assert "rollback of #" in html
    assert "Values restored" in html
    assert client.get("/admin/spending/importbatch/").status_code == 200


def test_a_confirm_by_get_writes_nothing(client, staff_user):
    client.force_login(staff_user)
    client.post(UPLOAD_URL, {"edition": "nato-2026", "file": upload(pol_2024_personnel("250"))})
    batch = ImportBatch.objects.get()
    assert client.get(f"/admin/spending/importbatch/{batch.pk}/apply/").status_code == 405
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 216.9
    )


def test_hostile_cell_content_is_escaped_in_the_preview(client, staff_user):
    client.force_login(staff_user)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    content = csv_bytes(
        [
            ["iso3", "year", "status", hostile],
            [hostile, "2024", "actual", "1"],
            ["POL", "2024", "actual", hostile],
        ]
    )
    client.post(UPLOAD_URL, {"edition": "nato-2026", "file": upload(content, "x<b>.csv")})
    batch = ImportBatch.objects.get()
    html = client.get(f"/admin/spending/importbatch/{batch.pk}/preview/").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "x&lt;b&gt;.csv" in html


def test_the_api_refuses_anonymous_and_non_staff_callers():
    before = dump_figures()
    client = Client()
    response = client.post(API_URL, {"edition": "nato-2026", "file": upload(b"x")})
    assert response.status_code == 401
    reader = User.objects.create_user("reader")
    _, key = create_token(reader)
    response = client.post(
        API_URL,
        {"edition": "nato-2026", "file": upload(pol_2024_personnel("250"))},
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 403
    assert dump_figures() == before


def test_the_api_dry_run_previews_and_a_plain_post_applies(staff_token):
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Token {staff_token}"}
    response = client.post(
        f"{API_URL}?dry_run=1",
        {"edition": "nato-2026", "file": upload(pol_2024_personnel("250"))},
        **auth,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "previewed"
    assert body["counts"]["changed"] == 1
    assert body["rows"][0]["fields"]["military_personnel_k"] == [216.9, 250.0]
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 216.9
    )
    assert len(response.content) < 5_000

    response = client.post(f"{API_URL}{body['id']}/apply/", **auth)
    assert response.status_code == 201
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 250
    )
    assert client.post(f"{API_URL}{body['id']}/apply/", **auth).status_code == 409

    response = client.post(
        API_URL, {"edition": "nato-2026", "file": upload(pol_2024_personnel("260"))}, **auth
    )
    assert response.status_code == 201
    assert response.json()["status"] == "applied"
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 260
    )
    response = client.post(f"{API_URL}{response.json()['id']}/rollback/", **auth)
    assert response.status_code == 201
    assert (
        YearlyFigure.objects.get(
            edition__slug="nato-2026", member__iso3="POL", year=2024
        ).military_personnel_k
        == 250
    )


def test_the_api_returns_every_error_with_400_and_writes_nothing(staff_token):
    before = dump_figures()
    content = csv_bytes([["iso3", "year", "status"], ["XXX", "2024", "actual"], ["ISL", "1", "x"]])
    response = Client().post(
        API_URL,
        {"edition": "nato-2026", "file": upload(content)},
        HTTP_AUTHORIZATION=f"Token {staff_token}",
    )
    assert response.status_code == 400
    messages = [m["message"] for m in response.json()["messages"]]
    assert "Line 2, column iso3: “XXX” is not a NATO member" in messages
    assert len(messages) == 3
    assert dump_figures() == before
    response = Client().post(
        API_URL,
        {"edition": "no-such-edition", "file": upload(content)},
        HTTP_AUTHORIZATION=f"Token {staff_token}",
    )
    assert response.status_code == 400
    assert "give a title" in response.json()["errors"]["edition"][0]
