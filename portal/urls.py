from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from jobs import api as jobs_api
from portal.health import healthz
from search.api import OccupationSuggestApi

router = SimpleRouter(trailing_slash=False)
router.register("organisations", jobs_api.OrganisationViewSet, basename="organisation")
router.register("contracts", jobs_api.ContractViewSet, basename="contract")
router.register("vacancies", jobs_api.VacancyViewSet, basename="vacancy")

api_v1 = [
    path("communes", jobs_api.communes_list, name="communes"),
    path("occupations", jobs_api.occupations_list, name="occupations"),
    path("occupations/suggest", OccupationSuggestApi.as_view(), name="occupation-suggest"),
    path("countries", jobs_api.countries_list, name="countries"),
    path("programmes", jobs_api.programmes_list, name="programmes"),
    path("fee-rules", jobs_api.fee_rules_list, name="fee-rules"),
    *router.urls,
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.urls")),
]
