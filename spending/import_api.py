"""POST /api/v1/imports/ and friends: the importer over HTTP for staff, with token auth.

Thin: the form checks the fields, spending.importing does the work.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from rest_framework import status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from spending.forms import ImportForm
from spending.importing import ImportRefused, apply_batch, preview_upload, rollback_batch
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
        "created_at": batch.created_at,
        "applied_at": batch.applied_at,
        "rolls_back": batch.rolls_back_id,
        "counts": batch.counts,
        "messages": batch.preview.get("messages", []),
        "rows": rows[:ROWS_LISTED],
        "rows_not_listed": max(0, len(rows) - ROWS_LISTED),
    }


class StaffOnly:
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAdminUser]


class ImportListView(StaffOnly, APIView):
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request):
        """Preview an upload (?dry_run=1) or preview and apply it."""
        form = ImportForm(request.data, request.FILES)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        data = form.cleaned_data
        batch = preview_upload(
            data["file"].read(),
            data["file"].name,
            data["choice"],
            user=request.user,
            sheet=data["sheet"] or None,
            metric=data["metric"] or None,
        )
        if batch.status == ImportBatch.State.INVALID:
            return Response(describe_batch(batch), status=status.HTTP_400_BAD_REQUEST)
        if request.query_params.get("dry_run") in ("1", "true", "yes"):
            return Response(describe_batch(batch), status=status.HTTP_200_OK)
        return apply_response(batch.pk, request.user)


class ImportDetailView(StaffOnly, APIView):
    def get(self, request, pk):
        return Response(describe_batch(get_object_or_404(ImportBatch, pk=pk)))


class ImportApplyView(StaffOnly, APIView):
    def post(self, request, pk):
        """Apply a batch previewed earlier (on any app server)."""
        get_object_or_404(ImportBatch, pk=pk)
        return apply_response(pk, request.user)


class ImportRollbackView(StaffOnly, APIView):
    def post(self, request, pk):
        get_object_or_404(ImportBatch, pk=pk)
        try:
            undo = rollback_batch(pk, user=request.user)
        except ImportRefused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
        return Response(describe_batch(undo), status=status.HTTP_201_CREATED)


def apply_response(pk, user):
    try:
        batch = apply_batch(pk, user=user)
    except ImportRefused as refusal:
        return Response({"detail": str(refusal)}, status=status.HTTP_409_CONFLICT)
    return Response(describe_batch(batch), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("", ImportListView.as_view(), name="import-list"),
    path("<int:pk>/", ImportDetailView.as_view(), name="import-detail"),
    path("<int:pk>/apply/", ImportApplyView.as_view(), name="import-apply"),
    path("<int:pk>/rollback/", ImportRollbackView.as_view(), name="import-rollback"),
]
