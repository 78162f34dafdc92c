"""Search quality, measured: the judged set in tests/relevance/ run through the production code paths.

`judged_corpus()` writes the judged vacancies and workers as rows (with the reference data they stand on:
communes, occupations, programmes, loaded by the services that load them), indexes the vacancies with
the real indexer (`search.services.sync`, hence `VacancyDocument.source`) under an index prefix of its
own, and builds each worker's profile with `search.matching.matching_profile`; on the way out the
indices are dropped and the rows rolled back. A change to the indexer or to matching's profile is
therefore measured, never a copy of them.

Metrics, over the cases where something was judged relevant: NDCG@10 with graded gains (2^grade - 1),
and recall@20 (the share of the judged vacancies, of any grade, found in the first 20; over at most 20 of
them, since 20 results cannot hold 33). The cases judged to find nothing are scored apart, by whether
they found nothing.
"""

import json
import math
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from candidates.models import Certificate, LanguageCertificate, WorkerProfile
from jobs import services as jobs_services
from jobs.models import (
    Commune,
    Country,
    LabourSupplyContract,
    LanguageRequirement,
    Occupation,
    Organisation,
    Programme,
    Vacancy,
)
from search import queries
from search.client import elasticsearch
from search.documents import VacancyDocument
from search.indexes import alias_of
from search.matching import matching_profile
from search.services import sync

SET = Path(settings.BASE_DIR) / "tests" / "relevance"
RESULTS = 20


def load(name: str) -> list[dict]:
    return json.loads((SET / f"{name}.json").read_text(encoding="utf-8"))


@dataclass
class Scores:
    ndcg: list[float] = field(default_factory=list)  # the cases where something was judged relevant
    recall: list[float] = field(default_factory=list)
    missed: int = 0  # of those, the ones that found nothing
    nothing_expected: int = 0  # cases judged to find nothing
    nothing_found: int = 0  # of those, the ones that found nothing, as they should
    rows: list[tuple[str, float | None, float | None, int]] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        figures = {
            "ndcg@10": sum(self.ndcg) / len(self.ndcg),
            "recall@20": sum(self.recall) / len(self.recall),
            "missed_rate": self.missed / len(self.ndcg),
        }
        if self.nothing_expected:
            figures["nothing_right"] = self.nothing_found / self.nothing_expected
        return figures


@dataclass
class Corpus:
    """The judged set as rows: judged keys ("v001", "p01") and their primary keys."""

    vacancies: dict[str, int]
    workers: dict[str, WorkerProfile]

    def keys(self, hits: list[dict]) -> list[str]:
        by_pk = {pk: key for key, pk in self.vacancies.items()}
        return [by_pk[hit["pk"]] for hit in hits]

    def search(self, text: str, **filters) -> list[str]:
        """The judged keys a search through `queries.vacancy_search` finds, best first."""
        found = queries.vacancy_search(queries.VacancyQuery(q=text, page_size=RESULTS, **filters))
        return self.keys(found["results"])

    def matches(self, key: str) -> list[str]:
        return self.keys(queries.matches_for(matching_profile(self.workers[key]), size=RESULTS))


def evaluate() -> dict[str, Scores]:
    """Every judged query and profile, scored on the judged corpus."""
    with judged_corpus() as corpus:
        return scores_on(corpus)


def scores_on(corpus: Corpus) -> dict[str, Scores]:
    return {"search": _search_scores(corpus), "matching": _matching_scores(corpus)}


@contextmanager
def judged_corpus():
    """The judged set loaded as rows and indexed by the real indexer; rolled back and dropped afterwards."""
    prefix = f"quality-{uuid.uuid4().hex[:8]}"
    with override_settings(SEARCH_INDEX_PREFIX=prefix), transaction.atomic():
        queries.forget_reference()  # aliases and places of whatever database the process read before
        try:
            jobs_services.communes_load()
            jobs_services.occupations_load()
            jobs_services.reference_load()
            vacancies = _vacancies(load("vacancies"))
            sync(VacancyDocument, vacancies.values())
            elasticsearch().indices.refresh(index=alias_of(VacancyDocument))
            yield Corpus(vacancies, _workers(load("profiles")))
        finally:
            es = elasticsearch()
            for index in es.indices.get(index=f"{prefix}-*", allow_no_indices=True):  # no wildcard deletes
                es.indices.delete(index=index)
            queries.forget_reference()
            transaction.set_rollback(True)


