import pytest

pytestmark = pytest.mark.django_db


def test_an_anonymous_client_over_the_rate_gets_429_with_retry_after(client, settings):
    settings.API_ANON_THROTTLE_RATE = "3/minute"

    statuses = [client.get("/api/v1/targets/").status_code for _ in range(3)]
    throttled = client.get("/api/v1/members/")

    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "throttled" in throttled.json()["detail"]


def test_clients_are_throttled_by_address(client, settings):
    settings.API_ANON_THROTTLE_RATE = "1/minute"

    first = client.get("/api/v1/targets/", REMOTE_ADDR="192.0.2.1")
    other = client.get("/api/v1/targets/", REMOTE_ADDR="192.0.2.2")
    again = client.get("/api/v1/targets/", REMOTE_ADDR="192.0.2.1")

    assert (first.status_code, other.status_code, again.status_code) == (200, 200, 429)


def test_a_forged_forwarded_for_header_does_not_dodge_the_limit(client, settings):
    settings.API_ANON_THROTTLE_RATE = "1/minute"

    first = client.get("/api/v1/targets/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    forged = client.get("/api/v1/targets/", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert (first.status_code, forged.status_code) == (200, 429)


def test_the_limit_counts_per_window_and_a_new_window_lets_the_client_in_again(
    client, settings, monkeypatch
):
    settings.API_ANON_THROTTLE_RATE = "2/minute"
    now = [1_000_040.0]  # 20 s into a minute
    monkeypatch.setattr("spending.api.throttling.AnonThrottle.timer", lambda self: now[0])

    inside = [client.get("/api/v1/targets/").status_code for _ in range(3)]
    throttled = client.get("/api/v1/targets/")
    now[0] += 40  # the next minute
    next_window = client.get("/api/v1/targets/")

    assert inside == [200, 200, 429]
    assert int(throttled["Retry-After"]) == 40
    assert next_window.status_code == 200


def test_without_a_cache_nothing_is_throttled_and_nothing_fails(client, settings):
    settings.API_ANON_THROTTLE_RATE = "1/minute"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    statuses = [client.get("/api/v1/targets/").status_code for _ in range(3)]

    assert statuses == [200, 200, 200]
