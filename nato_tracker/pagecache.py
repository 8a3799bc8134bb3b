"""Whole-page cache for the public HTML pages, keyed by the data and code versions.

A page depends only on the data, the code and its URL, so it is cached and revalidated by
nato_tracker/answercache.py as the API's answers are: any import or admin edit bumps the
version and every server (sharing Redis) builds fresh pages from then on, never serving a
stale one. A hit costs one cache read (and no query when the cache keeps the data version),
and skips the rest of the middleware (its headers are stored with the page). The admin and
anything personal are never cached. Every page says `no-cache`: browsers keep it but ask first.
"""

import math
import time

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.utils.cache import has_vary_header, patch_cache_control

from nato_tracker import answercache
from nato_tracker.canonical import canonical_query
from nato_tracker.clientip import client_ip
from nato_tracker.health import DATABASE_ERRORS, database_unavailable_response
from nato_tracker.throttle import count_in_window, parse_rate

SKIPPED_PREFIXES = ("/admin/", "/api/", "/healthz", "/readyz", "/bench/", "/static/")
# Cookies that make a page personal (a login, flash messages).
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# Set per request by the middleware outside this one; never stored.
FRESH_HEADERS = {"x-request-id"}


def is_public_page(request):
    """True for a GET or HEAD of a public page (not the admin, the API, probes or files)."""
    return request.method in ("GET", "HEAD") and not request.path.startswith(SKIPPED_PREFIXES)


def wants_cached_page(request):
    """True for an anonymous GET of a public page. An Authorization header changes nothing
    (no public page reads it), so it cannot be used to skip the cache."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and is_public_page(request)
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def can_store(response):
    """True for a complete 200 page, the same for everyone: no cookie set, no Vary on cookies,
    no request to stay private."""
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not has_vary_header(response, "*")
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
    )


def throttled_response(wait_seconds):
    response = HttpResponse(
        "Too many requests from your address: try again in a minute.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(max(1, math.ceil(wait_seconds)))
    return response


def over_page_rate(request):
    """(True, wait) when this client is past PAGE_ANON_THROTTLE_RATE in the current window."""
    limit, duration = parse_rate("PAGE_ANON_THROTTLE_RATE", settings.PAGE_ANON_THROTTLE_RATE)
    count, wait = count_in_window("page", client_ip(request), duration, time.time())
    return count is not None and count > limit, wait


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_page(request):
            return self.get_response(request)
        # Refuses a Host outside ALLOWED_HOSTS (400) before anything is served or counted.
        request.get_host()
        over, wait = over_page_rate(request)
        if over:
            return throttled_response(wait)
        query, unknown = canonical_query(request.path_info, request.GET)
        if unknown:
            return HttpResponsePermanentRedirect(request.path + (f"?{query}" if query else ""))
        if not wants_cached_page(request):
            return revalidated(self.get_response(request), public=False)
        try:
            lookup = answercache.Lookup(request, "page", f"{request.path}?{query}")
        except DATABASE_ERRORS as error:
            return database_unavailable_response(request, error)
        stored = lookup.not_modified(request) or lookup.stored()
        if stored is not None:
            return revalidated(stored, public=True)
        response = self.get_response(request)
        if request.method == "GET" and can_store(response):
            # The validators go with the page, so a hit or a 304 never hashes the content.
            headers = [name for name in response.headers if name.lower() not in FRESH_HEADERS]
            lookup.store(response, [*headers, "ETag", "Last-Modified"], settings.PAGE_CACHE_SECONDS)
        return revalidated(response, public=can_store(response))


def revalidated(response, public):
    """A page browsers and proxies check with the server on every use (its ETag makes that a
    304), so a returning visitor sees a new import at once rather than a copy the browser kept
    by its own guess; private when it was not the same for everyone. A page that set its own
    Cache-Control keeps it."""
    if response.has_header("Cache-Control"):
        return response
    if public:
        return answercache.revalidate_every_use(response)
    patch_cache_control(response, private=True, no_cache=True)
    return response
