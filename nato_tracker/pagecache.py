"""Whole-page cache for the public HTML pages, keyed by the data version.

A page depends only on the data and its URL, so it is cached under the current
``DataVersion``: any import or admin edit bumps the version and every server (sharing Redis)
builds fresh pages from then on, never serving a stale one. Costs one small query per request.
The API keeps its own cache (spending/api), the admin and anything personal are never cached.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_cache_key, has_vary_header, learn_cache_key

from nato_tracker.health import DATABASE_ERRORS, database_unavailable_response
from spending.models import DataVersion

SKIPPED_PREFIXES = ("/admin/", "/api/", "/healthz", "/readyz", "/bench/", "/static/")


def wants_cached_page(request):
    """True for an anonymous GET/HEAD of a public page."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(SKIPPED_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "Authorization" not in request.headers
    )


def can_store(response):
    """True for a complete 200 page that sets no cookie and does not ask to stay private."""
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        and not has_vary_header(response, "*")
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not wants_cached_page(request):
            return self.get_response(request)
        try:
            version, _ = DataVersion.current()
        except DATABASE_ERRORS as error:
            return database_unavailable_response(request, error)
        key_prefix = f"page.v{version}"
        key = get_cache_key(request, key_prefix, "GET", cache=cache)
        if key is not None:
            response = cache.get(key)
            if response is not None:
                return response
        response = self.get_response(request)
        if can_store(response):
            timeout = settings.PAGE_CACHE_SECONDS
            key = learn_cache_key(request, response, timeout, key_prefix, cache=cache)
            cache.set(key, response, timeout)
        return response
