"""Errors in the format of the place they happen: JSON under /api/, plain HTML on the pages.

A NUL byte has no business in a URL; PostgreSQL refuses it in a text value, so it is refused
here, for every request, before a view could pass it to a query.
"""

from urllib.parse import parse_qsl

from django.http import HttpResponseBadRequest, JsonResponse
from django.views.defaults import server_error as html_server_error

NUL = "\x00"


def is_api(request):
    return request.path.startswith("/api/")


def nul_parameters(request):
    """The (name, value) pairs of the query string that hold a NUL byte (decoded)."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    return [(name, value) for name, value in pairs if NUL in name or NUL in value]


class RefuseNulBytesMiddleware:
    """400 for a NUL byte in the path or in a query parameter, naming where it was."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        errors = [
            {
                "parameter": name.replace(NUL, "\\x00"),
                "value": value.replace(NUL, "\\x00"),
                "message": "contains a NUL byte",
                "allowed": "text without NUL (%00) bytes",
            }
            for name, value in nul_parameters(request)
        ]
        if NUL in request.path:
            errors.insert(
                0,
                {
                    "parameter": "path",
                    "value": request.path.replace(NUL, "\\x00"),
                    "message": "contains a NUL byte",
                    "allowed": "a path without NUL (%00) bytes",
                },
            )
        if not errors:
            return self.get_response(request)
        where = ", ".join(error["parameter"] for error in errors)
        detail = f"Bad request: a NUL byte in {where}."
        if is_api(request):
            return JsonResponse({"detail": detail, "errors": errors}, status=400)
        return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")


def server_error(request, *args, **kwargs):
    """handler500: a JSON body under /api/, Django's plain page elsewhere."""
    if is_api(request):
        return JsonResponse(
            {
                "detail": "Internal server error: the request was logged with its request id.",
                "errors": [],
                "request_id": getattr(request, "request_id", None),
            },
            status=500,
        )
    return html_server_error(request, *args, **kwargs)
