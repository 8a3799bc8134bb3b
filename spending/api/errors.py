"""The API's errors: one exception, one handler, one JSON shape for every refusal.

Every refusal answers `{detail, errors: [{parameter, value, message, allowed}]}`: `detail` sums
up, `errors` lists every parameter at fault at once. A bad query is DRF's `ValidationError`
(raised by the query serializers of `filters`, the negotiation and the pagination); an unknown
member is a `Problem`.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Problem(Exception):
    """A request the API refuses, with the parameters at fault and what they allow."""

    def __init__(self, status, detail, errors=()):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, list(errors)

    def payload(self):
        return {"detail": self.detail, "errors": self.errors}


def handle_exception(exc, context):
    """The API's exception handler (settings.REST_FRAMEWORK): a Problem or a bad query as the
    refusal's JSON, else DRF's."""
    if isinstance(exc, ValidationError) and isinstance(exc.detail, dict):
        exc = bad_query(exc.detail)
    if isinstance(exc, Problem):
        return Response(exc.payload(), status=exc.status)
    return exception_handler(exc, context)


def bad_query(detail):
    """The 400 of a ValidationError's detail: {parameter: error or [errors]}, an error being
    `{message, allowed, value}` (`filters`) or DRF's bare message."""
    errors = []
    for parameter, entries in detail.items():
        for entry in entries if isinstance(entries, list) else [entries]:
            error = entry if isinstance(entry, dict) else {"message": entry, "allowed": ""}
            errors.append(
                {
                    "parameter": parameter,
                    "value": error.get("value"),
                    "message": error["message"],
                    "allowed": error["allowed"],
                }
            )
    return Problem(400, f"Bad query parameter: {', '.join(detail)}.", errors)


def unknown_member(iso3):
    return Problem(
        404,
        f"No NATO member has the ISO3 code {iso3!r}.",
        [
            {
                "parameter": "iso3",
                "value": iso3,
                "message": "unknown member",
                "allowed": "the iso3 of a member in members/",
            }
        ],
    )


def not_found(request, path=""):
    """404 JSON for any unknown path under /api/, or the same path with its missing slash."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return redirect(request.path + "/" + (f"?{query}" if query else ""), permanent=True)
    return JsonResponse(
        {
            "detail": f"No API endpoint at {request.path}. The endpoints are listed at "
            "/api/v1/schema/ and documented at /api/docs/.",
            "errors": [],
        },
        status=404,
    )
