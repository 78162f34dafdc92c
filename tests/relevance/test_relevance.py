"""The relevance rules, on the judged corpus of tests/relevance/ (`manage.py search_quality` prints the figures).

The corpus goes through the production paths (rows, the real indexer, `matching_profile`) with its reference
data, in an index prefix of its own, and is rolled back and dropped after the module.
"""

import pytest

from search import quality
from search.quality import load

pytestmark = pytest.mark.search

JUDGED = {case["query"]: case["judgments"] for case in load("queries") if not case.get("filters")}
TITLES = {v["key"]: v for v in load("vacancies")}
FLOOR = 0.88  # below this the judged quality has fallen: `manage.py search_quality` says by how much


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), quality.judged_corpus() as corpus:
        yield corpus


def grades(query, found):
    return [JUDGED[query].get(key, 0) for key in found]


def test_with_or_without_diacritics_welding_comes_first(corpus):
    for typed in ("tho han", "thợ hàn"):
        assert min(grades("thợ hàn", corpus.search(typed)[:5])) >= 2, typed


def test_an_exact_diacritic_match_ranks_above_a_folded_one(corpus):
    found = corpus.search("công nhân may")
    sewing = [i for i, key in enumerate(found) if TITLES[key]["occupation"] in ("8153", "7531", "8152")]
    machines = [
        i
        for i, key in enumerate(found)
        if "máy" in TITLES[key]["title"].lower() and "may " not in TITLES[key]["title"].lower()
    ]
    assert sewing and (not machines or min(sewing) < min(machines))


def test_an_alias_finds_vacancies_of_its_occupation_whose_title_says_otherwise(corpus):
    found = corpus.search("hàn điện")
    assert any(TITLES[k]["occupation"] == "7212" and "hàn" not in TITLES[k]["title"].lower() for k in found)


def test_a_one_letter_typo_still_finds(corpus):
    assert max(grades("dieu duonh", corpus.search("dieu duonh")[:10]), default=0) >= 2


def test_filters_hold(corpus):
    assert all(TITLES[key]["country"] == "JP" for key in corpus.search("thuc tap sinh", country="JP"))
    assert all(TITLES[key]["is_overseas"] for key in corpus.search("cong nhan", abroad=True))


def test_quality_does_not_fall_below_the_floor(corpus):
    scores = quality.scores_on(corpus)

    assert scores["search"].summary()["ndcg@10"] >= FLOOR
    assert scores["matching"].summary()["ndcg@10"] >= FLOOR
    # Measured 03/12/2026: recall@20 0,803 (the target is 0,80), and four of the five queries
    # that should find nothing find nothing ("phi công" meets "Công nhân … phi lê cá": fillets).
    assert scores["search"].summary()["recall@20"] >= 0.78
    assert scores["search"].summary()["nothing_right"] >= 0.8