def _vacancies(entries: list[dict]) -> dict[str, int]:
    now = timezone.now()
    owner = User.objects.create(username=f"quality-{uuid.uuid4().hex[:8]}")
    employer = Organisation.objects.create(
        kind=Organisation.Kind.EMPLOYER, name="Doanh nghiệp khảo sát", tax_code="3299999990", verification="verified"
    )
    agency = Organisation.objects.create(
        kind=Organisation.Kind.AGENCY,
        name="Doanh nghiệp dịch vụ khảo sát",
        tax_code="3299999991",
        verification="verified",
        licence_number="999/LĐTBXH-GP",
        licence_issued_on=date(2024, 1, 1),
        licence_expires_on=timezone.localdate() + timedelta(days=365),
        licence_status=Organisation.LicenceStatus.ACTIVE,
    )
    for organisation in (employer, agency):
        organisation.memberships.create(user=owner, role="owner")
    occupations = {o.code: o for o in Occupation.objects.all()}
    communes = {c.code: c for c in Commune.objects.all()}
    programmes = {p.code: p for p in Programme.objects.all()}
    contracts = {
        country: LabourSupplyContract.objects.create(
            organisation=agency,
            foreign_partner="Đối tác khảo sát",
            country=country,
            occupation=occupations["9329"],
            quota=100,
            monthly_wage=Decimal(20_000_000),
            term_months=36,
            approval_number="1/QLLĐNN-HĐ",
            approved_on=date(2026, 1, 1),
        )
        for country in Country.objects.filter(code__in={e["country"] for e in entries if e["country"]})
    }
    contract_of = {contract.country_id: contract for contract in contracts.values()}
    rows = [
        Vacancy(
            organisation=agency if e["is_overseas"] else employer,
            title=e["title"],
            description=e["description"],
            occupation=occupations[e["occupation"]],
            skills=e.get("skills", []),
            positions=1,
            is_overseas=e["is_overseas"],
            commune=communes.get(e.get("commune")),
            country_id=e.get("country"),
            programme=programmes.get(e.get("programme")),
            contract=contract_of.get(e.get("country")),
            currency="VND",
            salary_min=Decimal(e["salary_min_vnd"]),
            salary_max=Decimal(e["salary_max_vnd"]),
            salary_min_vnd=e["salary_min_vnd"],
            salary_max_vnd=e["salary_max_vnd"],
            contract_type=e["contract_type"],
            training_level=e["training_level"],
            age_min=e.get("age_min"),
            age_max=e.get("age_max"),
            deadline=timezone.localdate() + timedelta(days=30),
            contact_name="Phòng nhân sự",
            contact_phone="0233 3852 000",
            status=Vacancy.Status.PUBLISHED,
            published_at=now - timedelta(days=e.get("days_old", 0)),
        )
        for e in entries
    ]
    Vacancy.objects.bulk_create(rows)
    LanguageRequirement.objects.bulk_create(
        LanguageRequirement(vacancy=row, framework=lang["framework"], level=lang["level"])
        for row, e in zip(rows, entries, strict=True)
        for lang in e.get("languages", [])
    )
    return {e["key"]: row.pk for row, e in zip(rows, entries, strict=True)}


def _workers(cases: list[dict]) -> dict[str, WorkerProfile]:
    occupations = {o.code: o for o in Occupation.objects.all()}
    communes = {c.code: c for c in Commune.objects.all()}
    workers = {}
    for case in cases:
        worker = WorkerProfile.objects.create(
            user=User.objects.create(username=f"quality-{case['key']}-{uuid.uuid4().hex[:8]}"),
            full_name="Người lao động",
            date_of_birth=date(case["birth_year"], 1, 1),
            sex=case["sex"],
            commune=communes[case["commune"]],
            education="upper_secondary",
            skills=case.get("skills", []),
            wants_abroad=case.get("wants_abroad", False),
            wants_home=case.get("wants_home", True),
            expected_salary_vnd=case.get("expected_salary_vnd"),
        )
        worker.desired_occupations.set([occupations[code] for code in case.get("desired_occupations", [])])
        worker.desired_countries.set(case.get("countries", []))
        worker.desired_programmes.set(Programme.objects.filter(code__in=case.get("programmes", [])))
        worker.desired_communes.set([communes[code] for code in case.get("desired_communes", [])])
        Certificate.objects.bulk_create(
            Certificate(
                worker=worker,
                level=c["level"],
                occupation=occupations.get(c.get("occupation")),
                institution="Trường Cao đẳng Kỹ thuật Quảng Trị",
                issued_on=date(2024, 6, 1),
                verified=c.get("verified", False),
            )
            for c in case.get("certificates", [])
        )
        LanguageCertificate.objects.bulk_create(
            LanguageCertificate(worker=worker, framework=lang["framework"], level=lang["level"])
            for lang in case.get("languages", [])
        )
        workers[case["key"]] = WorkerProfile.objects.select_related("commune").get(pk=worker.pk)
    return workers


def _search_scores(corpus: Corpus) -> Scores:
    scores, communes = Scores(), {c.code: c for c in Commune.objects.all()}
    for case in load("queries"):
        filters = dict(case.get("filters", {}))
        if near := filters.pop("near", None):
            filters["near"] = (communes[near].latitude, communes[near].longitude)
        score(scores, case["query"], corpus.search(case["query"], **filters), case["judgments"])
    return scores


def _matching_scores(corpus: Corpus) -> Scores:
    scores = Scores()
    for case in load("profiles"):
        score(scores, case["key"], corpus.matches(case["key"]), case["judgments"])
    return scores


def ndcg_at_10(found: list[str], judgments: dict[str, int]) -> float:
    gains = [2 ** judgments.get(key, 0) - 1 for key in found[:10]]
    ideal = sorted((2**g - 1 for g in judgments.values()), reverse=True)[:10]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    return dcg / sum(g / math.log2(i + 2) for i, g in enumerate(ideal))


def score(scores: Scores, label: str, found: list[str], judgments: dict[str, int]) -> None:
    if not judgments:  # judged to find nothing: right or wrong, no ranking to score
        scores.nothing_expected += 1
        scores.nothing_found += not found
        scores.rows.append((label, None, None, len(found)))
        return
    ndcg = ndcg_at_10(found, judgments)
    recall = len(set(found[:RESULTS]) & set(judgments)) / min(len(judgments), RESULTS)
    scores.ndcg.append(ndcg)
    scores.recall.append(recall)
    scores.missed += not found
    scores.rows.append((label, ndcg, recall, len(found)))
