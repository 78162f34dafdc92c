"""The officers' work queues (reads, and the audit of the names they show) and the automatic
flags on vacancies awaiting review.

Each flag rule is one function below; `vacancies_for_review` runs them all with a fixed number of
queries, whatever the length of the queue, and puts flagged vacancies first (oldest first within).
The fee flags read the verdict that `jobs.fees.check_fees` stored with the vacancy's terms when it
was saved and submitted, and describe it with `jobs.fees.describe`: the fee rules stay in one place.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Aggregate, Count, F, FloatField
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import views_audit
from candidates.models import Placement
from desk.models import Case
from jobs.fees import describe
from jobs.models import Organisation, Vacancy
from portal.money import vnd
from search.text import fold

LICENCE_WARNING_DAYS = 30
# The salary flag: the vacancy's mid-salary below half or above twice the median of the published
# vacancies of the same occupation (at home and abroad apart), once there are enough to compare with.
SALARY_LOW, SALARY_HIGH, SALARY_MIN_SAMPLE = 0.5, 2.0, 5
QUEUE_LENGTH = 100


def title_key(title: str) -> str:
    """Titles that differ only in case, diacritics, punctuation or spacing are the same title."""
    return " ".join(re.findall(r"\w+", fold(title)))


@dataclass
class Flag:
    code: str
    message: str


def organisations_awaiting_verification():
    return Organisation.objects.pending_verification().select_related("commune").order_by("created_at")


def licences_expiring(days: int = LICENCE_WARNING_DAYS):
    today = timezone.localdate()
    return Organisation.objects.licence_active(today).filter(licence_expires_on__lte=today + timedelta(days=days))


def placements_awaiting_confirmation():
    return (
        Placement.objects.filter(status=Placement.Status.PENDING)
        .select_related("worker__user", "organisation", "occupation", "commune", "vacancy", "fair_outcome__fair")
        .order_by("placed_on", "id")
    )


def placements_shown_to(viewer, limit: int = QUEUE_LENGTH) -> list[Placement]:
    """The head of the placements queue; the workers' names it shows are audited, as every view of them is."""
    placements = list(placements_awaiting_confirmation()[:limit])
    shown = {p.worker.user_id: f"placements queue: placement {p.pk}" for p in placements if p.worker_id}
    views_audit(viewer=viewer, shown=shown)
    return placements


def case_shown_to(viewer, pk: int) -> Case:
    """A case for its page (a 404 when there is none); the reporter's contact it shows is personal data,
    audited as every view of it is."""
    case = get_object_or_404(Case.objects.select_related("vacancy", "organisation", "handled_by", "sanction"), pk=pk)
    if case.contact:
        views_audit(viewer=viewer, shown={case.reported_by_id: f"reporter's contact, case {case.pk}"})
    return case


def open_cases():
    return Case.objects.open().select_related("vacancy", "organisation")


def queue_sizes() -> dict[str, int]:
    """How many items wait in each queue, whatever the page shows of them."""
    return {
        "vacancies": Vacancy.objects.pending_review().count(),
        "organisations": organisations_awaiting_verification().count(),
        "licences": licences_expiring().count(),
        "placements": placements_awaiting_confirmation().count(),
        "cases": open_cases().count(),
    }


def vacancies_for_review(limit: int = QUEUE_LENGTH) -> list[tuple[Vacancy, list[Flag]]]:
    vacancies = list(
        Vacancy.objects.pending_review()
        .select_related("organisation", "occupation", "commune", "country", "overseas_terms")
        .order_by("created_at")[:limit]
    )
    medians = _salary_medians(vacancies)
    duplicates = _duplicates(vacancies)
    flagged = [(v, _fee_flags(v) + _salary_flags(v, medians) + duplicates.get(v.pk, [])) for v in vacancies]
    return sorted(flagged, key=lambda item: not item[1])  # stable: flagged first, each group oldest first


def _fee_flags(vacancy: Vacancy) -> list[Flag]:
    """Fee above the cap, brokerage charged to the worker, cost items not disclosed (jobs/fees.py)."""
    terms = getattr(vacancy, "overseas_terms", None) if vacancy.is_overseas else None
    return [Flag(finding["code"], describe(finding)) for finding in (terms.fee_findings if terms else [])]


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _mid_salary():
    return (F("salary_min_vnd") + F("salary_max_vnd")) / 2.0


def _salary_medians(vacancies) -> dict:
    """(occupation, abroad) → (median mid-salary, sample size) of published vacancies, in one query."""
    occupations = {v.occupation_id for v in vacancies}
    rows = (
        Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED, occupation__in=occupations)
        .values("occupation_id", "is_overseas")
        .annotate(median=Median(_mid_salary()), sample=Count("id"))
        .order_by()
    )
    return {(row["occupation_id"], row["is_overseas"]): (row["median"], row["sample"]) for row in rows}


def _salary_flags(vacancy: Vacancy, medians: dict) -> list[Flag]:
    median, sample = medians.get((vacancy.occupation_id, vacancy.is_overseas), (None, 0))
    if not median or sample < SALARY_MIN_SAMPLE:
        return []
    mid = (vacancy.salary_min_vnd + vacancy.salary_max_vnd) / 2
    if SALARY_LOW * median <= mid <= SALARY_HIGH * median:
        return []
    return [
        Flag(
            "salary",
            _(
                "The salary (%(salary)s) is far from the median of %(sample)s published vacancies of this occupation"
                " (%(median)s)."
            )
            % {"salary": vnd(mid), "sample": sample, "median": vnd(median)},
        )
    ]


def duplicate_key(vacancy: Vacancy) -> tuple:
    """What makes two vacancies the same: the organisation, the occupation and the folded title."""
    return vacancy.organisation_id, vacancy.occupation_id, title_key(vacancy.title)


def _time_open(vacancy: Vacancy) -> tuple[date, date]:
    """From the day created (today, for one not yet created) to the deadline: both dates in Vietnam."""
    return timezone.localdate(vacancy.created_at), vacancy.deadline


def duplicates_of(vacancies: list[Vacancy]) -> list[int | None]:
    """For each vacancy, saved or about to be (an import's row), the id of another open vacancy with the
    same key whose time open overlaps its own, or None: one query, whatever the number of vacancies."""
    if not vacancies:
        return []
    others = Vacancy.objects.filter(
        organisation__in={v.organisation_id for v in vacancies},
        occupation__in={v.occupation_id for v in vacancies},
        status__in=[Vacancy.Status.DRAFT, Vacancy.Status.PENDING_REVIEW, Vacancy.Status.PUBLISHED],
        deadline__gte=min(_time_open(v)[0] for v in vacancies),  # closed before any of them opened
    ).only("organisation_id", "occupation_id", "title", "created_at", "deadline")
    by_key = {}
    for other in others:
        by_key.setdefault(duplicate_key(other), []).append((other.pk, *_time_open(other)))
    found = []
    for vacancy in vacancies:
        start, deadline = _time_open(vacancy)
        overlapping = (
            pk
            for pk, other_start, other_deadline in by_key.get(duplicate_key(vacancy), [])
            if pk != vacancy.pk and other_start <= deadline and start <= other_deadline
        )
        found.append(next(overlapping, None))
    return found


def _duplicates(vacancies) -> dict[int, list[Flag]]:
    return {
        vacancy.pk: [Flag("duplicate", _("Looks like a duplicate of vacancy #%(other)s.") % {"other": other})]
        for vacancy, other in zip(vacancies, duplicates_of(vacancies), strict=True)
        if other
    }
