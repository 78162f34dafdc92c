"""The desk's addresses: officers' pages under /desk/, its API under /api/v1/ (see portal/urls.py)."""

from django.urls import path, re_path

from desk import api as desk_api
from desk import views

pages = [
    path("dashboard/", views.dashboard, name="desk-dashboard"),
    re_path(r"^dashboard/(?P<name>[a-z_]+)\.(?P<kind>xlsx|csv)$", views.export, name="desk-export"),
    path("placements/", views.placements, name="desk-placements"),
    path("targets/", views.targets, name="desk-targets"),
    path("reports/", views.reports, name="desk-reports"),
    path("reports/<int:pk>", views.report_download, name="desk-report"),
]

api = [
    path("statistics/placements", desk_api.PlacementStatisticsApi.as_view(), name="statistics-placements"),
    path("targets", desk_api.TargetsApi.as_view(), name="targets"),
]
