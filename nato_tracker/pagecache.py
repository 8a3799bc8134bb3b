"""Whole-page cache for the public HTML pages, keyed by the data version.

A page depends only on the data and its URL, so it is cached under the current
``DataVersion``: any import or admin edit bumps the version and every server (sharing Redis)
builds fresh pages from then on, never serving a stale one. A hit costs one small query and
one cache read, and skips the rest of the middleware (its headers are stored with the page).
The API keeps its own cache, and the admin and anything personal are never cached.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import has_vary_header, set_response_etag

from nato_tracker.health import DATABASE_ERRORS, database_unavailable_response
from spending.models import DataVersion

SKIPPED_PREFIXES = ("/admin/", "/api/", "/healthz", "/readyz", "/bench/", "/static/")
# Cookies that make a page personal (a login, flash messages).
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# Set per request by the middleware outside this one; never stored.
FRESH_HEADERS = {"x-request-id"}


def wants_cached_page(request):
    """True for an anonymous GET of a public page."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.path.startswith(SKIPPED_PREFIXES)
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and "Authorization" not in request.headers
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


def current_data_version():
    """The data version alone (one small query on every page request)."""
    return DataVersion.current()[0]


def page_key(version, request):
    """The cache key of a page: data version plus a digest of the path and query string."""
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{version}:{digest}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not wants_cached_page(request):
            return self.get_response(request)
        # Refuses a Host outside ALLOWED_HOSTS (400) before anything is served from the cache.
        request.get_host()
        try:
            version = current_data_version()
        except DATABASE_ERRORS as error:
            return database_unavailable_response(request, error)
        key = page_key(version, request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if can_store(response):
            # The ETag goes with the page, so a hit or a 304 never hashes the content again.
            set_response_etag(response)
            headers = {
                name: value for name, value in response.items() if name.lower() not in FRESH_HEADERS
            }
            cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
        return response
