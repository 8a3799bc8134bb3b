from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from spending import access, writes
from spending.forms import ImportForm
from spending.importing import ImportRefused, apply_batch, rollback_batch
from spending.models import (
    AggregateFigure,
    Edition,
    ImportBatch,
    SeriesBreak,
    Target,
    YearlyFigure,
)


class CountsWritesAdmin(admin.ModelAdmin):
    """Admin whose saves and deletes go through the one write path: new version, new answers."""

    def save_model(self, request, obj, form, change):
        with writes.writing():
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with writes.writing():
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with writes.writing():
            super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Figures change only through the importer, which records and can undo each change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(CountsWritesAdmin):
    list_display = ["title", "slug", "published_on", "cutoff_on", "price_base_year"]


@admin.register(Target)
class TargetAdmin(CountsWritesAdmin):
    list_display = ["name", "slug", "threshold_pct", "basis", "kind", "adopted", "deadline_year"]
    list_editable = ["threshold_pct", "deadline_year"]
    ordering = ["display_order"]


@admin.register(SeriesBreak)
class SeriesBreakAdmin(CountsWritesAdmin):
    """Breaks change growth, trends and projections: saving one recomputes the answers."""

    list_display = ["__str__", "member", "series", "year", "edition", "source"]
    list_filter = ["series", "edition"]
    list_select_related = ["member", "edition"]


@admin.register(YearlyFigure)
class YearlyFigureAdmin(ReadOnlyAdmin):
    list_display = [
        "member",
        "year",
        "edition",
        "status",
        "nato_share_of_gdp_pct",
        "defence_usd_current_m",
    ]
    list_filter = ["edition", "status", "year", "member"]
    list_select_related = ["member", "edition"]
    search_fields = ["member__name", "member__iso3"]


@admin.register(AggregateFigure)
class AggregateFigureAdmin(ReadOnlyAdmin):
    list_display = ["aggregate", "year", "edition", "status", "nato_share_of_gdp_pct"]
    list_filter = ["edition", "aggregate"]
    list_select_related = ["edition"]


