from django.conf import settings
from django.contrib import admin
from django.urls import path

from members import views as member_views
from nato_tracker import health
from spending import views as spending_views

urlpatterns = [
    path("", spending_views.overview, name="overview"),
    path("members/<str:iso3>/", member_views.member_detail, name="member-detail"),
    path("admin/", admin.site.urls),
]

# --- production ---
urlpatterns += [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
if settings.BENCH_MODE:
    urlpatterns += [path("bench/floor/", health.bench_floor, name="bench-floor")]
