"""The matching API: a worker's matches (their own, or any worker's for an officer), and the candidates
ranked for one of an organisation's vacancies. Thin views over search/matching.py."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import OfficersRecord
from candidates.models import WorkerProfile
from candidates.selectors import worker_of
from jobs.models import Vacancy
from jobs.permissions import member_or_404
from search import queries
from search.api import SearchView
from search.matching import describe_missing, matching_profile, ranked_candidates
from training.selectors import courses_link, language_course_frameworks


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
