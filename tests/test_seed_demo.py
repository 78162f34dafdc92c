import pytest
from django.core.management import call_command

from jobs.models import Occupation
from search import queries

pytestmark = pytest.mark.search


def test_seed_demo_loads_the_reference_data_once_and_makes_it_searchable(transactional_db, search_index):
    call_command("seed_demo")
    call_command("seed_demo")  # `make run` calls it every time

    assert Occupation.objects.count() >= 60
    assert Occupation.objects.filter(code="7212", aliases__contains=["thợ hàn"]).exists()
    assert queries.occupations_matching("tho han")[0]["code"] == "7212"
    assert queries.occupations_matching("welder")[0]["code"] == "7212"
