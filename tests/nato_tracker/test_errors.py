"""Every error in its place's format: JSON under /api/ (500 included), and a NUL byte or an
integer out of range is a 400 naming the parameter, on SQLite and PostgreSQL alike."""

import pytest
from django.test import Client
from django.urls import path

from nato_tracker import urls as project_urls

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/broken/", broken),
    path("broken/", broken),
    *project_urls.urlpatterns,
]
handler500 = project_urls.handler500


@pytest.fixture
def lenient_client():
    """A client that gets the 500 response instead of the exception."""
    return Client(raise_request_exception=False)


@pytest.mark.urls("tests.nato_tracker.test_errors")
def test_a_500_under_the_api_is_json_with_the_request_id(lenient_client):
    response = lenient_client.get("/api/v1/broken/", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["request_id"] == "req-500"
    assert "a bug" not in response.content.decode()


@pytest.mark.urls("tests.nato_tracker.test_errors")
def test_a_500_on_a_page_stays_html(lenient_client):
    response = lenient_client.get("/broken/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("endpoint", ["figures", "progress"])
@pytest.mark.parametrize("page", ["9223372036854775807", "9223372036854775808", "1000001"])
def test_a_page_number_past_any_integer_is_a_400_naming_page(client, endpoint, page):
    response = client.get(f"/api/v1/{endpoint}/?page={page}")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["parameter"], error["message"]) == ("page", "out of range")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/figures/?edition=nato%002026", "edition"),
        ("/api/v1/figures/?member=POL&year_min=20%0024", "year_min"),
        ("/api/v1/progress/?member=PO%00L", "member"),
        ("/api/v1/members/POL/history/?metric=defence%00", "metric"),
        ("/api/v1/members/PO%00L/", "path"),
        ("/api/v1/figu%00res/", "path"),
    ],
)
def test_a_nul_byte_under_the_api_is_a_400_json_naming_where(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["errors"][0]["parameter"] == parameter
    assert body["errors"][0]["message"] == "contains a NUL byte"
    assert parameter in body["detail"]


@pytest.mark.parametrize("url", ["/?utm=%00", "/members/PO%00L/", "/compare/?members=POL%00"])
def test_a_nul_byte_on_a_page_is_a_plain_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "NUL byte" in response.content.decode()


def test_a_nul_byte_in_a_parameter_name_is_refused_too(client):
    response = client.get("/api/v1/figures/?ed%00ition=x")
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "ed\\x00ition"


@pytest.fixture
def csrf_client():
    """A logged-in browser session that checks CSRF, as a real one does."""
    from django.contrib.auth.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_user("editor", is_staff=True))
    return client


@pytest.mark.parametrize("url", ["/api/v1/imports/", "/api/v1/no-such-thing/"])
def test_a_failed_csrf_check_under_the_api_is_a_403_json(csrf_client, url):
    response = csrf_client.post(url)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "CSRF" in response.json()["detail"]


def test_a_failed_csrf_check_on_a_page_stays_html(csrf_client):
    response = csrf_client.post("/admin/spending/importbatch/upload/")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
