"""A request id on every log line, and one JSON log line per request.

The id comes from the X-Request-ID header when the proxy (nginx) sends a sane one, so a request
can be followed from nginx to the app; otherwise a new one is made. It is echoed in the response.
"""

import contextvars
import logging
import re
import time
import uuid

logger = logging.getLogger("nato_tracker.requests")

HEADER = "X-Request-ID"
# An id from outside is logged verbatim: accept only short, plain tokens.
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

current_request_id = contextvars.ContextVar("request_id", default=None)


def pick_request_id(incoming):
    """The incoming X-Request-ID when it is a short plain token, a new random hex id otherwise."""
    if incoming and SAFE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None outside a request) on every log record."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id.get()
        return True


class RequestIdMiddleware:
    """Sets the request id for the request's log lines and logs the request when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = pick_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(1000 * (time.perf_counter() - started), 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)
