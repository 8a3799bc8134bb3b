from django.contrib import admin
from django.db import transaction

from spending.models import AggregateFigure, DataVersion, Edition, Target, YearlyFigure


class CountsWritesAdmin(admin.ModelAdmin):
    """Admin whose saves and deletes bump the data version, so caches see the change."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            DataVersion.bump()

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            DataVersion.bump()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            DataVersion.bump()


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
