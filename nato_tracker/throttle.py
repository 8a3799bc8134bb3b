"""Fixed-window request counters for the API and page rate limits, in their own cache.

The counters live in the cache alias "throttle" (nato_tracker/cache.py): a separate Redis whose
policy is `noeviction` in docker-compose.yml, so a flood of cached pages can never evict them
and hand a client a fresh budget. One atomic increment per request; a client may get up to twice
the rate across the boundary of two windows. Without a working cache nothing is throttled.
"""

import re

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
RATE = re.compile(r"([1-9]\d*)/(second|minute|hour|day)")


def parse_rate(name, value):
    """(requests, seconds) from 'N/minute'; ImproperlyConfigured names the setting otherwise."""
    match = RATE.fullmatch(value)
    if not match:
        raise ImproperlyConfigured(
            f"{name}={value!r}: use N/second, N/minute, N/hour or N/day with N at least 1."
        )
    return int(match[1]), PERIODS[match[2]]


def throttle_cache():
    """The counters' cache: the "throttle" alias, or the default where none is configured."""
    return caches["throttle" if "throttle" in settings.CACHES else "default"]


def count_in_window(scope, ident, duration, now):
    """(requests so far in this window including this one, seconds until it ends); None as the
    count when the cache does not answer."""
    window = int(now // duration)
    key = f"throttle:{scope}:{window}:{ident}"
    wait = (window + 1) * duration - now
    cache = throttle_cache()
    try:
        return cache.incr(key), wait
    except ValueError:
        # The window's first request: start its counter (another server may win the race).
        cache.add(key, 0, duration + 1)
        try:
            return cache.incr(key), wait
        except ValueError:
            return None, wait
