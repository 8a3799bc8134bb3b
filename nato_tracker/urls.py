from django.contrib import admin
from django.urls import include, path

from members import views as member_views
from spending import views as spending_views

urlpatterns = [
    path("", spending_views.overview, name="overview"),
    path("members/<str:iso3>/", member_views.member_detail, name="member-detail"),
    path("admin/", admin.site.urls),
    path("api/v1/imports/", include("spending.import_api")),
]
