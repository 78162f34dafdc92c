"""The desk's addresses: officers' pages under /desk/, its API under /api/v1/ (see portal/urls.py).

As across the site: a page's address ends with "/"; an action (a POST), a file and an API endpoint's do not.
The pages' former addresses without the "/" (in e-mails already sent, on printed leaflets) still work:
Django's CommonMiddleware (APPEND_SLASH) answers them with a permanent redirect, query string kept."""

from django.urls import path, re_path

from desk import api, views

pages = [
    path("dashboard/", views.dashboard, name="desk-dashboard"),
    re_path(r"^dashboard/(?P<name>[a-z_]+)\.(?P<kind>xlsx|csv)$", views.export, name="desk-export"),
    path("placements/", views.placements, name="desk-placements"),
    path("targets/", views.targets, name="desk-targets"),
    path("reports/", views.reports, name="desk-reports"),
    path("reports/<id:pk>", views.report_download, name="desk-monthly-report"),
    # Work queues, cases, imports and the audit log (views.py)
    path("queues/", views.queues_page, name="desk-queues"),
    path("organisations/<id:pk>/verify", views.organisation_verify, name="desk-organisation-verify"),
    path("organisations/<id:pk>/licence", views.licence_status, name="desk-licence-status"),
    path("vacancies/<id:pk>/approve", views.vacancy_approve, name="desk-vacancy-approve"),
    path("vacancies/<id:pk>/reject", views.vacancy_reject, name="desk-vacancy-reject"),
    path("placements/<id:pk>/confirm", views.placement_confirm, name="desk-placement-confirm"),
    path("placements/confirm", views.placements_confirm, name="desk-placements-confirm"),
    path("report/", views.report_page, name="desk-report"),
    path("vacancies/<id:pk>/report/", views.report_page, name="desk-vacancy-report"),
    path("agencies/", views.agency_check_page, name="agency-check"),
    path("report/broker/", views.broker_report_page, name="broker-report"),
    path("follow/", views.follow_page, name="case-follow"),
    path("cases/", views.cases_page, name="desk-cases"),
    path("cases/<id:pk>/", views.case_page, name="desk-case"),
    path("imports/", views.imports_page, name="desk-imports"),
    path("imports/<id:pk>/", views.import_page, name="desk-import"),
    path("imports/<id:pk>/report.csv", views.import_report, name="desk-import-report"),
    path("imports/template/<str:kind>.<str:fmt>", views.import_template, name="desk-import-template"),
    path("audit/", views.audit_page, name="desk-audit"),
    path("messages/", views.delivery_log, name="desk-messages"),
    path("searches-missed/", views.missed_searches, name="desk-missed-searches"),
]

public = [  # under /statistics/ (see portal/urls.py)
    path("labour-market/", views.labour_market_page, name="labour-market"),
    path("labour-market.xlsx", views.labour_market_workbook, name="labour-market-xlsx"),
]

institutions = [  # a training institution's own imports, at the root (see portal/urls.py): training's pages link here
    path("org/<id:org>/courses/import/", views.org_import, name="org-import"),
    path("org/imports/<id:pk>/", views.org_import_status, name="org-import-status"),
    path("org/imports/template/<str:kind>.<str:fmt>", views.org_import_template, name="org-import-template"),
]

api = [
    path("statistics/placements", api.PlacementStatisticsApi.as_view(), name="statistics-placements"),
    path("placements/summary", api.PlacementSummaryApi.as_view(), name="placement-summary"),
    path("statistics/labour-market", api.LabourMarketApi.as_view(), name="statistics-labour-market"),
    path("targets", api.TargetsApi.as_view(), name="targets"),
    path("desk/queues/<str:queue>", api.QueueApi.as_view(), name="desk-queue-api"),
    path("reports", api.ReportApi.as_view(), name="report-api"),
    path("reports/follow", api.FollowApi.as_view(), name="report-follow-api"),
    path("agencies/check", api.AgencyCheckApi.as_view(), name="agency-check-api"),
    path("desk/cases/<id:pk>/status", api.CaseStatusApi.as_view(), name="desk-case-status-api"),
    path("desk/imports", api.ImportsApi.as_view(), name="desk-imports-api"),
    path("desk/imports/<id:pk>", api.ImportApi.as_view(), name="desk-import-api"),
]
