from django.contrib import admin
from django.urls import path

from members import views as member_views
from spending import views as spending_views

urlpatterns = [
    path("", spending_views.overview, name="overview"),
    path("members/<str:iso3>/", member_views.member_detail, name="member-detail"),
    path("admin/", admin.site.urls),
]

urlpatterns += [
    path(
        "members/<str:iso3>/charts/<slug:slug>.csv",
        member_views.member_chart_csv,
        name="member-chart-csv",
    ),
    path("compare/", spending_views.compare, name="compare"),
    path("charts/<slug:slug>.csv", spending_views.overview_chart_csv, name="overview-chart-csv"),
]
