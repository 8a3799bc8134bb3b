"""The read-only answer every API endpoint gives: validated, cached and revalidated by the
data version, paged by DRF's pagination, rendered by DRF's renderers."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from spending import answers
from spending.api.filters import QueryParameters
from spending.api.pagination import DatabaseRows, ListedRows, Pagination
from spending.api.renderers import CSVRenderer, Negotiation
from spending.api.throttling import AnonThrottle
from spending.models import DataVersion


class DataView(GenericAPIView):
    """A read-only answer computed from the data, cached and validated by the data version."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = Negotiation
    pagination_class = None
    parameter_names = ()
    csv_columns = None
    csv_filename = None
    many = False

    def get(self, request, *args, **kwargs):
        version, changed_at = DataVersion.current()
        # The representation differs by URL (links carry scheme and host) and format; the
        # data by version.
        representation = f"{request.build_absolute_uri()}|{request.accepted_renderer.format}"
        # Both versions: new data or new code (a deploy) each make a new answer.
        stamp = f"{version}|{answers.CODE_VERSION}|{changed_at.isoformat() if changed_at else ''}"
        digest = hashlib.sha256(f"{stamp}|{representation}".encode()).hexdigest()
        etag = f'"{version}-{digest[:20]}"'
        # HTTP dates have whole seconds.
        last_modified = int(changed_at.timestamp()) if changed_at else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return self.with_validators(not_modified, etag, changed_at)

        key = f"api:v1:{digest}"
        cached = cache.get(key)
        if cached is not None:
            response = HttpResponse(cached["content"], content_type=cached["content_type"])
            for header, value in cached["headers"].items():
                response[header] = value
            return self.with_validators(response, etag, changed_at)

        params = QueryParameters(request, self.parameter_names, paged=self.many)
        self.params, self.data_version = params, version
        answer = self.answer(request, params, **kwargs)
        params.done()
        response = self.shape(request, answer)
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.renderer_context["response"] = response
        response.render()
        cache.set(
            key,
            {
                "content": response.content,
                "content_type": response["Content-Type"],
                "headers": {
                    header: response[header]
                    for header in ("Content-Disposition",)
                    if response.has_header(header)
                },
            },
            timeout=settings.API_CACHE_SECONDS,
        )
        return self.with_validators(response, etag, changed_at)

    def answer(self, request, params, **kwargs):
        """The rows (or the one object) of this endpoint as plain dicts."""
        raise NotImplementedError

    def shape(self, request, answer):
        """The response of the answer: serialized, and paged unless all rows go out as CSV."""
        serializer_class = self.get_serializer_class()
        if not self.many:
            return Response(serializer_class(answer).data)
        rows = answer if isinstance(answer, ListedRows | DatabaseRows) else ListedRows(answer)

        def output(items):
            return items if rows.serialized else serializer_class(items, many=True).data

        if request.accepted_renderer.format == "csv":
            return Response(output(rows.all()))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(output(page))

    def with_validators(self, response, etag, changed_at):
        response["ETag"] = etag
        if changed_at is not None:
            response["Last-Modified"] = http_date(changed_at.timestamp())
        # Stored by any cache, checked with the server on every use: a new import shows at once.
        patch_cache_control(response, public=True, no_cache=True)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON whatever format was asked for.
        if isinstance(response, Response) and response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        # Public, read-only data without cookies: any web page may read it.
        response["Access-Control-Allow-Origin"] = "*"
        return response


# A list endpoint: paged JSON, or every row as CSV. (No docstring: the schema would show it.)
class ListView(DataView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    pagination_class = Pagination
    many = True