# Rows of a preview shown on the page; the counts always cover the whole file.
PREVIEW_ROWS_SHOWN = 500


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """History of uploads; the import, preview, apply and rollback pages hang off it."""

    list_display = [
        "__str__",
        "kind",
        "status",
        "created_at",
        "uploaded_by_text",
        "edition_slug",
        "file_format",
        "counts_text",
    ]
    list_filter = ["status", "kind", "edition_slug"]
    search_fields = ["file_name", "sha256", "edition_slug", "created_by_name", "applied_by_name"]
    change_list_template = "admin/spending/importbatch/change_list.html"

    @admin.display(description="uploaded by", ordering="created_by_name")
    def uploaded_by_text(self, batch):
        return batch.uploaded_by

    @admin.display(description="rows")
    def counts_text(self, batch):
        return summarise_counts(batch.counts)

    def get_queryset(self, request):
        # A preview can hold every row of a large file: the list needs none of it.
        return super().get_queryset(request).defer("preview")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:spending_importbatch_preview", pk=object_id)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="spending_importbatch_upload"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="spending_importbatch_preview"),
            path("<int:pk>/apply/", wrap(self.apply_view), name="spending_importbatch_apply"),
            path(
                "<int:pk>/rollback/", wrap(self.rollback_view), name="spending_importbatch_rollback"
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        require(request, access.PREVIEW)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            batch = form.preview(request.user)
            return redirect("admin:spending_importbatch_preview", pk=batch.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Import figures",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/spending/importbatch/upload.html", context)

    def preview_view(self, request, pk):
        require(request, access.VIEW)
        batch = get_object_or_404(ImportBatch.objects.select_related("rolls_back"), pk=pk)
        rows = [row for row in batch.preview.get("rows", []) if row["result"] in ("new", "changed")]
        changes = batch.changes.select_related("member")[:PREVIEW_ROWS_SHOWN]
        blocks = batch.preview.get("blocks", [])
        context = {
            **self.admin_site.each_context(request),
            "title": str(batch),
            "batch": batch,
            "opts": self.model._meta,
            "counts": batch.counts,
            "counts_text": summarise_counts(batch.counts),
            "blocks": blocks,
            "block_values": f"{sum(block.get('values', 0) for block in blocks):,}",
            "errors": [m for m in batch.preview.get("messages", []) if m["level"] == "error"],
            "warnings": [m for m in batch.preview.get("messages", []) if m["level"] == "warning"],
            "reading": batch.preview.get("reading"),
            "implausible": batch.preview.get("implausible", []),
            "effect": effect_shown(batch.preview.get("effect")),
            "rows": [describe_row(row) for row in rows[:PREVIEW_ROWS_SHOWN]],
            "rows_hidden": max(0, len(rows) - PREVIEW_ROWS_SHOWN),
            "changes": changes,
            "can_apply": batch.status == ImportBatch.State.PREVIEWED
            and access.may(request.user, access.APPLY),
            "can_roll_back": batch.status == ImportBatch.State.APPLIED
            and batch.kind == ImportBatch.Kind.UPLOAD
            and access.may(request.user, access.ROLL_BACK),
        }
        return TemplateResponse(request, "admin/spending/importbatch/preview.html", context)

    def apply_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        require(request, access.APPLY)
        try:
            batch = apply_batch(
                pk,
                user=request.user,
                acknowledge_implausible=request.POST.get("acknowledge_implausible") == "on",
            )
        except ImportRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                f"Applied: {summarise_counts(batch.counts)} in edition “{batch.edition_slug}”.",
            )
        return redirect("admin:spending_importbatch_preview", pk=pk)

    def rollback_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        require(request, access.ROLL_BACK)
        try:
            undo = rollback_batch(pk, user=request.user)
        except ImportRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("admin:spending_importbatch_preview", pk=pk)
        messages.success(
            request,
            f"Rolled back: {summarise_counts(undo.counts)} as they were "
            f"(recorded as import #{undo.pk}).",
        )
        return redirect("admin:spending_importbatch_preview", pk=undo.pk)


def require(request, permission):
    """403 unless the user holds the import permission (staff status alone is not enough)."""
    if not access.may(request.user, permission):
        raise PermissionDenied(f"Needs the permission “{permission}” (group “Figures importer”).")


def summarise_counts(counts):
    """'2 new, 3 changed, 10 unchanged, 0 errors' from a batch's counts."""
    if "values_changed" in counts and "new" not in counts:
        restored = counts["values_changed"]
        return f"{restored} value{'' if restored == 1 else 's'} restored"
    parts = [f"{counts.get(key, 0)} {key}" for key in ("new", "changed", "unchanged")]
    parts.append(f"{counts.get('errors', 0)} errors")
    parts.append(f"{counts.get('warnings', 0)} warnings")
    if counts.get("implausible"):
        parts.append(f"{counts['implausible']} implausible")
    return ", ".join(parts)


def effect_shown(effect):
    """The effect lines for the page: those whose verdicts change, then the others (folded
    away), at most PREVIEW_ROWS_SHOWN in all."""
    if not effect or not effect.get("lines"):
        return None
    lines = effect["lines"]
    changed = [line for line in lines if line["verdict_changed"]][:PREVIEW_ROWS_SHOWN]
    kept = [line for line in lines if not line["verdict_changed"]]
    kept = kept[: PREVIEW_ROWS_SHOWN - len(changed)]
    return {
        "compared_with": effect["compared_with"],
        "changed": changed,
        "kept": kept,
        "hidden": len(lines) - len(changed) - len(kept),
    }


def describe_row(row):
    """A preview row for the page: the fields that differ, old and new."""
    fields = [
        {"name": name, "old": old, "new": new}
        for name, (old, new) in row["fields"].items()
        if old != new or row["result"] == "new"
    ]
    return {**row, "field_list": fields}
