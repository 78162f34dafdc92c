"""Search quality, measured: the judged set in tests/relevance/ run through the real queries.

The corpus is loaded straight into a throw-away index (its own prefix, never the live alias): the set
judges ranking, and the indexing pipeline has tests of its own. Metrics: NDCG@10 with graded gains
(2^grade - 1), recall@20 (a judged vacancy of any grade counts), and the share of queries that found
nothing (and, of those, the ones where something was judged relevant).
"""

import json
import math
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone
from elasticsearch.helpers import bulk

from jobs.languages import best_ranks, rank
from jobs.models import Commune, Programme, TrainingLevel, age_limits
from search import queries
from search.client import elasticsearch
from search.documents import VacancyDocument
from search.indexes import alias_of, create_index
from search.text import fold

SET = Path(settings.BASE_DIR) / "tests" / "relevance"


def load(name: str) -> list[dict]:
    return json.loads((SET / f"{name}.json").read_text(encoding="utf-8"))


@dataclass
class Scores:
    ndcg: list[float]
    recall: list[float]
    zero: int  # cases that found nothing
    missed: int  # of those, cases where something was judged relevant
    rows: list[tuple[str, float, float, int]]

    def summary(self) -> dict[str, float]:
        return {
            "ndcg@10": sum(self.ndcg) / len(self.ndcg),
            "recall@20": sum(self.recall) / len(self.recall),
            "zero_result_rate": self.zero / len(self.ndcg),
            "missed_rate": self.missed / len(self.ndcg),
        }


def evaluate() -> dict[str, Scores]:
    """Index the corpus under a temporary prefix, run every query and profile, drop the index."""
    with override_settings(SEARCH_INDEX_PREFIX=f"quality-{uuid.uuid4().hex[:8]}"):
        index = load_corpus()
        try:
            return {"search": _search_scores(), "matching": _matching_scores()}
        finally:
            drop(index)


def load_corpus() -> str:
    """The judged vacancies in a new index behind the (current prefix's) vacancies alias."""
    index = create_index(VacancyDocument)
    es = elasticsearch()
    es.indices.put_alias(index=index, name=alias_of(VacancyDocument))
    reference = _Reference(
        communes=_communes(),
        occupations=_occupation_names(),
        programmes={p.code: p for p in Programme.objects.all()},
    )
    bulk(es, ({"_index": index, "_id": v["key"], "_source": _document(v, reference)} for v in load("vacancies")))
    es.indices.refresh(index=index)
    return index


def drop(index: str) -> None:
    elasticsearch().indices.delete(index=index, ignore_unavailable=True)


@dataclass
class _Reference:
    """What every judged vacancy looks up, read once for the corpus."""

    communes: dict
    occupations: dict
    programmes: dict


def _document(entry: dict, reference: _Reference) -> dict:
    """A judged vacancy as VacancyDocument.source would index it (the same age rule, jobs.models.age_limits)."""
    commune = reference.communes.get(entry.get("commune"))
    now = timezone.now()
    age_min, age_max = age_limits(
        is_overseas=entry["is_overseas"],
        age_min=entry.get("age_min"),
        age_max=entry.get("age_max"),
        programme=reference.programmes.get(entry.get("programme")),
    )
    title = entry["title"]
    return {
        "pk": int(entry["key"].lstrip("v")),
        "title": title,
        "title_folded": fold(title),
        "title_suggest": {"input": [fold(title)]},
        "description_folded": fold(entry["description"]),
        "skills_folded": [fold(skill) for skill in entry.get("skills", [])],
        "occupation": entry["occupation"],
        "occupation_name": reference.occupations.get(entry["occupation"], ""),
        "is_overseas": entry["is_overseas"],
        "commune": entry.get("commune"),
        "location": {"lat": commune[0], "lon": commune[1]} if commune else None,
        "country": entry.get("country"),
        "programme": entry.get("programme"),
        "salary_min_vnd": entry["salary_min_vnd"],
        "salary_max_vnd": entry["salary_max_vnd"],
        "training_level": entry["training_level"],
        "training_rank": TrainingLevel.values.index(entry["training_level"]),
        "languages": [
            f"{lang['framework']}:{rank(lang['framework'], lang['level'])}" for lang in entry.get("languages", [])
        ],
        "language_count": len(entry.get("languages", [])),
        "age_min": age_min,
        "age_max": age_max,
        "sex": "any",
        "contract_type": entry["contract_type"],
        "deadline": (now + timedelta(days=30)).date().isoformat(),
        "published_at": (now - timedelta(days=entry.get("days_old", 0))).isoformat(),
    }


def _communes():
    return {c.code: (c.latitude, c.longitude) for c in Commune.objects.all()}


def _occupation_names():
    from jobs.models import Occupation

    return dict(Occupation.objects.values_list("code", "name_vi"))


def _search_scores() -> Scores:
    scores, communes = Scores([], [], 0, 0, []), _communes()
    for case in load("queries"):
        filters = case.get("filters", {})
        near = filters.get("near")
        query = queries.VacancyQuery(
            q=case["query"],
            abroad=filters.get("abroad"),
            country=filters.get("country"),
            commune=filters.get("commune"),
            near=communes.get(near) if near else None,
            page_size=20,
        )
        found = [f"v{hit['pk']:03d}" for hit in queries.vacancy_search(query)["results"]]
        _score(scores, case["query"], found, case["judgments"])
    return scores


def _matching_scores() -> Scores:
    scores, communes = Scores([], [], 0, 0, []), _communes()
    year = timezone.localdate().year
    for case in load("profiles"):
        certificates = case.get("certificates", [])
        profile = queries.Profile(
            age=year - case["birth_year"],
            sex=case["sex"],
            location=communes[case["commune"]],
            desired=case.get("desired_occupations", []),
            certified=sorted({c["occupation"] for c in certificates if c.get("occupation")}),
            training_rank=max((TrainingLevel.values.index(c["level"]) for c in certificates), default=0),
            languages=best_ranks((lang["framework"], lang["level"]) for lang in case.get("languages", [])),
            wants_abroad=case.get("wants_abroad", False),
            countries=case.get("countries", []),
            expected_salary_vnd=case.get("expected_salary_vnd"),
        )
        found = [f"v{hit['pk']:03d}" for hit in queries.matches_for(profile, size=20)]
        _score(scores, case["key"], found, case["judgments"])
    return scores


def _score(scores: Scores, label: str, found: list[str], judgments: dict[str, int]) -> None:
    gains = [2 ** judgments.get(key, 0) - 1 for key in found[:10]]
    ideal = sorted((2**g - 1 for g in judgments.values()), reverse=True)[:10]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    ndcg = dcg / idcg if idcg else (1.0 if not found else 0.0)
    recall = len(set(found[:20]) & set(judgments)) / len(judgments) if judgments else 1.0
    scores.ndcg.append(ndcg)
    scores.recall.append(recall)
    scores.zero += not found
    scores.missed += bool(judgments) and not found
    scores.rows.append((label, ndcg, recall, len(found)))
