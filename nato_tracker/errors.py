"""Errors in the format of the place they happen: JSON under /api/, the site's own pages elsewhere.

The 404 and 500 pages carry the site header and say what was not found, with DEBUG on too:
Django answers its debug pages whenever DEBUG is on, whatever handler404 says, so
BrandedErrorPagesMiddleware renders a view's Http404 itself (its message kept) and swaps
Django's debug 404 and 500 pages for the site's (the traceback still goes to the log).

A NUL byte has no business in a URL; PostgreSQL refuses it in a text value, so it is refused
here, for every request, before a view could pass it to a query.
"""

from urllib.parse import parse_qsl

from django.http import Http404, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404
from django.views.csrf import csrf_failure as html_csrf_failure

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
    return branded(HttpResponseServerError(render_to_string("500.html")))


def branded(response):
    """The response, marked as one of the site's own error pages."""
    response.branded_error_page = True
    return response


def not_found_message(request, exception):
    """What was not found: a view's own message (an unknown ally names its code), else the path."""
    if (
        isinstance(exception, Http404)
        and not isinstance(exception, Resolver404)
        and exception.args
        and isinstance(exception.args[0], str)
    ):
        return exception.args[0]
    return f"There is no page at {request.path}."


def page_not_found(request, exception=None):
    """handler404: the site's page, with its header, saying what was not found."""
    message = not_found_message(request, exception)
    return branded(render(request, "404.html", {"message": message}, status=404))


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


class BrandedErrorPagesMiddleware:
    """The site's 404 and 500 pages outside /api/, with DEBUG on as well as off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api(request) or getattr(response, "branded_error_page", False):
            return response
        # What is left is Django's own page: its debug 404 (no URL matched) or debug 500.
        if response.status_code == 404 and is_html(response):
            return page_not_found(request)
        if response.status_code == 500 and is_html(response):
            return server_error(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and not is_api(request):
            return page_not_found(request, exception)
        return None


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a JSON 403 under /api/, Django's page elsewhere."""
    if is_api(request):
        return JsonResponse(
            {"detail": f"CSRF check failed: {reason}", "errors": []},
            status=403,
        )
    return html_csrf_failure(request, reason=reason)
