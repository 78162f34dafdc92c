"""The search API: vacancy search and typeahead for everyone, matches for workers, candidates for
organisations. Input is validated before Elasticsearch sees it; a dead node is a 503, never a 500."""

import copy

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from elasticsearch import ApiError, BadRequestError, NotFoundError, TransportError
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import OfficersRecord
from candidates.models import WorkerProfile
from candidates.selectors import matching_profile, worker_of
from candidates.services import ranked_candidates
from jobs.languages import level_of
from jobs.models import (
    Commune,
    Country,
    LanguageRequirement,
    Occupation,
    Programme,
    Sanction,
    TrainingLevel,
    Vacancy,
)
from jobs.permissions import member_or_404
from portal.api import valid
from portal.money import vnd
from portal.throttling import AnonRateThrottle, UserRateThrottle
from search import queries, ranking
from search.services import broader_searches
from training.selectors import courses_link, language_course_frameworks


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


class QueryInput(serializers.Serializer):
    """Query-string input, checked on every search. DRF deep-copies each declared field for each
    request, a sixth of a search's Python time; validating changes nothing in a field, so a shallow
    copy is enough."""

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class SuggestInput(QueryInput):
    q = serializers.CharField(max_length=100, label=gettext_lazy("search text"))


class OccupationSuggestion(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class Suggestion(serializers.Serializer):
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
        data = self.validated_data
        near = data.get("near")
        return queries.VacancyQuery(
            q=data["q"],
            occupations=[o.code for o in data.get("occupation", [])],
            commune=data["commune"].code if data.get("commune") else None,
            near=(near.latitude, near.longitude) if near else None,
            radius_km=data["radius_km"],
            abroad={"true": True, "false": False}.get(data.get("abroad")),
            country=data["country"].pk if data.get("country") else None,
            programme=data["programme"].code if data.get("programme") else None,
            salary_min=data.get("salary_min"),
            training_level=data.get("training_level"),
            employment_type=data.get("employment_type"),
            posted_since=data.get("posted_since"),
            sort=data["sort"],
            page_size=data["page_size"],
            page=data["page"],
            search_after=data.get("search_after"),
        )


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


# --- Matching ---------------------------------------------------------------------------------


def describe_missing(item: dict, *, candidate: bool = False) -> str:
    """One criterion a match did not meet, in words: to the worker ("you have"), or about a candidate."""
    if item["criterion"] == "language":

        def level(r):
            return level_of(item["framework"], r)

        named = {"name": LanguageRequirement.Framework(item["framework"]).label, "level": level(item["required"])}
        if item["have"] is None:
            none = _("%(name)s %(level)s required; the worker has none.") if candidate else None
            return (none or _("%(name)s %(level)s required; you have none.")) % named
        has = _("%(name)s %(level)s required; the worker has %(have)s.") if candidate else None
        return (has or _("%(name)s %(level)s required; you have %(have)s.")) % {**named, "have": level(item["have"])}
    if item["criterion"] == "training":
        return _("Training required: %(level)s.") % {"level": TrainingLevel(item["required"]).label}
    if item["criterion"] == "salary":
        return _("Pays up to %(offered)s a month; you expect %(expected)s.") % {
            "offered": vnd(item["offered"]),
            "expected": vnd(item["expected"]),
        }
    if candidate:
        return _("Neither chose this occupation nor holds a certificate in it.")
    return _("Another occupation than the ones you chose.")


def matches_response(worker: WorkerProfile):
    results = queries.matches_for(matching_profile(worker))
    frameworks = language_course_frameworks()
    for result in results:
        # Each missing item in words, and beside it the course search that closes it (or null).
        result["missing_courses"] = [courses_link(item, language_courses=frameworks) for item in result["missing"]]
        result["missing"] = [describe_missing(item) for item in result["missing"]]
    return Response({"results": results})


class MyMatchesApi(SearchView):
    """Visible vacancies ranked for me, each saying why it fits and what is missing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request):
        worker = worker_of(request.user)
        if worker is None:
            raise NotFound(_("Fill in your profile first."))
        return matches_response(worker)


class WorkerMatchesApi(SearchView):
    permission_classes = [OfficersRecord]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        return matches_response(get_object_or_404(WorkerProfile.objects.select_related("commune"), pk=pk))


class VacancyCandidatesApi(SearchView):
    """Workers who agreed to be found, ranked for one of my vacancies; names and contacts masked until
    the worker applies."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request, pk):
        vacancy = get_object_or_404(Vacancy.objects.select_related("organisation"), pk=pk)
        member_or_404(request.user, vacancy.organisation)
        found = ranked_candidates(vacancy=vacancy, viewer=request.user)
        if found is None:
            raise NotFound(_("Only a published vacancy has ranked candidates."))
        for candidate in found:
            candidate["missing"] = [describe_missing(item, candidate=True) for item in candidate["missing"]]
        return Response({"results": found})
