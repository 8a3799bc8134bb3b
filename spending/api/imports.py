"""POST /api/v1/imports/ and friends: the importer over HTTP for staff, with token auth.

Thin: the form checks the fields, spending.importing does the work.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from knox.auth import TokenAuthentication
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from spending import access
from spending.forms import ImportForm
from spending.importing import VALUE_FIELDS, ImportRefused, apply_batch, rollback_batch
from spending.models import ImportBatch

# Rows of a preview listed in a response; the counts always cover the whole file.
ROWS_LISTED = 1000


def describe_batch(batch):
    """A batch as JSON: its facts, counts, messages and the rows that are new or changed."""
    rows = [r for r in batch.preview.get("rows", []) if r["result"] in ("new", "changed", "error")]
    return {
        "id": batch.pk,
        "kind": batch.kind,
        "status": batch.status,
        "edition": batch.edition_slug,
        "file_name": batch.file_name,
        "file_size": batch.file_size,
        "sha256": batch.sha256,
        "format": batch.file_format,
        "sheet": batch.sheet,
        "metric": batch.metric,
        # A NATO table or workbook: one line per block read (sheet, rows, metric, unit, years…).
        "blocks": batch.preview.get("blocks", []),
        "created_at": batch.created_at,
        "applied_at": batch.applied_at,
        "rolls_back": batch.rolls_back_id,
        "counts": batch.counts,
        "reading": batch.preview.get("reading"),
        "messages": batch.preview.get("messages", []),
        "implausible": batch.preview.get("implausible", []),
        "effect": batch.preview.get("effect"),
        "rows": rows[:ROWS_LISTED],
        "rows_not_listed": max(0, len(rows) - ROWS_LISTED),
    }


ACKNOWLEDGE = (
    "Apply the values the preview flags implausible (3× or more off the newest other edition or "
    "a neighbouring year) after checking them; without it such a batch is refused (409)."
)
# The schema's description of the multipart upload, with ImportForm's own bounds, so a request
# the schema allows is refused only for what no schema can say (the file's content, a new
# edition's missing title or cut-off).
TEXT = {"type": "string"}
UPLOAD = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "CSV or XLSX: wide, long or NATO table layout; NATO's workbook is read "
            "whole, every sheet and block.",
        },
        "edition": {
            "type": "string",
            "pattern": "^[-a-zA-Z0-9_]+$",
            "maxLength": 50,
            "description": "Slug of an existing edition, or of a new one (with its title and "
            "cut-off date).",
        },
        "new_edition_title": {**TEXT, "maxLength": 200},
        "cutoff_on": {**TEXT, "format": "date"},
        "published_on": {**TEXT, "format": "date"},
        "publisher": {**TEXT, "maxLength": 200},
        "price_base_year": {"type": "integer", "minimum": 1949, "maximum": 2100},
        "url": {**TEXT, "format": "uri", "maxLength": 500},
        "sheet": {
            **TEXT,
            "maxLength": 100,
            "description": "XLSX: read this sheet only (default: every sheet).",
        },
        "metric": {
            "type": "string",
            "enum": ["", *VALUE_FIELDS],
            "description": "A NATO table of one block whose title lines do not name its metric "
            "(empty: from the title lines).",
        },
        "acknowledge_implausible": {"type": "boolean", "description": ACKNOWLEDGE},
    },
    "required": ["file", "edition"],
}
APPLY = inline_serializer(
    "ImportApply",
    {"acknowledge_implausible": serializers.BooleanField(required=False, help_text=ACKNOWLEDGE)},
)
BATCH = OpenApiResponse(OpenApiTypes.OBJECT, description="The import batch with its preview.")
REFUSED = OpenApiResponse(OpenApiTypes.OBJECT, description="Refused: the reason in `detail`.")
MISSING = OpenApiResponse(OpenApiTypes.OBJECT, description="No import with this id.")
STAFF_ONLY = {401: REFUSED, 403: REFUSED}


def is_dry_run(request):
    return request.query_params.get("dry_run") in ("1", "true", "yes")


def is_acknowledged(request):
    """Whether the request acknowledges the values flagged implausible (body or query)."""
    value = request.data.get("acknowledge_implausible")
    if value is None:
        value = request.query_params.get("acknowledge_implausible")
    return str(value).casefold() in ("1", "true", "yes", "on")


class StaffOnly:
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [access.ImportPermission]
    needs = ()

    def required_permissions(self, request):
        return self.needs


class ImportListView(StaffOnly, APIView):
    parser_classes = [MultiPartParser, FormParser]

    def required_permissions(self, request):
        # A plain POST previews and applies in one go: it needs both rights.
        return (access.PREVIEW,) if is_dry_run(request) else (access.PREVIEW, access.APPLY)

    @extend_schema(
        tags=["imports"],
        request={"multipart/form-data": UPLOAD},
        parameters=[OpenApiParameter("dry_run", bool, description="Preview only, write nothing.")],
        responses={200: BATCH, 201: BATCH, 400: BATCH, 409: REFUSED, **STAFF_ONLY},
    )
    def post(self, request):
        """Preview an upload (?dry_run=1) or preview and apply it."""
        form = ImportForm(request.data, request.FILES)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        batch = form.preview(request.user)
        if batch.status == ImportBatch.State.INVALID:
            return Response(describe_batch(batch), status=status.HTTP_400_BAD_REQUEST)
        if is_dry_run(request):
            return Response(describe_batch(batch), status=status.HTTP_200_OK)
        return apply_response(batch.pk, request.user, is_acknowledged(request))


class ImportDetailView(StaffOnly, APIView):
    needs = (access.VIEW,)

    @extend_schema(tags=["imports"], responses={200: BATCH, 404: MISSING, **STAFF_ONLY})
    def get(self, request, pk):
        return Response(describe_batch(get_object_or_404(ImportBatch, pk=pk)))


class ImportApplyView(StaffOnly, APIView):
    needs = (access.APPLY,)

    @extend_schema(
        tags=["imports"],
        request=APPLY,
        responses={201: BATCH, 404: MISSING, 409: REFUSED, **STAFF_ONLY},
    )
    def post(self, request, pk):
        """Apply a batch previewed earlier (on any app server)."""
        get_object_or_404(ImportBatch, pk=pk)
        return apply_response(pk, request.user, is_acknowledged(request))


class ImportRollbackView(StaffOnly, APIView):
    needs = (access.ROLL_BACK,)

    @extend_schema(
        tags=["imports"],
        request=None,
        responses={201: BATCH, 404: MISSING, 409: REFUSED, **STAFF_ONLY},
    )
    def post(self, request, pk):
        get_object_or_404(ImportBatch, pk=pk)
        try:
            undo = rollback_batch(pk, user=request.user)
        except ImportRefused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
        return Response(describe_batch(undo), status=status.HTTP_201_CREATED)


def apply_response(pk, user, acknowledge_implausible=False):
    try:
        batch = apply_batch(pk, user=user, acknowledge_implausible=acknowledge_implausible)
    except ImportRefused as refusal:
        return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
    return Response(describe_batch(batch), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("", ImportListView.as_view(), name="import-list"),
    path("<int:pk>/", ImportDetailView.as_view(), name="import-detail"),
    path("<int:pk>/apply/", ImportApplyView.as_view(), name="import-apply"),
    path("<int:pk>/rollback/", ImportRollbackView.as_view(), name="import-rollback"),
]
