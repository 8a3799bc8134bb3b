from django.contrib import admin

from spending.models import AggregateFigure, Edition, Target, YearlyFigure


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "published_on", "cutoff_on", "price_base_year"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "threshold_pct", "basis", "kind", "adopted", "deadline_year"]
    list_editable = ["threshold_pct", "deadline_year"]
    ordering = ["display_order"]


@admin.register(YearlyFigure)
class YearlyFigureAdmin(admin.ModelAdmin):
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
class AggregateFigureAdmin(admin.ModelAdmin):
    list_display = ["aggregate", "year", "edition", "status", "nato_share_of_gdp_pct"]
    list_filter = ["edition", "aggregate"]
    list_select_related = ["edition"]
