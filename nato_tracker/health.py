"""Liveness, readiness and what the app answers while its database is away."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
UNAVAILABLE_MESSAGE = (
    "The database is unreachable, so the figures cannot be shown right now. "
    "Please try again in a minute."
)
RETRY_AFTER_S = 30


@never_cache
def healthz(request):
    """200 while the process answers; touches nothing else, so a database outage keeps it up."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """200 when the database answers a query, 503 otherwise (load balancers stop routing)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS as error:
        logger.warning("not ready: database unreachable: %s", error)
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def bench_floor(request):
    """The benchmark's floor: a JSON answer that does no work (routed only in bench mode)."""
    return JsonResponse({})


def database_unavailable_response(request, error):
    """A 503 saying the database is away (logged): JSON under /api/, an HTML page elsewhere."""
    logger.error("database unavailable: %s", error, extra={"path": request.path})
    headers = {"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": UNAVAILABLE_MESSAGE, "code": "database_unavailable"},
            status=503,
            headers=headers,
        )
    # No template context processors: they may query the database too.
    body = render_to_string("503.html", {"message": UNAVAILABLE_MESSAGE})
    return HttpResponse(body, status=503, headers=headers)


class DatabaseUnavailableMiddleware:
    """Turns a database connection error in a view into a clear 503 instead of a 500.

    The connection is dropped so the next request opens a fresh one (with CONN_HEALTH_CHECKS a
    restarted database is used again without restarting the app).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        connection.close_if_unusable_or_obsolete()
        return database_unavailable_response(request, exception)


class PermissionsPolicyMiddleware:
    """Sends the Permissions-Policy header: the app uses no camera, microphone, location..."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
