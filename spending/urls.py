"""The public API v1, included at /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from spending import api

app_name = "api"

urlpatterns = [
    path("members/", api.MemberList.as_view(), name="members"),
    path("members/<str:iso3>/", api.MemberDetail.as_view(), name="member-detail"),
    path("members/<str:iso3>/history/", api.MemberHistory.as_view(), name="member-history"),
    path("editions/", api.EditionList.as_view(), name="editions"),
    path("targets/", api.TargetList.as_view(), name="targets"),
    path("figures/", api.FigureList.as_view(), name="figures"),
    path("progress/", api.ProgressList.as_view(), name="progress"),
    path("alliance/", api.AllianceList.as_view(), name="alliance"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
