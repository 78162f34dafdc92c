import pytest
from django.core.management import call_command

from candidates.models import Consent, Placement, WorkerProfile, WorkExperience
from desk.models import Case
from fairs.models import Fair
from jobs.models import Commune, Occupation, Organisation, OverseasTerms, Vacancy
from search import queries
from search.models import PendingPercolation, SavedSearch
from training.models import Course, Enrolment

pytestmark = pytest.mark.search


def test_seed_demo_loads_a_living_portal_once_and_makes_it_searchable(transactional_db, search_index):
    call_command("seed_demo", vacancies=20, workers=10)
    call_command("seed_demo", vacancies=20, workers=10)  # `make run` calls it every time

    assert Commune.objects.count() == 78
    assert Occupation.objects.filter(code="7212", aliases__contains=["thợ hàn"]).exists()
    assert Organisation.objects.pending_verification().count() == 1  # one waits in the officers' queue
    assert Vacancy.objects.visible().filter(is_overseas=True).exists()
    assert Vacancy.objects.visible().filter(is_overseas=False).count() >= 10
    assert OverseasTerms.objects.filter(fee_verdict="above_cap").count() == 1  # the draft an agency must fix
    assert WorkerProfile.objects.count() == 10
    assert (
        WorkerProfile.objects.indexable().count()
        == Consent.objects.filter(withdrawn_at=None, purpose="be_found").count()
    )
    assert SavedSearch.objects.count() == 3  # saved searches at each rhythm, their vacancies queued to percolate
    assert PendingPercolation.objects.count() == Vacancy.objects.visible().count()
    assert Placement.objects.counted().count() > Placement.objects.filter(status="pending").count() > 0
    assert queries.occupations_matching("tho han")[0]["code"] == "7212"
    assert queries.occupations_matching("welder")[0]["code"] == "7212"
    assert Course.objects.pending_review().count() == 1  # the enterprise's course waits for review
    assert queries.course_search(queries.CourseQuery(q="tieng nhat"))["count"] == 1  # JLPT N4, still to start
    assert Enrolment.objects.counted().count() > 5000  # a year of enrolments in progress
    assert Enrolment.objects.completed().exists()
    # work abroad: state programme vacancies, a departure through the checklist, a case, a returnee
    assert Vacancy.objects.visible().filter(organisation__kind="public_centre").count() == 2
    assert Placement.objects.filter(application__departure__contract_confirmed_at__isnull=False).exists()
    assert Case.objects.filter(reason="contract_substitution").count() == 1
    assert WorkExperience.objects.filter(country="KR", worker__languages__framework="eps_topik").exists()
    assert Placement.objects.exclude(returned_on=None).count() > 50
    upcoming, held = Fair.objects.upcoming(), Fair.objects.exclude(pk__in=Fair.objects.upcoming())
    assert upcoming.count() == 1 and upcoming.get().participants.count() == 2
    registered = held.get().registrations
    assert held.count() == 1 and registered.exclude(checked_in_at=None).count() == registered.count() - 1 > 5
    fair_hires = Placement.objects.filter(fair_outcome__fair__in=held)
    assert fair_hires.filter(status="confirmed").count() == 4 and fair_hires.filter(status="pending").count() == 1
