"""The relevance rules, on the judged corpus of tests/relevance/ (`manage.py search_quality` prints the figures)."""

import pytest
from django.test.utils import override_settings

from jobs.models import FeeRule
from search import quality, queries
from search.quality import load
from tests.conftest import _load_reference

pytestmark = pytest.mark.search

JUDGED = {case["query"]: case["judgments"] for case in load("queries") if not case.get("filters")}
TITLES = {v["key"]: v for v in load("vacancies")}


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The corpus in its own index for the module; yields a search function returning vacancy keys."""
    with django_db_blocker.unblock(), override_settings(SEARCH_INDEX_PREFIX="relevance-test"):
        if not FeeRule.objects.exists():  # a transactional test flushed the reference data: aliases and all
            _load_reference()
        queries.forget_reference()  # the occupation aliases as the database has them now, not an earlier test's
        index = quality.load_corpus()
        try:
            yield lambda text, **filters: [
                f"v{hit['pk']:03d}"
                for hit in queries.vacancy_search(queries.VacancyQuery(q=text, page_size=20, **filters))["results"]
            ]
        finally:
            quality.drop(index)


def grades(query, found):
    return [JUDGED[query].get(key, 0) for key in found]


def test_with_or_without_diacritics_welding_comes_first(corpus):
    for typed in ("tho han", "thợ hàn"):
        assert min(grades("thợ hàn", corpus(typed)[:5])) >= 2, typed


def test_an_exact_diacritic_match_ranks_above_a_folded_one(corpus):
    found = corpus("công nhân may")
    sewing = [i for i, key in enumerate(found) if TITLES[key]["occupation"] in ("8153", "7531", "8152")]
    machines = [
        i
        for i, key in enumerate(found)
        if "máy" in TITLES[key]["title"].lower() and "may " not in TITLES[key]["title"].lower()
    ]
    assert sewing and (not machines or min(sewing) < min(machines))


def test_an_alias_finds_vacancies_of_its_occupation_whose_title_says_otherwise(corpus):
    found = corpus("hàn điện")
    assert any(TITLES[k]["occupation"] == "7212" and "hàn" not in TITLES[k]["title"].lower() for k in found)


def test_a_one_letter_typo_still_finds(corpus):
    assert max(grades("dieu duonh", corpus("dieu duonh")[:10]), default=0) >= 2


def test_filters_hold(corpus):
    assert all(TITLES[key]["country"] == "JP" for key in corpus("thuc tap sinh", country="JP"))
    assert all(TITLES[key]["is_overseas"] for key in corpus("cong nhan", abroad=True))


def test_quality_does_not_fall_below_what_was_measured(db, reference):
    scores = quality.evaluate()

    # Measured 27/11/2026: search NDCG@10 0,865, matching 0,875 (`manage.py search_quality`).
    assert scores["search"].summary()["ndcg@10"] >= 0.83
    assert scores["matching"].summary()["ndcg@10"] >= 0.85
