"""The search API: vacancy and course search and typeahead for everyone (matches and ranked candidates are
in search/matching_api.py). Input is validated before Elasticsearch sees it; a dead node is a 503, never a 500."""

import copy

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from elasticsearch import ApiError, BadRequestError, NotFoundError, TransportError
from rest_framework import serializers
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates.selectors import worker_of
from jobs.models import (
    Commune,
    Country,
    Occupation,
    Programme,
    Sanction,
    TrainingLevel,
    Vacancy,
)
from portal.api import Serializer, valid
from portal.throttling import AnonRateThrottle, UserRateThrottle
from search import queries, ranking
from search.services import broader_searches
from training.models import CourseLevel


class SearchUnavailable(APIException):
    status_code = 503
    default_detail = gettext_lazy("Search is briefly unavailable; please try again in a few minutes.")
    default_code = "search_unavailable"


def unavailable(exc) -> bool:
    """The node is down, unreachable, overloaded or without its index: a 503 for the client. Any other
    4xx from Elasticsearch is our bug and stays a 500, so it is seen and fixed."""
    return (
        isinstance(exc, TransportError | NotFoundError)  # down, or the index not built yet (search_rebuild)
        or (isinstance(exc, ApiError) and exc.meta.status >= 500)
    )


class SearchRateThrottle(AnonRateThrottle):
    """Anonymous clients share a fair rate (per IP, counted in Redis); signed-in users are not limited here."""

    def get_rate(self):
        return settings.SEARCH_ANON_RATE


class SearchUserRateThrottle(UserRateThrottle):
    """Signed-in users get a larger share, but a share: a scripted account cannot flood the node."""

    def get_rate(self):
        return settings.SEARCH_USER_RATE

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None  # the anonymous share above already counts this client: one count, not two
        return super().get_cache_key(request, view)


class SearchView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SearchRateThrottle, SearchUserRateThrottle]

    def handle_exception(self, exc):
        if unavailable(exc):
            exc = SearchUnavailable()
        return super().handle_exception(exc)


# --- Typeahead --------------------------------------------------------------------------------


class QueryInput(Serializer):
    """Query-string input, checked on every search. DRF deep-copies each declared field for each
    request, a sixth of a search's Python time; validating changes nothing in a field, so a shallow
    copy is enough."""

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class SuggestInput(QueryInput):
    q = serializers.CharField(max_length=100, label=gettext_lazy("search text"))


class OccupationSuggestion(Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class Suggestion(Serializer):
    kind = serializers.ChoiceField(choices=["occupation", "vacancy"])
    text = serializers.CharField()
    code = serializers.CharField(allow_null=True)


class OccupationSuggestApi(SearchView):
    """Typeahead for occupations: "tho h" or "thợ h" suggests "Thợ hàn…"."""

    @extend_schema(parameters=[SuggestInput], responses=OccupationSuggestion(many=True))
    def get(self, request):
        found = queries.occupation_suggestions(valid(SuggestInput, request.query_params)["q"])
        return Response(OccupationSuggestion(found, many=True).data)


# --- Vacancy search ---------------------------------------------------------------------------


class SearchInput(QueryInput):
    q = serializers.CharField(max_length=ranking.MAX_QUERY_LENGTH, required=False, allow_blank=True, default="")
    occupation = serializers.SlugRelatedField(
        slug_field="code", queryset=Occupation.objects.all(), many=True, required=False
    )
    commune = serializers.SlugRelatedField(slug_field="code", queryset=Commune.objects.all(), required=False)
    near = serializers.SlugRelatedField(slug_field="code", queryset=Commune.objects.all(), required=False)
    radius_km = serializers.IntegerField(min_value=1, max_value=300, default=30)
    abroad = serializers.ChoiceField(choices=["true", "false"], required=False)
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all(), required=False)
    programme = serializers.SlugRelatedField(slug_field="code", queryset=Programme.objects.all(), required=False)
    salary_min = serializers.IntegerField(min_value=0, required=False)
    training_level = serializers.ChoiceField(choices=TrainingLevel.choices, required=False)
    employment_type = serializers.ChoiceField(choices=Vacancy.ContractType.choices, required=False)
    posted_since = serializers.DateField(required=False)
    sort = serializers.ChoiceField(choices=list(queries.SORTS), default="relevance")
    page_size = serializers.IntegerField(min_value=1, max_value=100, default=20)
    page = serializers.IntegerField(min_value=1, default=1)
    search_after = serializers.CharField(max_length=500, required=False)

    def validate_search_after(self, value):
        try:
            return queries.read_cursor(value)
        except ValueError:
            raise serializers.ValidationError(_("This is not a cursor this search gave.")) from None

    def validate(self, data):
        if data["page"] * data["page_size"] > ranking.MAX_RESULT_WINDOW:
            raise serializers.ValidationError(
                {"page": [_("Pages go up to %(n)s results; follow the “next” cursor to go further.")
                          % {"n": number_format(ranking.MAX_RESULT_WINDOW, force_grouping=True)}]}
            )  # fmt: skip
        return data

    def to_query(self) -> queries.VacancyQuery:
        return queries.vacancy_query(self.validated_data)


