import logging
import os
import socket
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache

from nato_tracker.cache import TolerantRedisCache, build_caches

LOCAL_REDIS = ("127.0.0.1", 6379)
# Database 5 and a per-run prefix: never collides with other users of the machine's Redis.
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/5"


def closed_port():
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_cache(url):
    config = build_caches(url)["default"]
    params = {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    return TolerantRedisCache(config["LOCATION"], params)


def redis_is_up():
    try:
        with socket.create_connection(LOCAL_REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize(
    ("url", "enabled", "backend"),
    [
        ("", True, "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://redis:6379/0", True, "nato_tracker.cache.TolerantRedisCache"),
        ("redis://redis:6379/0", False, "django.core.cache.backends.dummy.DummyCache"),
        ("", False, "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_the_cache_backend_follows_redis_url_and_the_switch(url, enabled, backend):
    assert build_caches(url, enabled=enabled)["default"]["BACKEND"] == backend


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="REDIS_URL is set")
def test_without_redis_url_the_settings_use_local_memory():
    from django.core.cache import caches

    assert isinstance(caches["default"], LocMemCache)


def test_with_redis_unreachable_reads_miss_and_writes_are_dropped_without_errors(caplog):
    cache = make_cache(f"redis://127.0.0.1:{closed_port()}/0")
    with caplog.at_level(logging.WARNING, logger="nato_tracker.cache"):
        cache.set("answer", 42)
        assert cache.get("answer") is None
        assert cache.get("answer", "fallback") == "fallback"
        assert cache.get_many(["answer", "other"]) == {}
        assert cache.add("answer", 1) is False
        assert cache.delete("answer") is False
        assert cache.has_key("answer") is False
        assert cache.get_or_set("computed", lambda: "fresh") == "fresh"
        cache.set_many({"a": 1})
        cache.delete_many(["a"])
        cache.clear()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings, "a Redis outage must be logged"
    assert "cache unavailable" in warnings[0].getMessage()


def test_with_redis_unreachable_incr_behaves_like_a_missing_key():
    cache = make_cache(f"redis://127.0.0.1:{closed_port()}/0")
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")


@pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_with_the_local_redis_values_round_trip():
    cache = make_cache(LOCAL_REDIS_URL)
    try:
        cache.set("answer", {"value": 42}, timeout=30)
        assert cache.get("answer") == {"value": 42}
        assert cache.get_or_set("other", lambda: "computed", timeout=30) == "computed"
        assert cache.get("other") == "computed"
        cache.delete("answer")
        assert cache.get("answer") is None
    finally:
        cache.delete_many(["answer", "other"])


@pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_client_is_built_once_and_reused():
    cache = make_cache(LOCAL_REDIS_URL)
    cache.get("anything")
    cache.set("anything", 1, timeout=30)
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete("anything")
