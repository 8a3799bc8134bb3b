"""The API's rate limit for anonymous clients."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from nato_tracker.clientip import client_ip
from nato_tracker.throttle import count_in_window


class AnonThrottle(AnonRateThrottle):
    """Anonymous rate limit from settings.API_ANON_THROTTLE_RATE, read per request.

    A fixed-window counter (nato_tracker/throttle.py) instead of DRF's default log of every
    request's time (read, rewritten and stored whole on each request, racy between servers).
    """

    def get_ident(self, request):
        return client_ip(request)

    def get_rate(self):
        return settings.API_ANON_THROTTLE_RATE

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        count, self.wait_seconds = count_in_window(
            "anon", self.get_ident(request), self.duration, self.timer()
        )
        return count is None or count <= self.num_requests

    def wait(self):
        return self.wait_seconds
