"""The public API v1, included at /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from spending.api import fairshare, revisions, scenarios, views

app_name = "api"

urlpatterns = [
    path("members/", views.MemberList.as_view(), name="members"),
    path("members/<str:iso3>/", views.MemberDetail.as_view(), name="member-detail"),
    path("members/<str:iso3>/history/", views.MemberHistory.as_view(), name="member-history"),
    path("editions/", views.EditionList.as_view(), name="editions"),
    path("targets/", views.TargetList.as_view(), name="targets"),
    path("figures/", views.FigureList.as_view(), name="figures"),
    path("progress/", views.ProgressList.as_view(), name="progress"),
    path("alliance/", views.AllianceList.as_view(), name="alliance"),
    path("fair-share/", fairshare.FairShareList.as_view(), name="fair-share"),
    path("revisions/", revisions.RevisionList.as_view(), name="revisions"),
    path("scenarios/", scenarios.ScenarioView.as_view(), name="scenarios"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