class VacancySuggestInput(SearchInput):
    """The search box's text so far, and the filters already chosen: suggestions stay within them."""

    q = serializers.CharField(max_length=100, label=gettext_lazy("search text"))


class VacancySuggestApi(SearchView):
    """Typeahead for the search box: occupations and vacancy titles by prefix, at most 10."""

    @extend_schema(parameters=[VacancySuggestInput], responses=Suggestion(many=True))
    def get(self, request):
        params = VacancySuggestInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(queries.suggestions(params.validated_data["q"], within=params.to_query()))


FILTERS = ["occupation", "commune", "near", "abroad", "country", "programme", "salary_min", "training_level"]
FILTERS += ["employment_type", "posted_since"]


def with_warnings(results: list[dict]) -> None:
    """A warned enterprise's vacancies stay in search, each with the warning (read from PostgreSQL)."""
    warnings = Sanction.objects.warning_by_organisation({int(r["organisation"]) for r in results})
    for result in results:
        warning = warnings.get(int(result["organisation"]))
        result["warning"] = (
            {"decision_number": warning.decision_number, "decided_on": warning.decided_on} if warning else None
        )


class VacancySearchApi(SearchView):
    """Search visible vacancies: free text with or without diacritics, filters, facets, deep paging."""

    @extend_schema(parameters=[SearchInput], responses={200: dict})
    def get(self, request):
        params = SearchInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.to_query()
        try:
            found = queries.vacancy_search(query)
        except BadRequestError:
            if not query.search_after:
                raise
            # A cursor of the right shape but not from this search (another sort, doctored values).
            raise serializers.ValidationError({"search_after": [_("This is not a cursor this search gave.")]}) from None
        with_warnings(found["results"])
        if found["count"] == 0:
            given = request.query_params
            filters = {name: given.getlist(name) for name in FILTERS if given.get(name)}
            found["empty"] = {
                "message": _("No vacancy matches this search."),
                "broader": broader_searches(query, filters),
            }
        return Response(found)


# --- Course search ----------------------------------------------------------------------------


class CourseSearchInput(Serializer):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    occupation = serializers.CharField(max_length=5, required=False)
    level = serializers.ChoiceField(choices=CourseLevel.choices, required=False)
    language = serializers.RegexField(r"^[a-z_]+:\d{1,3}$", required=False)
    for_me = serializers.BooleanField(required=False, default=False)
    page = serializers.IntegerField(min_value=1, max_value=50, required=False, default=1)


class CourseSearchApi(SearchView):
    """Courses still to start with seats left: `?q=han&occupation=7212&level=elementary`; with `for_me=true`
    a signed-in worker's: near home or wanted communes, starting within three months."""

    @extend_schema(parameters=[CourseSearchInput], responses={200: dict})
    def get(self, request):
        data = valid(CourseSearchInput, request.query_params)
        worker = worker_of(request.user) if data["for_me"] else None
        return Response(queries.course_search(queries.course_query(data, worker=worker)))
