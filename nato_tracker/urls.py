from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from members import views as member_views
from nato_tracker import health
from spending import views as spending_views
from spending.api import errors as api_errors
from spending.pages import embeds, tables
from spending.pages import scenarios as scenario_pages
from spending.pages.alliance_map import alliance_map
from spending.pages.feed import EditionsFeed
from spending.pages.methodology import methodology
from spending.pages.revisions import revisions

# A 500 under /api/ answers JSON like every other API error; pages get the site's own.
handler404 = "nato_tracker.errors.page_not_found"
handler500 = "nato_tracker.errors.server_error"

admin.site.site_header = "NATO Spending Tracker administration"
admin.site.site_title = "NATO Spending Tracker admin"
admin.site.index_title = "Targets, figures and uploads"

urlpatterns = [
    path("", spending_views.overview, name="overview"),
    path("members/<str:iso3>/", member_views.member_detail, name="member-detail"),
    path("admin/", admin.site.urls),
    path("api/v1/imports/", include("spending.api.imports")),
    path("api/v1/", include("spending.api.urls")),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="api-docs"),
    re_path(r"^api/", api_errors.not_found),
]

urlpatterns += [
    path(
        "members/<str:iso3>/charts/<slug:slug>.csv",
        member_views.member_chart_csv,
        name="member-chart-csv",
    ),
    path("compare/", spending_views.compare, name="compare"),
    path("methodology/", methodology, name="methodology"),
    path("map/", alliance_map, name="map"),
    path("tables/", tables.nato_tables, name="tables"),
    path("downloads/", tables.downloads, name="downloads"),
    path("revisions/", revisions, name="revisions"),
    # One chart alone, for other sites' frames (spending/pages/embeds.py).
    path("embed/charts/<slug:slug>/", embeds.overview_chart_embed, name="embed-overview-chart"),
    path(
        "embed/members/<str:iso3>/<slug:slug>/",
        embeds.member_chart_embed,
        name="embed-member-chart",
    ),
    path("embed/compare/", embeds.compare_embed, name="embed-compare"),
    path("scenarios/", scenario_pages.alliance_scenario, name="scenarios"),
    path("feeds/editions.atom", EditionsFeed(), name="editions-feed"),
    path("members/<str:iso3>/scenario/", scenario_pages.member_scenario, name="member-scenario"),
    path("charts/<slug:slug>.csv", spending_views.overview_chart_csv, name="overview-chart-csv"),
]

# --- production ---
urlpatterns += [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
if settings.BENCH_MODE:
    urlpatterns += [path("bench/floor/", health.bench_floor, name="bench-floor")]
