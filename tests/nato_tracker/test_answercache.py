"""The data version kept in the cache: a warm hit and a 304 cost no database query, and no
reader ever serves an answer older than the version it is served for."""

import socket

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from nato_tracker import answercache
from nato_tracker.cache import TolerantRedisCache, build_caches
from spending.models import DataVersion, YearlyFigure
from spending.writes import record_write

pytestmark = pytest.mark.django_db

API = "/api/v1/figures/?member=POL&year=2025"
PAGE = "/members/POL/"


@pytest.fixture(autouse=True)
def _version_in_the_cache(settings):
    settings.DATA_VERSION_CACHE_SECONDS = 60
    settings.PAGE_CACHE_SECONDS = 600
    settings.API_ANON_THROTTLE_RATE = "100000/minute"


def polish_defence_2025():
    return YearlyFigure.objects.get(
        edition__slug="nato-2026", member__iso3="POL", year=2025
    ).defence_usd_const2021_m


@pytest.mark.parametrize("url", [API, "/api/v1/progress/", PAGE, "/"])
def test_a_warm_hit_costs_no_query(client, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", [API, PAGE])
def test_a_revalidation_costs_no_query(client, url, django_assert_num_queries):
    etag = client.get(url)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag


def test_without_a_cached_version_the_database_is_asked_once_and_the_version_kept(
    client, django_assert_num_queries
):
    client.get(API)
    cache.delete(answercache.VERSION_KEY)
    with django_assert_num_queries(1):
        client.get(API)
    assert cache.get(answercache.VERSION_KEY) == DataVersion.current()
    with django_assert_num_queries(0):
        client.get(API)


def test_the_new_version_reaches_the_cache_only_after_the_commit(
    django_capture_on_commit_callbacks,
):
    old = answercache.data_stamp()
    with django_capture_on_commit_callbacks() as callbacks:
        record_write()
        # Before the commit no reader finds a version in the cache: it asks the database,
        # which (outside this transaction) still holds the old one.
        assert cache.get(answercache.VERSION_KEY) is None
    for callback in callbacks:
        callback()
    new = cache.get(answercache.VERSION_KEY)
    assert new == DataVersion.current()
    assert new[0] == old[0] + 1


def test_a_slow_reader_never_puts_back_the_version_a_write_replaced(
    django_capture_on_commit_callbacks,
):
    read_before_the_write = answercache.stamp_from_database()
    with django_capture_on_commit_callbacks(execute=True):
        record_write()
    answercache.remember_stamp(read_before_the_write)
    assert cache.get(answercache.VERSION_KEY) == DataVersion.current()
    assert cache.get(answercache.VERSION_KEY)[0] == read_before_the_write[0] + 1


def test_an_answer_built_while_a_write_commits_is_never_served_for_the_new_version(
    client, django_capture_on_commit_callbacks
):
    request = RequestFactory().get(API)
    old = client.get(API)
    # A reader holds the old stamp when the write commits...
    slow_reader = answercache.Lookup(request, "api:v1", "the representation")
    YearlyFigure.objects.filter(edition__slug="nato-2026", member__iso3="POL", year=2025).update(
        defence_usd_const2021_m=40000.0
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_write()
    # ...and stores what it built under that old stamp, after the write.
    slow_reader.store(HttpResponse(b"built by the slow reader"), ["Content-Type"], 60)

    reader = answercache.Lookup(request, "api:v1", "the representation")
    assert reader.version == slow_reader.version + 1
    assert reader.stored() is None
    new = client.get(API, HTTP_IF_NONE_MATCH=old["ETag"])
    assert new.status_code == 200
    assert new.json()["results"][0]["defence_usd_const2021_m"] == polish_defence_2025() == 40000


def test_a_write_is_visible_at_once_on_the_api_and_the_pages(
    client, django_capture_on_commit_callbacks
):
    api, page = client.get(API), client.get(PAGE)
    YearlyFigure.objects.filter(edition__slug="nato-2026", member__iso3="POL", year=2025).update(
        defence_usd_const2021_m=40000.0
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_write()
    assert client.get(API, HTTP_IF_NONE_MATCH=api["ETag"]).status_code == 200
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 200
    assert client.get(PAGE)["ETag"] != page["ETag"]


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_with_redis_down_the_version_and_answers_come_from_the_database(
    client, monkeypatch, django_assert_num_queries
):
    config = build_caches(f"redis://127.0.0.1:{closed_port()}/0")["default"]
    monkeypatch.setattr(answercache, "cache", TolerantRedisCache(config["LOCATION"], config))
    expected = polish_defence_2025()
    for _ in range(2):
        response = client.get(API)
        assert response.status_code == 200
        assert response.json()["results"][0]["defence_usd_const2021_m"] == expected
    version, _ = DataVersion.current()
    assert response["ETag"].startswith(f'"{version}-')
