"""The site's own 404, 500 and 503 pages: its header on each, DEBUG on or off, and the reason
kept (an unknown ally names its code)."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from nato_tracker import urls as project_urls
from nato_tracker.health import database_unavailable_response

pytestmark = pytest.mark.django_db

HEADER = '<header class="site-header">'


def broken(request):
    raise RuntimeError("a bug with a secret in it")


urlpatterns = [path("broken/", broken), *project_urls.urlpatterns]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_an_unknown_ally_is_a_404_with_the_header_naming_the_code(client, debug):
    response = client.get("/members/XXX/")
    assert response.status_code == 404
    body = response.content.decode()
    assert HEADER in body
    assert "No NATO member has the ISO3 code &#x27;XXX&#x27;." in body
    assert "Traceback" not in body
    assert "URLconf" not in body


def test_a_path_matching_nothing_is_a_404_with_the_header_naming_the_path(client, debug):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert HEADER in body
    assert "There is no page at /no-such-page/." in body
    assert "URLconf" not in body


def test_a_missing_slash_still_redirects(client, debug):
    response = client.get("/compare")
    assert response.status_code == 301
    assert response["Location"] == "/compare/"


def test_an_unknown_path_under_the_api_stays_json(client, debug):
    response = client.get("/api/v1/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.urls("tests.nato_tracker.test_error_pages")
def test_a_500_has_the_header_and_no_traceback(debug):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert HEADER in body
    assert "Something went wrong on our side" in body
    assert "secret" not in body


def test_the_503_page_has_the_header(rf):
    response = database_unavailable_response(rf.get("/"), OperationalError("gone"))
    assert response.status_code == 503
    body = response.content.decode()
    assert HEADER in body
    assert "The database is unreachable" in body
