"""The API's rate limit for anonymous clients."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from nato_tracker.clientip import client_ip


class AnonThrottle(AnonRateThrottle):
    """Anonymous rate limit from settings.API_ANON_THROTTLE_RATE, read per request.

    A fixed-window counter: one atomic increment in the shared cache per request, instead of
    DRF's default log of every request's time (read, rewritten and stored whole on each request,
    and racy between app servers). A client may get up to twice the rate across the boundary of
    two windows. Without a working cache (CACHE=0, Redis down) requests are not throttled.
    """

    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        return settings.API_ANON_THROTTLE_RATE

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        key = f"throttle:anon:{window}:{self.get_ident(request)}"
        self.wait_seconds = (window + 1) * self.duration - now
        try:
            count = self.cache.incr(key)
        except ValueError:
            # The window's first request: start its counter (another server may win the race).
            self.cache.add(key, 0, self.duration + 1)
            try:
                count = self.cache.incr(key)
            except ValueError:
                return True
        return count <= self.num_requests

    def wait(self):
        return self.wait_seconds
