from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from accounts.second_factor import second_factor
from candidates import api as candidates_api
from desk import urls as desk_urls
from fairs import api as fairs_api
from jobs import api as jobs_api
from notifications import api as notifications_api
from portal import api as portal_api
from portal.admin import PortalAdminSite
from portal.health import healthz
from portal.routing import Router
from search import api as search_api
from search import matching_api, saved_api
from training import api as training_api

admin.site.__class__ = PortalAdminSite  # django-otp's documented way: password and TOTP for the admin

router = Router(trailing_slash=False)
router.register("organisations", jobs_api.OrganisationViewSet, basename="organisation")
router.register("contracts", jobs_api.ContractViewSet, basename="contract")
router.register("vacancies", jobs_api.VacancyViewSet, basename="vacancy")
router.register("workers/me/certificates", candidates_api.MyCertificates, basename="my-certificate")
router.register("workers/me/languages", candidates_api.MyLanguages, basename="my-language")
router.register("workers/me/experience", candidates_api.MyExperience, basename="my-experience")
router.register("workers/me/applications", candidates_api.MyApplications, basename="my-application")
router.register("workers/me/invitations", candidates_api.MyInvitations, basename="my-invitation")
router.register("applications", candidates_api.ApplicationViewSet, basename="application")
router.register("placements", candidates_api.PlacementViewSet, basename="placement")
router.register("courses", training_api.CourseViewSet, basename="course")
router.register("searches", saved_api.SavedSearchViewSet, basename="saved-search")
router.register("enrolments", training_api.EnrolmentViewSet, basename="enrolment")
router.register("fairs", fairs_api.FairViewSet, basename="fair-api")

api_v1 = [
    path("communes", jobs_api.communes_list, name="communes"),
    path("occupations", jobs_api.occupations_list, name="occupations"),
    path("occupations/suggest", search_api.OccupationSuggestApi.as_view(), name="occupation-suggest"),
    path("vacancies/search", search_api.VacancySearchApi.as_view(), name="vacancy-search"),
    path("vacancies/suggest", search_api.VacancySuggestApi.as_view(), name="vacancy-suggest"),
    path("vacancies/<id:pk>/candidates", matching_api.VacancyCandidatesApi.as_view(), name="vacancy-candidates"),
    path("vacancies/<id:pk>/invitations", candidates_api.InviteApi.as_view(), name="vacancy-invite"),
    path("workers/me/matches", matching_api.MyMatchesApi.as_view(), name="my-matches-api"),
    path("workers/<id:pk>/matches", matching_api.WorkerMatchesApi.as_view(), name="worker-matches"),
    path("countries", jobs_api.countries_list, name="countries"),
    path("programmes", jobs_api.programmes_list, name="programmes"),
    path("stream", jobs_api.StreamApi.as_view(), name="stream"),
    path("stream/snapshot", jobs_api.SnapshotApi.as_view(), name="stream-snapshot"),
    path("fee-rules", jobs_api.fee_rules_list, name="fee-rules"),
    path("auth/csrf", accounts_api.CsrfApi.as_view(), name="csrf"),
    path("auth/signup", accounts_api.SignUpApi.as_view(), name="signup"),
    path("auth/signup/confirm", accounts_api.SignUpConfirmApi.as_view(), name="signup-confirm"),
    path("auth/password-reset", accounts_api.PasswordResetApi.as_view(), name="password-reset"),
    path("auth/password-reset/confirm", accounts_api.PasswordResetConfirmApi.as_view(), name="password-reset-confirm"),
    path("auth/login", accounts_api.SignInApi.as_view(), name="login"),
    path("auth/logout", accounts_api.SignOutApi.as_view(), name="logout"),
    path("me/phone", accounts_api.PhoneChangeApi.as_view(), name="phone-change"),
    path("me/phone/confirm", accounts_api.PhoneChangeConfirmApi.as_view(), name="phone-change-confirm"),
    path("me/notifications", notifications_api.MyPreferenceApi.as_view(), name="my-notifications"),
    path("workers/me", candidates_api.MyProfileApi.as_view(), name="my-profile"),
    path("workers/me/export", candidates_api.MyExportApi.as_view(), name="my-export"),
    path("workers/me/consents", candidates_api.MyConsentsApi.as_view(), name="my-consents"),
    path("workers/me/saved/<id:pk>", candidates_api.MySavedVacancyApi.as_view(), name="my-saved-vacancy"),
    path("workers/<id:pk>", candidates_api.WorkerForOfficerApi.as_view(), name="worker"),
    path("workers/me/placements", candidates_api.MyPlacementsApi.as_view(), name="my-placements"),
    path("applications/<id:pk>/departure", candidates_api.DepartureChecklistApi.as_view(), name="departure"),
    path(
        "applications/<id:pk>/departure/override",
        candidates_api.DepartureOverrideApi.as_view(),
        name="departure-override",
    ),
    path("placements/<id:pk>/return", candidates_api.PlacementReturnApi.as_view(), name="placement-return"),
    path("certificates/<id:pk>/verify", candidates_api.VerifyCertificateApi.as_view(), name="certificate-verify"),
    path("language-certificates/<id:pk>/verify", candidates_api.VerifyLanguageApi.as_view(), name="language-verify"),
    path("courses/search", search_api.CourseSearchApi.as_view(), name="course-search"),
    path("workers/me/enrolments", training_api.MyEnrolmentsApi.as_view(), name="my-enrolments"),
    *desk_urls.api,
    *router.urls,
    re_path(r"", portal_api.not_found),  # last: whatever no route above takes
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script under the content policy.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="frontend/swagger_ui.html"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    path("officer/second-factor/", second_factor, name="second-factor"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("desk/", include(desk_urls.pages)),
    path("statistics/", include(desk_urls.public)),
    path("", include("training.urls")),
    path("", include(desk_urls.institutions)),
    path("", include("fairs.urls")),
    path("", include("frontend.urls")),
]
