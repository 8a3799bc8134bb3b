"""The read-only answer every API endpoint gives: validated, cached and revalidated by the
data version, paged by DRF's pagination, rendered by DRF's renderers."""

from django.conf import settings
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from nato_tracker import answercache
from spending.api.filters import ListQuery, Query
from spending.api.pagination import DatabaseRows, Pagination
from spending.api.renderers import CSVRenderer, Negotiation
from spending.api.throttling import AnonThrottle


class DataView(GenericAPIView):
    """A read-only answer computed from the data, cached and validated by the data version."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = Negotiation
    pagination_class = None
    # The query parameters (spending/api/filters.py), read by `answer` with `read_query`.
    query_class = Query
    csv_columns = None
    csv_filename = None
    many = False

    def get(self, request, *args, **kwargs):
        # The representation differs by URL (links carry scheme and host) and format; the
        # data by version.
        representation = f"{request.build_absolute_uri()}|{request.accepted_renderer.format}"
        lookup = answercache.Lookup(request, "api:v1", representation)
        response = lookup.not_modified(request) or lookup.stored()
        if response is None:
            response = lookup.store(
                self.build(request, lookup.version, **kwargs),
                headers=("Content-Type", "Content-Disposition"),
                timeout=settings.API_CACHE_SECONDS,
            )
        return answercache.revalidate_every_use(response)

    def build(self, request, version, **kwargs):
        """The rendered response of the request at the data `version`."""
        self.data_version, self.query = version, None
        answer = self.answer(request, **kwargs)
        if self.query is None:
            # An endpoint without parameters of its own still refuses unknown ones.
            self.read_query()
        response = self.shape(request, answer)
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.renderer_context["response"] = response
        return response.render()

    def answer(self, request, **kwargs):
        """The rows (or the one object) of this endpoint as plain dicts, or DatabaseRows."""
        raise NotImplementedError

    def read_query(self, **context):
        """The query parameters as `query_class` reads them, given the data they depend on
        (`members`, `editions`, `years`); raises every error at once."""
        query = self.query_class(data=self.request.query_params, context=context)
        query.is_valid(raise_exception=True)
        self.query = query.validated_data
        return self.query

    def shape(self, request, answer):
        """The response of the answer: serialized, and paged unless all rows go out as CSV."""
        serializer_class = self.get_serializer_class()
        if not self.many:
            return Response(serializer_class(answer).data)
        serialized = isinstance(answer, DatabaseRows)

        def output(rows):
            return rows if serialized else serializer_class(rows, many=True).data

        if request.accepted_renderer.format == "csv":
            return Response(output(answer.all() if serialized else answer))
        page = self.paginate_queryset(answer if serialized else list(answer))
        return self.get_paginated_response(output(page))

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
    query_class = ListQuery
    many = True
