"""The cache: Redis shared by every app server when REDIS_URL is set, local memory otherwise.

Redis is an optimisation, never a dependency: when it is down or slow every cache call is a miss
(reads return the default, writes are dropped) and a warning is logged, so pages and the API keep
answering from the database.
"""

import logging
import time
from urllib.parse import urlsplit, urlunsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# A full `noeviction` Redis (the throttle's) refuses writes: treated like an outage.
REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, OutOfMemoryError)
# Short enough that a dead Redis costs a request little; generous for a loopback round trip.
SOCKET_TIMEOUT_S = 0.25
# After a failure Redis is left alone for this long instead of paying a timeout on every call.
RETRY_AFTER_S = 5.0


def build_caches(redis_url, enabled=True, throttle_url=""):
    """The CACHES setting for a Redis URL ('' for local memory); a dummy cache when disabled.

    Two aliases: "default" for answers and pages, "throttle" for the rate-limit counters
    (nato_tracker/throttle.py), at `throttle_url`: in production a Redis of its own with
    `noeviction`, as eviction policies are per server. Without one, database 1 of REDIS_URL.
    """
    if not enabled:
        dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        return {"default": dummy, "throttle": dummy}
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            # Local memory culls at MAX_ENTRIES: room for every client's counter.
            "throttle": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "throttle",
                "OPTIONS": {"MAX_ENTRIES": 1_000_000},
            },
        }
    return {
        "default": redis_cache(redis_url, "nato"),
        "throttle": redis_cache(throttle_url or other_database(redis_url, 1), "nato-throttle"),
    }


def redis_cache(url, prefix):
    return {
        "BACKEND": "nato_tracker.cache.TolerantRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {
            "socket_connect_timeout": SOCKET_TIMEOUT_S,
            "socket_timeout": SOCKET_TIMEOUT_S,
        },
    }


def other_database(url, number):
    """The same Redis URL with another database number: redis://h:6379/0 -> redis://h:6379/1."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


def _tolerant(method_name, miss):
    """A RedisCache method that answers `miss(args, kwargs)` instead of raising a Redis error."""
    original = getattr(RedisCache, method_name)

    def method(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return miss(args, kwargs)
        try:
            return original(self, *args, **kwargs)
        except REDIS_ERRORS as error:
            self._down_until = time.monotonic() + RETRY_AFTER_S
            logger.warning(
                "cache unavailable, treating %s as a miss for %.0f s: %s",
                method_name,
                RETRY_AFTER_S,
                error,
                extra={"cache_location": self._server_location},
            )
            return miss(args, kwargs)

    method.__name__ = method_name
    method.__doc__ = original.__doc__
    return method


def _default(args, kwargs):
    """What get() returns on a miss: its `default` argument."""
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class ReusedClients(RedisCacheClient):
    """Django's Redis client wrapper, keeping one redis.Redis per connection pool.

    Django builds a new redis.Redis on every cache call, and each builds its table of ~170
    response callbacks: a tenth of a cached page's cost. The clients are thread-safe (they
    share the pool), so one per pool is enough.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class TolerantRedisCache(RedisCache):
    """Django's Redis cache where Redis being unreachable means a cache miss, never an error."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
        self._server_location = server
        self._down_until = 0.0

    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", lambda args, kwargs: {})
    has_key = _tolerant("has_key", lambda args, kwargs: False)
    set = _tolerant("set", lambda args, kwargs: None)
    add = _tolerant("add", lambda args, kwargs: False)
    set_many = _tolerant("set_many", lambda args, kwargs: list(args[0]) if args else [])
    touch = _tolerant("touch", lambda args, kwargs: False)
    delete = _tolerant("delete", lambda args, kwargs: False)
    delete_many = _tolerant("delete_many", lambda args, kwargs: None)
    clear = _tolerant("clear", lambda args, kwargs: False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except REDIS_ERRORS as error:
            # Django's contract for a missing key; callers already handle it.
            raise ValueError(f"Key {key!r} not found (cache unavailable: {error})") from error
