import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from nato_tracker.health import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def test_readyz_answers_200_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_readyz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert response.headers["Retry-After"] == "30"


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize("path", ["/", "/members/POL/"])
def test_a_page_answers_503_in_html_when_the_database_is_down(client, monkeypatch, path, error):
    def fail(*args, **kwargs):
        raise error("server closed the connection unexpectedly")

    # The first query each page runs (the overview reads its stored answer first).
    monkeypatch.setattr("spending.models.EditionQuerySet.newest", fail)
    monkeypatch.setattr("spending.models.DataVersion.current", fail)
    monkeypatch.setattr("nato_tracker.pagecache.wants_cached_page", lambda request: False)
    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "The database is unreachable" in response.content.decode()
    assert response.headers["Cache-Control"] == "no-store"


def test_an_api_request_answers_503_in_json_when_the_database_is_down():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/api/v1/progress/")
    response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["code"] == "database_unavailable"
    assert "database is unreachable" in body["detail"]


def test_other_errors_are_left_to_django():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ValueError("a bug")) is None


def test_the_page_cache_lookup_answers_503_when_the_database_is_down(client, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("nato_tracker.answercache.stamp_from_database", fail)
    response = client.get("/")
    assert response.status_code == 503
    assert "The database is unreachable" in response.content.decode()


def test_connections_are_reused_and_health_checked_so_a_restarted_database_is_picked_up(settings):
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] > 0
