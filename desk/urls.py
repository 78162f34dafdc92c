"""The desk's addresses: officers' pages under /desk/, its API under /api/v1/ (see portal/urls.py)."""

from django.urls import path, re_path

from desk import api as desk_api
from desk import intake_api, intake_views, labour_views, public_views, views

pages = [
    path("dashboard/", views.dashboard, name="desk-dashboard"),
    re_path(r"^dashboard/(?P<name>[a-z_]+)\.(?P<kind>xlsx|csv)$", views.export, name="desk-export"),
    path("placements/", views.placements, name="desk-placements"),
    path("targets/", views.targets, name="desk-targets"),
    path("reports/", views.reports, name="desk-reports"),
    path("reports/<id:pk>", views.report_download, name="desk-monthly-report"),
    # Work queues, cases, imports and the audit log (intake_views.py)
    path("queues", intake_views.queues_page, name="desk-queues"),
    path("organisations/<id:pk>/verify", intake_views.organisation_verify, name="desk-organisation-verify"),
    path("organisations/<id:pk>/licence", intake_views.licence_status, name="desk-licence-status"),
    path("vacancies/<id:pk>/approve", intake_views.vacancy_approve, name="desk-vacancy-approve"),
    path("vacancies/<id:pk>/reject", intake_views.vacancy_reject, name="desk-vacancy-reject"),
    path("placements/<id:pk>/confirm", intake_views.placement_confirm, name="desk-placement-confirm"),
    path("placements/confirm", intake_views.placements_confirm, name="desk-placements-confirm"),
    path("report", intake_views.report_page, name="desk-report"),
    path("vacancies/<id:pk>/report", intake_views.report_page, name="desk-vacancy-report"),
    path("agencies", public_views.agency_check_page, name="agency-check"),
    path("report/broker", public_views.broker_report_page, name="broker-report"),
    path("follow", public_views.follow_page, name="case-follow"),
    path("cases", intake_views.cases_page, name="desk-cases"),
    path("cases/<id:pk>", intake_views.case_page, name="desk-case"),
    path("imports", intake_views.imports_page, name="desk-imports"),
    path("imports/<id:pk>", intake_views.import_page, name="desk-import"),
    path("imports/<id:pk>/report.csv", intake_views.import_report, name="desk-import-report"),
    path("imports/template/<str:kind>.<str:fmt>", intake_views.import_template, name="desk-import-template"),
    path("audit", intake_views.audit_page, name="desk-audit"),
    path("messages", views.delivery_log, name="desk-messages"),
    path("searches-missed", labour_views.missed_searches, name="desk-missed-searches"),
]

public = [  # under /statistics/ (see portal/urls.py)
    path("labour-market/", labour_views.labour_market_page, name="labour-market"),
    path("labour-market.xlsx", labour_views.labour_market_workbook, name="labour-market-xlsx"),
]

institutions = [  # a training institution's own imports, at the root (see portal/urls.py): training's pages link here
    path("org/<id:org>/courses/import/", intake_views.org_import, name="org-import"),
    path("org/imports/<id:pk>/", intake_views.org_import_status, name="org-import-status"),
    path("org/imports/template/<str:kind>.<str:fmt>", intake_views.org_import_template, name="org-import-template"),
]

api = [
    path("statistics/placements", desk_api.PlacementStatisticsApi.as_view(), name="statistics-placements"),
    path("placements/summary", desk_api.PlacementSummaryApi.as_view(), name="placement-summary"),
    path("statistics/labour-market", labour_views.LabourMarketApi.as_view(), name="statistics-labour-market"),
    path("targets", desk_api.TargetsApi.as_view(), name="targets"),
    # Work queues, cases and imports (intake_api.py)
    path("desk/queues/<str:queue>", intake_api.QueueApi.as_view(), name="desk-queue-api"),
    path("reports", intake_api.ReportApi.as_view(), name="report-api"),
    path("reports/follow", intake_api.FollowApi.as_view(), name="report-follow-api"),
    path("agencies/check", intake_api.AgencyCheckApi.as_view(), name="agency-check-api"),
    path("desk/cases/<id:pk>/status", intake_api.CaseStatusApi.as_view(), name="desk-case-status-api"),
    path("desk/imports", intake_api.ImportsApi.as_view(), name="desk-imports-api"),
    path("desk/imports/<id:pk>", intake_api.ImportApi.as_view(), name="desk-import-api"),
]
