"""Public pages are canonical and bounded: junk query strings are redirected, never rendered or
stored; an Authorization header does not skip the cache; anonymous page requests are
rate-limited per client; the throttle's counters live apart from the cache."""

import pytest
from django.core.cache import caches
from django.test import Client

from nato_tracker.cache import build_caches

pytestmark = pytest.mark.django_db


def stored_pages():
    return sum(1 for key in caches["default"]._cache if ":page:" in key)


def test_an_undocumented_parameter_is_a_301_to_the_canonical_url_without_a_render(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/?utm_source=feed&year=2024&sort=share")
    assert response.status_code == 301
    assert response["Location"] == "/?year=2024&sort=share"
    assert client.get("/members/POL/?x=1")["Location"] == "/members/POL/"
    assert client.get("/compare/?members=POL,DEU&members=FRA&ref=a")["Location"] == (
        "/compare/?members=POL,DEU,FRA"
    )


def test_a_repeated_parameter_is_redirected_to_its_one_value(client):
    assert client.get("/?year=2023&year=2024")["Location"] == "/?year=2024"


def test_a_junk_query_flood_does_not_grow_the_cache(client):
    assert client.get("/").status_code == 200
    before = stored_pages()
    statuses = {client.get(f"/?utm={n}").status_code for n in range(40)}
    assert statuses == {301}
    assert stored_pages() == before == 1


def test_documented_parameters_in_any_order_share_one_cached_page(
    client, django_assert_num_queries
):
    assert client.get("/?year=2024&sort=share").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/?sort=share&year=2024").status_code == 200
    assert stored_pages() == 1


def test_an_authorization_header_does_not_skip_the_page_cache(client, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(1):
        response = client.get("/", headers={"Authorization": "Bearer junk-1"})
    assert response.status_code == 200
    assert stored_pages() == 1


def test_anonymous_page_requests_are_rate_limited_per_client(settings):
    settings.PAGE_ANON_THROTTLE_RATE = "5/minute"
    flooder, other = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    # Cached hits and junk redirects count alike.
    statuses = [flooder.get("/").status_code for _ in range(3)]
    statuses += [flooder.get(f"/?utm={n}").status_code for n in range(2)]
    refused = flooder.get("/members/POL/")
    assert statuses == [200, 200, 200, 301, 301]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert other.get("/").status_code == 200


def test_throttle_counters_survive_the_cache_being_flushed_or_evicted(settings):
    settings.API_ANON_THROTTLE_RATE = "2/minute"
    client = Client(REMOTE_ADDR="198.51.100.3")
    assert [client.get("/api/v1/targets/").status_code for _ in range(3)] == [200, 200, 429]
    caches["default"].clear()  # what allkeys-lru would do to a page flood's victims
    assert client.get("/api/v1/targets/").status_code == 429


def test_with_redis_the_counters_go_to_another_database_or_their_own_server():
    caches_setting = build_caches("redis://cache:6379/0")
    assert caches_setting["default"]["LOCATION"] == "redis://cache:6379/0"
    assert caches_setting["throttle"]["LOCATION"] == "redis://cache:6379/1"
    assert caches_setting["throttle"]["KEY_PREFIX"] != caches_setting["default"]["KEY_PREFIX"]
    own = build_caches("redis://cache:6379/0", throttle_url="redis://counters:6379/0")
    assert own["throttle"]["LOCATION"] == "redis://counters:6379/0"


def test_compose_keeps_the_counters_in_a_redis_that_never_evicts():
    from tests.nato_tracker.test_deployment import SERVICES

    command = SERVICES["redis-throttle"]["command"]
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"
    assert SERVICES["web"]["environment"]["THROTTLE_REDIS_URL"] == ("redis://redis-throttle:6379/0")
